import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError, openDatabase, type Db } from '../../server/db/index.ts';
import { checksumOf, migrationsRoot, plan, readMigrations, type MigrationFile } from '../../server/db/migrate.ts';
import { backends, createTestDb, freshDatabaseUrl, type TestDb } from '../support/db.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

async function appliedRows(db: Db): Promise<{ name: string; checksum: string }[]> {
  return db.prisma.$queryRawUnsafe(`SELECT "name", "checksum" FROM "_veilig_migrations" ORDER BY "name"`);
}

/** Runs `npm run db:migrate` as a separate process, as a second server would. */
function migrateInChild(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'db', 'migrate.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('committed migrations', () => {
  it.each(['sqlite', 'postgresql'] as const)('exist for %s, in the same order with the same names', (provider) => {
    const names = readMigrations(provider).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual(readMigrations('sqlite').map((m) => m.name));
  });

  it('PostgreSQL migrations name no schema, so they run in any search_path', () => {
    for (const m of readMigrations('postgresql')) {
      expect(m.sql).not.toMatch(/"public"\./);
      expect(m.sql).not.toMatch(/CREATE SCHEMA/i);
    }
  });

  it('every SQLite migration keeps the schema snapshot the next one is diffed from', () => {
    for (const m of readMigrations('sqlite')) {
      expect(readFileSync(path.join(migrationsRoot, 'sqlite', m.name, 'schema.prisma'), 'utf8')).toMatch(/provider\s*=\s*"sqlite"/);
    }
  });
});

describe('plan (history check)', () => {
  const files: MigrationFile[] = ['20250101000000_a', '20250102000000_b'].map((name) => ({
    name,
    sql: `-- ${name}`,
    checksum: checksumOf(`-- ${name}`),
  }));

  it('returns what is pending, in order', () => {
    expect(plan(files, []).map((f) => f.name)).toEqual(['20250101000000_a', '20250102000000_b']);
    expect(plan(files, [{ name: files[0]!.name, checksum: files[0]!.checksum }]).map((f) => f.name)).toEqual(['20250102000000_b']);
  });

  it('ignores CRLF line endings (a Windows checkout is not an edit)', () => {
    expect(checksumOf('a\r\nb\r\n')).toBe(checksumOf('a\nb\n'));
  });

  it('refuses an applied migration that is unknown to the code', () => {
    expect(() => plan(files, [{ name: '20250103000000_c', checksum: 'x' }])).toThrow(/unknown to this version/);
  });

  it('refuses to apply a migration that sorts before an applied one', () => {
    expect(() => plan(files, [{ name: files[1]!.name, checksum: files[1]!.checksum }])).toThrow(/out of order/);
  });
});

describe.each(backends())('migrations on %s', (provider) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it('apply on an empty database, create every model, and are idempotent on a second start', async () => {
    t = await createTestDb(provider, { migrate: false });
    const expected = readMigrations(provider).map((m) => m.name);
    expect(await applyMigrations(t)).toEqual(expected);
    const rows = await appliedRows(t);
    expect(rows.map((r) => r.name)).toEqual(expected);
    expect(rows.map((r) => r.checksum)).toEqual(readMigrations(provider).map((m) => m.checksum));

    // Every model is queryable: the migrations and the generated client agree.
    const p = t.prisma;
    const counts = await Promise.all([
      p.user.count(),
      p.session.count(),
      p.loginFailure.count(),
      p.family.count(),
      p.event.count(),
      p.timer.count(),
      p.accessLog.count(),
      p.norm.count(),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);

    expect(await applyMigrations(t)).toEqual([]);
    const again = await openDatabase(t.url);
    try {
      expect(await again.prisma.user.count()).toBe(0);
    } finally {
      await again.close();
    }
    expect(await appliedRows(t)).toHaveLength(expected.length);
  });

  it('refuse to start when an applied migration was edited afterwards', async () => {
    t = await createTestDb(provider);
    const first = readMigrations(provider)[0]!;
    // What the database would hold had the file been different when it was applied.
    const edited = checksumOf(first.sql + '\n-- edited\n');
    await t.prisma.$executeRawUnsafe(`UPDATE "_veilig_migrations" SET "checksum" = '${edited}' WHERE "name" = '${first.name}'`);
    const opening = openDatabase(t.url);
    await expect(opening).rejects.toThrow(MigrationError);
    await expect(opening).rejects.toThrow(new RegExp(`migration ${first.name} was edited after it was applied`));
    await expect(applyMigrations(t)).rejects.toThrow(/was edited after it was applied/);
  });

  it('refuse to start on a database migrated by a newer version', async () => {
    t = await createTestDb(provider);
    await t.prisma.$executeRawUnsafe(
      `INSERT INTO "_veilig_migrations" ("name", "checksum", "applied_at") VALUES ('29991231235959_future', 'x', '2999-12-31T23:59:59Z')`,
    );
    await expect(openDatabase(t.url)).rejects.toThrow(/unknown to this version/);
  });

  it('opening without migrate leaves an empty database untouched', async () => {
    const fresh = await freshDatabaseUrl(provider);
    try {
      const db = await openDatabase(fresh.url, { migrate: false });
      try {
        await expect(db.prisma.user.count()).rejects.toThrow();
      } finally {
        await db.close();
      }
    } finally {
      await fresh.remove();
    }
  });

  it('two concurrent appliers in this process apply each migration once', async () => {
    t = await createTestDb(provider, { migrate: false });
    const expected = readMigrations(provider).map((m) => m.name);
    const [a, b] = await Promise.all([applyMigrations(t), applyMigrations(t)]);
    expect([...a, ...b].sort()).toEqual(expected);
    expect((await appliedRows(t)).map((r) => r.name)).toEqual(expected);
  });

  it('two servers starting at once (separate processes) apply each migration once', async () => {
    t = await createTestDb(provider, { migrate: false });
    const expected = readMigrations(provider).map((m) => m.name);
    // Db.url is self-contained (PostgreSQL: ?schema=), as a server's DATABASE_URL would be.
    const results = await Promise.all([migrateInChild(t.url), migrateInChild(t.url)]);
    for (const r of results) expect(r.code, r.out).toBe(0);
    // Exactly one of the two reports having applied the migrations; the other found them done.
    const appliedBy = results.filter((r) => r.out.includes('applied to'));
    expect(appliedBy).toHaveLength(1);
    expect(results.filter((r) => r.out.includes('is up to date'))).toHaveLength(1);
    expect((await appliedRows(t)).map((r) => r.name)).toEqual(expected);
  });
});
