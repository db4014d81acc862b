import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';

describe.each(backends())('test databases on %s', (provider) => {
  it('are isolated from each other and dropped afterwards', async () => {
    const [a, b] = await Promise.all([createTestDb(provider), createTestDb(provider)]);
    try {
      expect(a.url).not.toBe(b.url);
      await a.prisma.norm.create({ data: { key: 'k', value: 'a', updatedAt: new Date() } });
      expect(await b.prisma.norm.count()).toBe(0);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    // Dropped: opening the same URL without migrating finds no tables.
    const gone = await openDatabase(a.url, { migrate: false });
    try {
      await expect(gone.prisma.norm.count()).rejects.toThrow();
    } finally {
      await gone.close();
      if (provider === 'sqlite') rmSync(path.dirname(a.url.replace(/^file:/, '')), { recursive: true, force: true });
    }
  });
});

// Runs only when TEST_DATABASE_URL is set (backends() lists PostgreSQL then).
describe.each(backends().filter((p) => p === 'postgresql'))('%s schemas', (provider) => {
  let a: TestDb;
  let b: TestDb;
  beforeEach(async () => {
    [a, b] = await Promise.all([createTestDb(provider), createTestDb(provider)]);
  });
  afterEach(async () => {
    await Promise.all([a.drop(), b.drop()]);
  });

  it('keep each test database apart, tables and rows in its own schema', async () => {
    expect(a.schema).toMatch(/^t_/);
    expect(a.schema).not.toBe(b.schema);
    await a.prisma.norm.create({ data: { key: 'k', value: 'a', updatedAt: new Date() } });
    expect(await a.prisma.norm.count()).toBe(1);
    expect(await b.prisma.norm.count()).toBe(0);
    const rows = await a.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${a.schema}"."Norm"`);
    expect(Number(rows[0]!.n)).toBe(1);
    const tables = await a.prisma.$queryRawUnsafe<{ s: string }[]>(
      `SELECT table_schema::text AS s FROM information_schema.tables WHERE table_name = 'Norm' AND table_schema IN ($1, $2, 'public') ORDER BY 1`,
      a.schema,
      b.schema,
    );
    expect(tables.map((t) => t.s).sort()).toEqual([a.schema, b.schema].sort());
  });

  it('the session runs in UTC and raw SQL sees the schema through search_path', async () => {
    const [tz] = await a.prisma.$queryRawUnsafe<{ tz: string }[]>(`SELECT current_setting('TimeZone') AS tz`);
    expect(tz!.tz).toBe('UTC');
    const [sp] = await a.prisma.$queryRawUnsafe<{ s: string }[]>(`SELECT current_schema()::text AS s`);
    expect(sp!.s).toBe(a.schema);
  });

  it('Db.url reopens the same schema on its own', async () => {
    await a.prisma.norm.create({ data: { key: 'k', value: 'a', updatedAt: new Date() } });
    expect(new URL(a.url).searchParams.get('schema')).toBe(a.schema);
    const again = await openDatabase(a.url);
    try {
      expect(again.schema).toBe(a.schema);
      expect(await again.prisma.norm.count()).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('reject schema names that would need quoting', async () => {
    await expect(openDatabase(process.env.TEST_DATABASE_URL!, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/invalid PostgreSQL schema name/);
  });
});
