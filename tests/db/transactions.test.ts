import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../server/db/index.ts';
import { backends, createTestDb, familyData, type TestDb } from '../support/db.ts';

const at = new Date('2025-03-01T09:00:00.000Z');

function user(id: string) {
  return { id, username: id, displayName: id, roles: 'vt', passwordHash: 'x' };
}

/** Lets everything else that is queued (other queries, other transactions) get a turn. */
async function yieldTurns(n = 25): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

class Rollback extends Error {}

describe.each(backends())('interactive transactions on %s', (provider) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb(provider);
  });
  afterEach(() => t.drop());

  it('commit their writes and return the callback value', async () => {
    const n = await t.prisma.$transaction(async (tx) => {
      await tx.user.create({ data: user('a') });
      await tx.user.create({ data: user('b') });
      return tx.user.count();
    });
    expect(n).toBe(2);
    expect(await t.prisma.user.count()).toBe(2);
  });

  it('roll back every write when the callback throws', async () => {
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: user('a') });
        expect(await tx.user.count()).toBe(1); // reads its own writes
        throw new Rollback('no');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await t.prisma.user.count()).toBe(0);
  });

  it('keep a query issued outside the transaction out of it (it neither joins nor is rolled back)', async () => {
    let outside: Promise<unknown> | undefined;
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: user('inside') });
        outside = t.prisma.user.create({ data: user('outside') }).then((u) => u);
        await yieldTurns();
        await tx.user.count();
        throw new Rollback('undo inside only');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    await outside;
    expect((await t.prisma.user.findMany()).map((u) => u.id)).toEqual(['outside']);
  });

  it('never let concurrent appenders write the same seq: each commits or gets a unique violation', async () => {
    await t.prisma.family.create({
      data: familyData('f', at, { reference: 'R', municipality: 'Sittard-Geleen' }),
    });
    const append = (i: number) =>
      t.prisma.$transaction(async (tx) => {
        const f = await tx.family.findUniqueOrThrow({ where: { id: 'f' } });
        await yieldTurns(3); // widen the race window
        const seq = f.version + 1;
        await tx.event.create({
          data: {
            familyId: 'f',
            seq,
            type: 'incident.reported',
            payload: JSON.stringify({ i }),
            actorId: 'u',
            actorRole: 'director',
            recordedAt: at,
            machineVersion: 1,
            stateAfter: '{}',
            prevHash: 'p',
            hash: `h${i}`,
          },
        });
        await tx.family.update({ where: { id: 'f' }, data: { version: seq } });
      });
    const n = 8;
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => append(i)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    for (const e of failures) expect(isUniqueViolation(e), String(e)).toBe(true);
    if (provider === 'sqlite') expect(ok).toBe(n); // serialised: nobody races
    expect(ok).toBeGreaterThan(0);
    const events = await t.prisma.event.findMany({ where: { familyId: 'f' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: ok }, (_, i) => i + 1));
    expect((await t.prisma.family.findUniqueOrThrow({ where: { id: 'f' } })).version).toBe(ok);
  });
});

describe('SQLite serialises transactions on its one connection', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb('sqlite');
  });
  afterEach(() => t.drop());

  it('two read-modify-write transactions do not interleave (no lost update)', async () => {
    await t.prisma.norm.create({ data: { key: 'counter', value: '0', updatedAt: at } });
    const bump = () =>
      t.prisma.$transaction(async (tx) => {
        const n = Number((await tx.norm.findUniqueOrThrow({ where: { key: 'counter' } })).value);
        await yieldTurns();
        await tx.norm.update({ where: { key: 'counter' }, data: { value: String(n + 1) } });
      });
    await Promise.all([bump(), bump(), bump(), bump()]);
    expect((await t.prisma.norm.findUniqueOrThrow({ where: { key: 'counter' } })).value).toBe('4');
  });

  it('a read outside an open transaction does not see its uncommitted writes', async () => {
    let seen: number | undefined;
    let reading: Promise<void> | undefined;
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: user('uncommitted') });
        reading = t.prisma.user.count().then((c) => {
          seen = c;
        });
        await yieldTurns();
        throw new Rollback('undo');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    await reading;
    expect(seen).toBe(0);
  });
});
