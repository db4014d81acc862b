/**
 * Test databases: every test file (or test) gets its own migrated, empty database.
 * SQLite: a fresh file under the OS temp dir. PostgreSQL (only when TEST_DATABASE_URL is set):
 * a fresh schema `t_<time>_<random>` in that database, so tests run in parallel without seeing each other.
 *
 *   describe.each(backends())('%s', (provider) => {
 *     let t: TestDb;
 *     beforeEach(async () => { t = await createTestDb(provider); });
 *     afterEach(() => t.drop());
 *     it('…', async () => { await t.prisma.user.count(); });
 *   });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { openDatabase, type Db, type Provider } from '../../server/db/index.ts';

export type { Provider };

export interface TestDb extends Db {
  /** Close the connection and delete the database (SQLite file, PostgreSQL schema). Idempotent. */
  drop(): Promise<void>;
}

export function backends(): Provider[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
}

/** Schemas left behind by crashed runs are dropped after this long (never a live one of a parallel run). */
const STALE_SCHEMA_MS = 6 * 60 * 60 * 1000;
let swept = false;

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const { default: driver } = await import('pg');
  const client = new driver.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function sweepStaleSchemas(url: string): Promise<void> {
  if (swept) return;
  swept = true;
  await withPg(url, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name ~ '^t_[0-9a-z]+_[0-9a-f]+$'`,
    );
    const cutoff = Date.now() - STALE_SCHEMA_MS;
    for (const { name } of rows) {
      const created = parseInt(name.split('_')[1]!, 36) * 1000;
      if (created < cutoff) await c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    }
  });
}

/**
 * A new, empty, unmigrated database of this provider and how to delete it. `url` is
 * self-contained (PostgreSQL: `?schema=` included), so it can be handed to a server process as
 * DATABASE_URL.
 */
export async function freshDatabaseUrl(
  provider: Provider,
): Promise<{ url: string; schema?: string; remove: () => Promise<void> }> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'veilig-test-'));
    return {
      url: `file:${path.join(dir, 'test.db')}`,
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: PostgreSQL tests need it (see backends())');
  await sweepStaleSchemas(base);
  // Creation time in the name lets a later run recognise leftovers of a crashed one.
  const schema = `t_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(5).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return {
    url: u.toString(),
    schema,
    remove: () =>
      withPg(base, async (c) => void (await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))),
  };
}

export async function createTestDb(provider: Provider, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const fresh = await freshDatabaseUrl(provider);
  let db: Db;
  try {
    db = await openDatabase(fresh.url, { migrate: opts.migrate ?? true });
  } catch (e) {
    await fresh.remove();
    throw e;
  }
  let dropped = false;
  return Object.assign(db, {
    drop: async () => {
      if (dropped) return;
      dropped = true;
      try {
        await db.close();
      } finally {
        await fresh.remove();
      }
    },
  });
}

/**
 * A Family row with only the columns it cannot be stored without, for tests that write rows
 * directly; `at` is its report, creation and update instant. Unique references per family.
 */
export function familyData<T extends Record<string, unknown>>(id: string, at: Date, more?: T) {
  return {
    id,
    reference: `REF-${id}`,
    municipality: 'Heerlen',
    region: 'zuid-limburg',
    version: 0,
    machineVersion: 1,
    snapshot: '{}',
    phase: 'reported',
    oversight: 'vtInvolved',
    escalation: 'none',
    reportedAt: at,
    createdAt: at,
    updatedAt: at,
    ...more,
  };
}
