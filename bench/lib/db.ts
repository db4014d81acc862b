import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type Provider } from '../../server/db/index.ts';

// Every measurement gets its own database: a SQLite file in a temporary directory or a fresh
// PostgreSQL schema `bench_<time>_<random>`, migrated with the committed migrations and removed after.

export type BenchDb = { db: Db; url: string; provider: Provider; schema?: string; file?: string; remove(): Promise<void> };

export const DEFAULT_PG_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Schemas of bench runs that crashed before dropping theirs; older than six hours, so never a live one. */
async function sweepPg(base: string): Promise<void> {
  await withPg(base, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      `SELECT schema_name::text AS name FROM information_schema.schemata WHERE schema_name ~ '^bench_[0-9a-z]+_[0-9a-f]+$'`,
    );
    const cutoff = Date.now() - 6 * 3600_000;
    for (const { name } of rows) {
      if (parseInt(name.split('_')[1]!, 36) * 1000 < cutoff) await c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    }
  });
}

let swept = false;

export async function freshDb(provider: Provider, opts: { pgUrl: string; dir?: string; label?: string }): Promise<BenchDb> {
  if (provider === 'sqlite') {
    const parent = opts.dir ?? os.tmpdir();
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(path.join(parent, `veilig-bench-${opts.label ?? 'db'}-`));
    const file = path.join(dir, 'bench.db');
    const url = `file:${file}`;
    const db = await openDatabase(url);
    return {
      db,
      url,
      provider,
      file,
      remove: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!swept) {
    swept = true;
    await sweepPg(opts.pgUrl);
  }
  const schema = `bench_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;
  const u = new URL(opts.pgUrl);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const db = await openDatabase(url);
  return {
    db,
    url,
    provider,
    schema,
    remove: async () => {
      await db.close();
      await withPg(opts.pgUrl, async (c) => void (await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
    },
  };
}

/** pg connection string without Prisma's `?schema=`, plus the search_path to use. */
export function pgTarget(url: string): { connectionString: string; schema: string } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'public';
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema };
}
