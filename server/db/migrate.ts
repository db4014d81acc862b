/**
 * Applies the committed migrations (prisma/migrations/<provider>/<timestamp>_<name>/migration.sql).
 *
 * One mechanism for both backends, run by the application itself on start, because:
 * - Prisma's JS schema engine (the only one available offline here) cannot migrate PostgreSQL
 *   ("Column type 'name' could not be deserialized"), and `prisma migrate deploy` would need the
 *   CLI, a devDependency, at run time;
 * - the app must refuse to run on a database whose history differs from the code's: a checksum per
 *   applied migration catches an edited migration file, an unknown applied one catches a downgrade;
 * - two servers starting at once must not both migrate: PostgreSQL takes an advisory lock, SQLite
 *   takes its write lock (BEGIN IMMEDIATE) with a busy timeout.
 * The driver is used directly (better-sqlite3, pg), not Prisma: migrations are multi-statement
 * scripts and must commit atomically together with their bookkeeping row.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.ts';

export type Provider = 'sqlite' | 'postgresql';

export const MIGRATIONS_TABLE = '_veilig_migrations';

export const migrationsRoot = path.join(projectRoot, 'prisma', 'migrations');

export type MigrationFile = { name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Line endings are normalised so a checkout with autocrlf does not look like an edit. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

export function readMigrations(provider: Provider, root = migrationsRoot): MigrationFile[] {
  const dir = path.join(root, provider);
  if (!existsSync(dir)) throw new MigrationError(`no migrations for ${provider} in ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

type Applied = { name: string; checksum: string };

/**
 * Compares the database's history with the files and returns what is still to apply, or throws
 * when the two disagree: the server must not run on a schema it does not know.
 */
export function plan(files: MigrationFile[], applied: Applied[]): MigrationFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const a of applied) {
    const f = byName.get(a.name);
    if (!f) {
      throw new MigrationError(
        `migration ${a.name} is applied to the database but unknown to this version of the code (downgrade?); refusing to start`,
      );
    }
    if (f.checksum !== a.checksum) {
      throw new MigrationError(
        `migration ${a.name} was edited after it was applied (checksum ${a.checksum.slice(0, 12)}… in the database, ` +
          `${f.checksum.slice(0, 12)}… on disk); refusing to start. Restore the file and add a new migration instead.`,
      );
    }
  }
  const done = new Set(applied.map((a) => a.name));
  const pending = files.filter((f) => !done.has(f.name));
  const lastApplied = applied.map((a) => a.name).sort().at(-1);
  const early = lastApplied ? pending.find((p) => p.name < lastApplied) : undefined;
  if (early) {
    throw new MigrationError(`migration ${early.name} sorts before the already applied ${lastApplied}; refusing to apply it out of order`);
  }
  return pending;
}

function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}

export async function migrateSqlite(url: string, files: MigrationFile[]): Promise<string[]> {
  const { default: Database } = await import('better-sqlite3');
  const conn = new Database(sqlitePath(url), { timeout: 15_000 });
  try {
    conn.pragma('journal_mode = WAL');
    // Prisma's table redefinitions (ALTER on SQLite) need foreign keys off; they are checked
    // explicitly before each commit instead.
    conn.pragma('foreign_keys = OFF');
    conn.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
      "name" TEXT NOT NULL PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "applied_at" TEXT NOT NULL
    )`);
    const appliedNames: string[] = [];
    const record = conn.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "applied_at") VALUES (?, ?, ?)`);
    const readApplied = conn.prepare(`SELECT "name", "checksum" FROM "${MIGRATIONS_TABLE}"`);
    // One transaction per migration. IMMEDIATE takes the write lock before the history is read,
    // so a second process waits here and then sees what the first applied.
    for (;;) {
      conn.exec('BEGIN IMMEDIATE');
      try {
        const next = plan(files, readApplied.all() as Applied[])[0];
        if (!next) {
          conn.exec('COMMIT');
          break;
        }
        try {
          conn.exec(next.sql);
          const broken = conn.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new MigrationError(`migration ${next.name} leaves ${broken.length} foreign-key violations`);
          record.run(next.name, next.checksum, new Date().toISOString());
        } catch (e) {
          throw wrap(next.name, e);
        }
        conn.exec('COMMIT');
        appliedNames.push(next.name);
      } catch (e) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        throw e;
      }
    }
    return appliedNames;
  } finally {
    conn.close();
  }
}

function wrap(name: string, e: unknown): Error {
  if (e instanceof MigrationError) return e;
  return new MigrationError(`migration ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
}

export function quoteIdent(id: string): string {
  return `"${id.replace(/"/g, '""')}"`;
}

/** A schema name as used by PostgreSQL identifiers; rejected rather than escaped when odd. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new MigrationError(`invalid PostgreSQL schema name ${JSON.stringify(schema)} (use lower-case letters, digits, _)`);
  }
}

export async function migratePostgres(url: string, schema: string | undefined, files: MigrationFile[]): Promise<string[]> {
  const { default: pg } = await import('pg');
  const target = schema ?? 'public';
  assertSchemaName(target);
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${target}` });
  await client.connect();
  try {
    // Session-level lock around the whole run: a second server waits, then finds nothing pending.
    // Keyed by schema so that independent schemas (one per test) do not queue behind each other.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`veilig-migrations:${target}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(target)}."${MIGRATIONS_TABLE}" (
        "name" TEXT NOT NULL PRIMARY KEY,
        "checksum" TEXT NOT NULL,
        "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<Applied>(`SELECT "name", "checksum" FROM ${quoteIdent(target)}."${MIGRATIONS_TABLE}"`);
      const pending = plan(files, rows);
      const appliedNames: string[] = [];
      for (const m of pending) {
        await client.query('BEGIN');
        try {
          // Simple-query protocol (no parameters): runs the whole multi-statement script.
          await client.query(m.sql);
          await client.query(`INSERT INTO ${quoteIdent(target)}."${MIGRATIONS_TABLE}" ("name", "checksum") VALUES ($1, $2)`, [
            m.name,
            m.checksum,
          ]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw wrap(m.name, e);
        }
        appliedNames.push(m.name);
      }
      return appliedNames;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`veilig-migrations:${target}`]);
    }
  } finally {
    await client.end();
  }
}
