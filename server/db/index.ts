/**
 * The one persistence entry point. Everything outside server/db talks to the database through
 * `openDatabase` and the `Db` it returns.
 *
 * Backends: SQLite (`file:` URL, the embedded default) and PostgreSQL (`postgresql://`). Both use
 * the same Prisma models; the SQLite client type is the canonical `PrismaClient` for both.
 *
 * Facts the engine relies on (each checked by tests/db/*.test.ts on both backends):
 * - `db.prisma.$transaction(async (tx) => …)` works on both. On SQLite, transactions and all other
 *   queries are serialised on the one connection (see server/db/client.ts): two concurrent
 *   transactions never interleave, a transaction sees no one else's writes, a failed transaction
 *   rolls back completely. Inside a transaction use `tx` only (the outer client would wait for the
 *   transaction to end). On PostgreSQL transactions run concurrently at READ COMMITTED; the
 *   unique (familyId, seq) on Event is the optimistic-concurrency backstop: the loser of a race
 *   gets a unique violation, recognised by `isUniqueViolation` on both backends.
 * - DateTime round-trips exactly to the millisecond, in UTC, whatever the process time zone.
 *   SQLite stores ISO-8601 text ("2025-01-02T03:04:05.678+00:00"), so compare DateTime columns
 *   through Prisma (or with parameters), never against SQLite's CURRENT_TIMESTAMP in raw SQL.
 * - `Int` is a 32-bit integer on both and comes back as a JS number; `count()` is a number.
 *   Raw queries (`$queryRaw`) may return integers as BigInt on both: convert with Number().
 * - Raw queries on PostgreSQL cannot return columns of type `name` (catalog views such as
 *   information_schema): cast them, e.g. `table_name::text`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Prisma, PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import { createPostgresClient, createSqliteClient, sqliteFile } from './client.ts';
import type { DirectSql } from './direct.ts';
import {
  MigrationError,
  assertSchemaName,
  migratePostgres,
  migrateSqlite,
  readMigrations,
  type Provider as MigrationProvider,
} from './migrate.ts';

export type Provider = MigrationProvider;
export type { AccessLog, Event, Family, LoginFailure, Norm, Session, Timer, User } from './generated/sqlite/client.ts';
export type PrismaClient = SqlitePrismaClient;
/** What `$transaction(async (tx) => …)` hands the callback. */
export type Tx = Prisma.TransactionClient;
/** Either the client or a transaction: for helpers that work inside or outside one. */
export type DbClient = PrismaClient | Tx;
export { MigrationError };
export type { DirectSql, SqlRunner, SqlValue } from './direct.ts';
export { insertRows, insertSql, placeholders, updateSql } from './direct.ts';
export { transactionOptions } from './client.ts';

export const DEFAULT_DATABASE_URL = 'file:./data/veilig-pad.db';

export interface Db {
  prisma: PrismaClient;
  /** Direct SQL on the same connections, for the hot path only (server/db/direct.ts). */
  direct: DirectSql;
  provider: Provider;
  /**
   * The connection URL, self-contained (SQLite: `file:` + absolute path; PostgreSQL: with `?schema=`
   * when one was given). May hold a password: log `label`.
   */
  url: string;
  /** The URL without credentials, for logs and start-up messages. */
  label: string;
  /** PostgreSQL schema in use (search_path); undefined on SQLite. */
  schema?: string;
  close(): Promise<void>;
}

export type OpenOptions = {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL only: schema to use (default: the URL's `?schema=`, else public). */
  schema?: string;
};

export function providerOf(url: string): Provider {
  if (/^file:/.test(url)) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error('DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)');
}

/** The URL without password, for messages. */
export function redactUrl(url: string): string {
  if (providerOf(url) === 'sqlite') return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://(unparseable url)';
  }
}

type Target =
  | { provider: 'sqlite'; url: string; file: string }
  | { provider: 'postgresql'; url: string; connectionString: string; schema: string };

function resolveTarget(url: string, schemaOpt?: string): Target {
  if (providerOf(url) === 'sqlite') {
    const file = sqliteFile(url);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  const u = new URL(url);
  const fromUrl = u.searchParams.get('schema') ?? undefined;
  // `schema` is Prisma's convention, not libpq's: keep it away from pg.
  u.searchParams.delete('schema');
  const schema = schemaOpt ?? fromUrl ?? 'public';
  assertSchemaName(schema);
  // Db.url names the schema, so it alone reopens the same database (e.g. as a child's DATABASE_URL).
  const canonical = new URL(url);
  if (schemaOpt) canonical.searchParams.set('schema', schema);
  return { provider: 'postgresql', url: canonical.toString(), connectionString: u.toString(), schema };
}

async function migrateTarget(t: Target): Promise<string[]> {
  if (t.provider === 'sqlite') {
    mkdirSync(path.dirname(t.file), { recursive: true });
    return migrateSqlite(t.url, readMigrations('sqlite'));
  }
  return migratePostgres(t.connectionString, t.schema, readMigrations('postgresql'));
}

/**
 * Opens (and by default migrates) the database. Throws MigrationError when the database's
 * migration history does not match the committed migrations: the server must then not start.
 */
export async function openDatabase(url: string = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Promise<Db> {
  const t = resolveTarget(url, opts.schema);
  if (opts.migrate ?? true) await migrateTarget(t);
  const { prisma, direct, dispose } =
    t.provider === 'sqlite' ? await createSqliteClient(t.file) : await createPostgresClient(t.connectionString, t.schema);
  let closed = false;
  const db: Db = {
    prisma,
    direct,
    provider: t.provider,
    url: t.url,
    label: redactUrl(t.url),
    close: async () => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await dispose();
    },
  };
  if (t.provider === 'postgresql') db.schema = t.schema;
  return db;
}

/** Applies pending migrations; returns the names applied now (empty when up to date). */
export async function applyMigrations(target: Db | string, opts: { schema?: string } = {}): Promise<string[]> {
  const t = typeof target === 'string' ? resolveTarget(target, opts.schema) : resolveTarget(target.url, target.schema);
  return migrateTarget(t);
}

function errorChain(e: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    out.push(cur as Record<string, unknown>);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * True when `e` is a unique-constraint violation from either backend, through the Prisma client
 * (P2002, also inside interactive transactions), a driver adapter or the raw driver.
 */
export function isUniqueViolation(e: unknown): boolean {
  for (const err of errorChain(e)) {
    const code = err.code;
    if (code === 'P2002') return true;
    // pg: SQLSTATE unique_violation. better-sqlite3: extended result codes.
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
    const meta = err.meta as { driverAdapterError?: { cause?: { kind?: string } } } | undefined;
    if (meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation') return true;
    const cause = err.cause as { kind?: string } | undefined;
    if (err.name === 'DriverAdapterError' && cause?.kind === 'UniqueConstraintViolation') return true;
  }
  return false;
}

/** True when the database answers a query. */
export async function databaseHealthy(db: Db): Promise<boolean> {
  try {
    await db.direct.get('SELECT 1 AS "ok"');
    return true;
  } catch {
    return false;
  }
}
