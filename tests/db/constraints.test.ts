import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation, type Tx } from '../../server/db/index.ts';
import { backends, createTestDb, familyData, type TestDb } from '../support/db.ts';

const at = new Date('2025-03-01T09:00:00.000Z');

async function insertFamily(p: Tx | TestDb['prisma'], id: string): Promise<void> {
  await p.family.create({ data: familyData(id, at, { municipality: 'Maastricht' }) });
}

function event(familyId: string, seq: number) {
  return {
    familyId,
    seq,
    type: 'report.received',
    payload: '{}',
    actorId: 'u1',
    actorRole: 'vt',
    recordedAt: at,
    machineVersion: 1,
    stateAfter: '{}',
    prevHash: '0'.repeat(64),
    hash: String(seq).repeat(64).slice(0, 64),
  };
}

describe.each(backends())('constraints on %s', (provider) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb(provider);
    await insertFamily(t.prisma, 'f1');
    await insertFamily(t.prisma, 'f2');
  });
  afterEach(() => t.drop());

  it('Event (familyId, seq) is unique, and the violation is recognised', async () => {
    await t.prisma.event.create({ data: event('f1', 1) });
    const err = await t.prisma.event.create({ data: event('f1', 1) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(isUniqueViolation(err)).toBe(true);
    // The same seq in another family is fine.
    await t.prisma.event.create({ data: event('f2', 1) });
    expect(await t.prisma.event.count()).toBe(2);
  });

  it('a unique violation inside an interactive transaction is recognised and rolls it back', async () => {
    await t.prisma.event.create({ data: event('f1', 1) });
    const err = await t.prisma
      .$transaction(async (tx) => {
        await tx.family.update({ where: { id: 'f1' }, data: { version: 1 } });
        await tx.event.create({ data: event('f1', 1) });
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(err)).toBe(true);
    expect((await t.prisma.family.findUniqueOrThrow({ where: { id: 'f1' } })).version).toBe(0);
  });

  it('a unique violation from raw SQL is recognised', async () => {
    await t.prisma.event.create({ data: event('f1', 1) });
    const err = await t.prisma
      .$executeRawUnsafe(
        `INSERT INTO "Event" ("familyId", "seq", "type", "payload", "actorId", "actorRole", "recordedAt", "machineVersion", "stateAfter", "prevHash", "hash")
         VALUES ('f1', 1, 't', '{}', 'u', 'vt', '2025-03-01T09:00:00.000+00:00', 1, '{}', 'p', 'h')`,
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('other errors are not unique violations', async () => {
    const fk = await t.prisma.event.create({ data: event('no-such-family', 1) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(fk).not.toBeNull();
    expect(isUniqueViolation(fk)).toBe(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it('Timer and AccessLog rows need an existing family only where there is a relation', async () => {
    await expect(
      t.prisma.timer.create({
        data: { id: 't1', familyId: 'nope', kind: 'k', ref: 'r', dueAt: at, status: 'pending', event: '{}' },
      }),
    ).rejects.toThrow();
    // The access log records denied attempts on families that may not exist: no foreign key.
    await t.prisma.accessLog.create({ data: { at, action: 'read', result: 'not_found', familyId: 'nope' } });
    expect(await t.prisma.accessLog.count()).toBe(1);
  });
});
