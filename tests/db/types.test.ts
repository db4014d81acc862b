import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestDb, familyData, type TestDb } from '../support/db.ts';

describe.each(backends())('value types on %s', (provider) => {
  let t: TestDb;
  let tz: string | undefined;
  beforeEach(async () => {
    tz = process.env.TZ;
    t = await createTestDb(provider);
  });
  afterEach(async () => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    await t.drop();
  });

  it('DateTime round-trips to the millisecond in UTC, whatever the process time zone', async () => {
    // Amsterdam is UTC+1/+2: a local-time conversion anywhere would shift these by hours.
    process.env.TZ = 'Europe/Amsterdam';
    const instants = [
      new Date('2025-03-30T00:59:59.999Z'), // just before the DST switch
      new Date('2025-03-30T01:00:00.001Z'), // just after it
      new Date('2024-02-29T23:30:00.123Z'),
      new Date('1999-12-31T23:59:59.999Z'),
      new Date('2031-07-01T12:00:00.000Z'),
    ];
    for (const [i, d] of instants.entries()) {
      await t.prisma.family.create({ data: familyData(`f${i}`, d, { nextDueAt: d }) });
    }
    process.env.TZ = 'America/New_York';
    const rows = await t.prisma.family.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.reportedAt.toISOString())).toEqual(instants.map((d) => d.toISOString()));
    expect(rows.map((r) => r.nextDueAt?.toISOString())).toEqual(instants.map((d) => d.toISOString()));
  });

  it('DateTime filters and ordering compare instants (across years and DST)', async () => {
    const dates = [
      '2024-12-31T23:59:59.999Z',
      '2025-01-01T00:00:00.000Z',
      '2025-03-30T01:30:00.000Z',
      '2025-10-26T00:30:00.000Z',
    ];
    for (const [i, iso] of dates.entries()) {
      const d = new Date(iso);
      await t.prisma.family.create({ data: familyData(`f${i}`, d) });
    }
    const due = await t.prisma.family.findMany({
      where: {
        reportedAt: { gte: new Date('2025-01-01T00:00:00.000Z'), lt: new Date('2025-10-26T00:30:00.000Z') },
      },
      orderBy: { reportedAt: 'desc' },
    });
    expect(due.map((f) => f.id)).toEqual(['f2', 'f1']);
  });

  it('nullable DateTime stays null; @default(now()) and @updatedAt are set', async () => {
    const before = Date.now();
    const u = await t.prisma.user.create({
      data: { id: 'u', username: 'u', displayName: 'U', roles: 'vt', passwordHash: 'x' },
    });
    expect(u.disabledAt).toBeNull();
    expect(u.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const read = await t.prisma.user.findUniqueOrThrow({ where: { id: 'u' } });
    expect(read.createdAt.toISOString()).toBe(u.createdAt.toISOString());
  });

  it('Int holds the 32-bit range and comes back as number; Boolean as boolean; counts as number', async () => {
    const d = new Date('2025-01-01T00:00:00.000Z');
    await t.prisma.family.create({ data: familyData('max', d, { version: 2147483647, acute: true }) });
    await t.prisma.family.create({ data: familyData('min', d, { version: -2147483648 }) });
    const max = await t.prisma.family.findUniqueOrThrow({ where: { id: 'max' } });
    const min = await t.prisma.family.findUniqueOrThrow({ where: { id: 'min' } });
    expect(max.version).toBe(2147483647);
    expect(typeof max.version).toBe('number');
    expect(min.version).toBe(-2147483648);
    expect(max.acute).toBe(true);
    expect(min.acute).toBe(false);
    const inc = await t.prisma.family.update({ where: { id: 'min' }, data: { version: { increment: 1 } } });
    expect(inc.version).toBe(-2147483647);
    expect(await t.prisma.family.count()).toBe(2);
    const agg = await t.prisma.family.aggregate({ _max: { version: true }, _count: true });
    expect(agg._max.version).toBe(2147483647);
    expect(agg._count).toBe(2);
  });

  it('autoincrement ids are numbers, increasing', async () => {
    const at = new Date();
    const a = await t.prisma.accessLog.create({ data: { at, action: 'read', result: 'ok' } });
    const b = await t.prisma.accessLog.create({ data: { at, action: 'read', result: 'ok' } });
    expect(typeof a.id).toBe('number');
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('text keeps non-ASCII and large JSON intact', async () => {
    const d = new Date('2025-01-01T00:00:00.000Z');
    const snapshot = JSON.stringify({ note: 'veiligheidsplan — “kind” ë ï 🙂', big: 'x'.repeat(200_000) });
    await t.prisma.family.create({ data: familyData('txt', d, { snapshot }) });
    expect((await t.prisma.family.findUniqueOrThrow({ where: { id: 'txt' } })).snapshot).toBe(snapshot);
  });
});
