import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRows, isUniqueViolation } from '../../server/db/index.ts';
import { placeholders } from '../../server/db/direct.ts';
import { sqlKindOf, sqlTotals } from '../../server/db/sqlTime.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';

// Direct SQL (server/db/direct.ts): the write path's statements on Prisma's own connections.

const at = new Date('2025-03-01T09:00:00.123Z');

function user(id: string, disabledAt: Date | null = null) {
  return {
    id,
    username: id,
    displayName: id,
    roles: 'vt',
    passwordHash: 'x',
    disabledAt,
    createdAt: at,
    updatedAt: at,
  };
}

class Rollback extends Error {}

describe.each(backends())('direct SQL on %s', (provider) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb(provider);
  });
  afterEach(() => t.drop());

  it('writes rows Prisma reads back exactly (DateTime to the millisecond in UTC, null, text)', async () => {
    await insertRows(t.direct, 'User', [user('a', at), user('b')]);
    const rows = await t.prisma.user.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.id, r.disabledAt?.toISOString() ?? null])).toEqual([
      ['a', at.toISOString()],
      ['b', null],
    ]);
  });

  it('writes each row its own instant when the rows of one statement share some and differ in others', async () => {
    const later = new Date(at.getTime() + 1);
    const sameAsLater = new Date(later.getTime());
    await insertRows(t.direct, 'User', [user('a', at), user('b', later), user('c', sameAsLater), user('d', at), user('e')]);
    // The same Date object changed in between is written as it is now.
    const moved = new Date(at.getTime());
    await insertRows(t.direct, 'User', [user('f', moved)]);
    moved.setTime(at.getTime() + 5);
    await insertRows(t.direct, 'User', [user('g', moved)]);
    const rows = await t.prisma.user.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.id, r.disabledAt?.toISOString() ?? null])).toEqual([
      ['a', at.toISOString()],
      ['b', later.toISOString()],
      ['c', later.toISOString()],
      ['d', at.toISOString()],
      ['e', null],
      ['f', at.toISOString()],
      ['g', new Date(at.getTime() + 5).toISOString()],
    ]);
    // Read back as objects with their columns in order, each instant a Date, a boolean a boolean.
    const read = await t.direct.all<{ id: string; disabledAt: Date | null; off: boolean; n: number }>(
      'SELECT "id", "disabledAt", "disabledAt" IS NOT NULL AS "off", 7 AS "n" FROM "User" WHERE "id" IN (?, ?) ORDER BY "id"',
      ['a', 'e'],
    );
    expect(read.map((r) => Object.keys(r))).toEqual([['id', 'disabledAt', 'off', 'n'], ['id', 'disabledAt', 'off', 'n']]);
    expect(read[0]!.disabledAt).toBeInstanceOf(Date);
    expect(read[0]!.disabledAt!.toISOString()).toBe(at.toISOString());
    expect(read[1]!.disabledAt).toBeNull();
    expect(Boolean(read[0]!.off)).toBe(true);
    expect(Number(read[1]!.n)).toBe(7);
  });

  it('tallies the time of each statement by kind: reads, writes and the commit of a transaction', async () => {
    const before = sqlTotals();
    await t.direct.transaction(async (q) => {
      await insertRows(q, 'User', [user('a')]);
      await q.get('SELECT "id" FROM "User" WHERE "id" = ?', ['a']);
    });
    await t.direct.all('SELECT "id" FROM "User"');
    const after = sqlTotals();
    const grew = (k: 'read' | 'write' | 'commit') => after[k].count - before[k].count;
    expect(grew('read')).toBeGreaterThanOrEqual(2);
    expect(grew('write')).toBeGreaterThanOrEqual(2); // BEGIN (or the group's savepoint) and the INSERT
    expect(grew('commit')).toBeGreaterThanOrEqual(1);
    for (const k of ['read', 'write', 'commit'] as const) expect(after[k].seconds).toBeGreaterThan(before[k].seconds);
  });

  it('reads rows Prisma wrote with Date, boolean and number types', async () => {
    await t.prisma.user.create({ data: user('a', at) });
    const row = await t.direct.get<{ disabledAt: Date; id: string }>(
      'SELECT "id", "disabledAt" FROM "User" WHERE "id" = ?',
      ['a'],
    );
    expect(row?.disabledAt).toBeInstanceOf(Date);
    expect(row?.disabledAt.toISOString()).toBe(at.toISOString());
    const counted = await t.direct.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "User"');
    expect(Number(counted?.n)).toBe(1);
  });

  it('rolls a transaction back completely when it throws, and reports unique violations', async () => {
    await expect(
      t.direct.transaction(async (q) => {
        await insertRows(q, 'User', [user('a')]);
        expect(await q.get('SELECT "id" FROM "User" WHERE "id" = ?', ['a'])).toBeTruthy(); // reads its own write
        throw new Rollback('no');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await t.prisma.user.count()).toBe(0);
    await insertRows(t.direct, 'User', [user('a')]);
    const dup = await t.direct
      .transaction((q) => insertRows(q, 'User', [user('a')]))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
  });

  it('isolates concurrent transactions: one that fails leaves the others committed', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        t.direct.transaction(async (q) => {
          await insertRows(q, 'User', [user(`u${i}`)]);
          if (i % 5 === 3) throw new Rollback(`u${i}`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    const ids = (await t.prisma.user.findMany({ select: { id: true } })).map((u) => u.id).sort();
    expect(ids).toEqual(
      Array.from({ length: 20 }, (_, i) => i)
        .filter((i) => i % 5 !== 3)
        .map((i) => `u${i}`)
        .sort(),
    );
  });
});

describe('group commit on sqlite', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb('sqlite');
  });
  afterEach(() => t.drop());

  it('group-commits concurrent transactions on SQLite (fewer commits than transactions)', async () => {
    const stats = t.direct.stats!;
    const before = { ...stats };
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.direct.transaction((q) => insertRows(q, 'User', [user(`g${i}`)])),
      ),
    );
    expect(stats.transactions - before.transactions).toBe(30);
    expect(stats.commits - before.commits).toBeLessThan(30);
    expect(await t.prisma.user.count()).toBe(30);
    // One on its own still commits at once.
    await t.direct.transaction((q) => insertRows(q, 'User', [user('alone')]));
    expect(await t.prisma.user.count()).toBe(31);
  });
});

describe('placeholders', () => {
  it('lists n question marks for any n, the same text when asked again', () => {
    for (const n of [0, 1, 2, 3, 50, 999, 1000, 1001, 1500]) {
      const want = Array.from({ length: n }, () => '?').join(', ');
      expect(placeholders(n)).toBe(want);
      expect(placeholders(n)).toBe(want);
    }
  });
});

describe('the kind of a statement', () => {
  it('is read for SELECT and a WITH that only reads, commit for COMMIT, write for the rest', () => {
    expect(sqlKindOf('  select 1')).toBe('read');
    expect(sqlKindOf('WITH a AS (SELECT 1) SELECT * FROM a')).toBe('read');
    expect(sqlKindOf('WITH f AS (UPDATE "Family" SET "version" = 2 RETURNING "id") INSERT INTO "Event" SELECT 1')).toBe('write');
    expect(sqlKindOf('COMMIT')).toBe('commit');
    expect(sqlKindOf('INSERT INTO "User" VALUES (?)')).toBe('write');
    expect(sqlKindOf('BEGIN IMMEDIATE')).toBe('write');
    expect(sqlKindOf('SAVEPOINT "group_commit"')).toBe('write');
  });
});

describe.each(backends().filter((p) => p === 'postgresql'))('named statements on %s', (provider) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb(provider);
  });
  afterEach(() => t.drop());

  it('prepares a statement once per connection under its name, and runs it again by that name', async () => {
    const sql = 'SELECT "id" AS "prepared_once" FROM "User" WHERE "id" = ?';
    await insertRows(t.direct, 'User', [user('a'), user('b')]);
    await t.direct.transaction(async (q) => {
      expect(await q.all(sql, ['a'])).toEqual([{ prepared_once: 'a' }]);
      expect(await q.all(sql, ['b'])).toEqual([{ prepared_once: 'b' }]);
      // The same connection (one transaction): PostgreSQL holds the statement under the runner's name.
      const held = await q.all<{ name: string; statement: string }>(
        `SELECT "name", "statement" FROM pg_prepared_statements WHERE "statement" LIKE '%prepared_once%' AND "statement" NOT LIKE '%pg_prepared_statements%'`,
      );
      expect(held).toHaveLength(1);
      expect(held[0]!.name).toMatch(/^vp_\d+$/);
      expect(held[0]!.statement).toContain('"id" = $1');
    });
  });

  it('keeps a statement prepared in a transaction that rolled back, and runs it after', async () => {
    const sql = 'SELECT COUNT(*)::int AS "n" FROM "User" WHERE "id" <> ? AND "id" <> \'kept_after_rollback\'';
    await expect(
      t.direct.transaction(async (q) => {
        expect(await q.all(sql, ['x'])).toEqual([{ n: 0 }]);
        await insertRows(q, 'User', [user('a')]);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    for (let i = 0; i < 3; i++) expect(await t.direct.all(sql, ['x'])).toEqual([{ n: 0 }]);
    await insertRows(t.direct, 'User', [user('c')]);
    expect(await t.direct.all(sql, ['x'])).toEqual([{ n: 1 }]);
  });
});
