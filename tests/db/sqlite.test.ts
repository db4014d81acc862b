import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, providerOf, redactUrl } from '../../server/db/index.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

async function pragma(t: TestDb, name: string): Promise<unknown> {
  const rows = await t.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`);
  const v = Object.values(rows[0] ?? {})[0];
  return typeof v === 'bigint' ? Number(v) : v;
}

describe('SQLite connection settings', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb('sqlite');
  });
  afterEach(() => t.drop());

  it('are in effect on the connection Prisma uses', async () => {
    expect(await pragma(t, 'journal_mode')).toBe('wal');
    expect(await pragma(t, 'synchronous')).toBe(2); // FULL
    expect(await pragma(t, 'foreign_keys')).toBe(1);
    expect(await pragma(t, 'busy_timeout')).toBe(5000);
  });

  it('are in effect inside interactive transactions too (same connection)', async () => {
    const v = await t.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>('PRAGMA synchronous');
      return Number(Object.values(rows[0]!)[0]);
    });
    expect(v).toBe(2);
  });

  it('enforce foreign keys', async () => {
    await expect(
      t.prisma.session.create({
        data: { id: 's1', tokenHash: 'h', csrfToken: 'c', userId: 'nobody', createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date() },
      }),
    ).rejects.toThrow();
    expect(await t.prisma.session.count()).toBe(0);
  });
});

describe('SQLite URLs', () => {
  let dir: string;
  let cwd: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'veilig-url-'));
    cwd = process.cwd();
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolve relative paths against the working directory and create missing folders', async () => {
    process.chdir(dir);
    const db = await openDatabase('file:./nested/deeper/app.db');
    try {
      expect(db.provider).toBe('sqlite');
      expect(db.url).toBe(`file:${path.join(dir, 'nested', 'deeper', 'app.db')}`);
      expect(existsSync(path.join(dir, 'nested', 'deeper', 'app.db'))).toBe(true);
      expect(await db.prisma.family.count()).toBe(0);
    } finally {
      await db.close();
      await db.close(); // idempotent
    }
  });

  it('refuse unknown schemes and in-memory databases with a clear message', async () => {
    await expect(openDatabase('mysql://x')).rejects.toThrow(/file: \(SQLite\) or postgresql:\/\//);
    await expect(openDatabase('file::memory:')).rejects.toThrow(/in-memory/);
    expect(providerOf('postgres://u@h/db')).toBe('postgresql');
  });

  it('never show a password in the label', () => {
    expect(redactUrl('postgresql://user:s3cret@db:5432/app')).toBe('postgresql://user:***@db:5432/app');
    expect(redactUrl('postgresql://user:s3cret@db:5432/app')).not.toContain('s3cret');
  });
});
