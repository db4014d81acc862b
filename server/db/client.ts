/**
 * Builds a Prisma client per backend. Only server/db/index.ts imports this file.
 *
 * SQLite concurrency (verified in tests/db/transactions.test.ts): @prisma/adapter-better-sqlite3
 * holds ONE better-sqlite3 connection. Its interactive transactions are serialised by a mutex, but
 * queries issued outside a transaction are not: they run on that same connection, so while some
 * `$transaction` is open they would execute INSIDE it (reading its uncommitted rows, and their
 * writes committed or rolled back with it). The wrapper below closes that hole: the file's lock
 * (server/db/lock.ts) covers every top-level query and every transaction from BEGIN to COMMIT/ROLLBACK, so
 * a transaction runs alone, as SQLite's single writer would make it anyway. Transactions begin
 * IMMEDIATE so that a second process on the same file (tests/db/sqlite-processes.test.ts) waits
 * for the write lock instead of failing with SQLITE_BUSY.
 * Consequence for callers: inside `prisma.$transaction(async (tx) => …)` use `tx` only; a call on
 * the outer client there waits for the transaction to end, i.e. until it times out (on PostgreSQL
 * the same mistake silently runs outside the transaction, equally a bug).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { PrismaClient } from './generated/sqlite/client.ts';
import { postgresDirect, sqliteDirect, type DirectSql, type SqliteConnection } from './direct.ts';
import { lockOfFile } from './lock.ts';

type SqliteFactory = Pick<PrismaBetterSQLite3, 'provider' | 'adapterName' | 'connect'>;
type Adapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;

/**
 * Waiting for the SQLite lock counts towards `maxWait`, so it is generous; `timeout` bounds how long
 * one transaction may hold the database.
 */
export const transactionOptions = { maxWait: 20_000, timeout: 15_000 } as const;

export const SQLITE_PRAGMAS = {
  journal_mode: 'wal',
  // FULL: a committed event survives a power cut, not only a process crash (WAL + NORMAL would not).
  synchronous: 2,
  busy_timeout: 5000,
  foreign_keys: 1,
} as const;

/**
 * A transaction on the shared connection, begun with BEGIN IMMEDIATE: the file's write lock is taken
 * up front (waiting up to busy_timeout for another process, e.g. the admin CLI), so a transaction
 * that reads first and writes later cannot fail halfway with SQLITE_BUSY on the lock upgrade, as
 * the adapter's own deferred BEGIN could. Prisma itself sends COMMIT/ROLLBACK through executeRaw
 * (usePhantomQuery: false); commit()/rollback() only release the lock.
 */
function immediateTransaction(conn: Adapter, release: () => void): Transaction {
  let open = true;
  const end = async () => {
    if (open) {
      open = false;
      release();
    }
  };
  return {
    provider: conn.provider,
    adapterName: conn.adapterName,
    options: { usePhantomQuery: false },
    queryRaw: (q) => conn.queryRaw(q),
    async executeRaw(q) {
      try {
        return await conn.executeRaw(q);
      } catch (e) {
        // A failed COMMIT/ROLLBACK is never followed by commit()/rollback(): end the transaction
        // here, or the connection would stay locked for good.
        if (/^\s*(COMMIT|ROLLBACK)\b/i.test(q.sql)) {
          await conn.executeScript('ROLLBACK').catch(() => undefined);
          await end();
        }
        throw e;
      }
    },
    commit: end,
    rollback: end,
  };
}

function serialisedSqlite(
  inner: PrismaBetterSQLite3,
  file: string,
  onConnect: (c: SqliteConnection | null) => void,
): SqliteFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const conn = await inner.connect();
      // Per-connection settings (journal_mode is also stored in the file) are set here, on the
      // connection Prisma will use, every time it (re)connects.
      await conn.executeScript(
        Object.entries(SQLITE_PRAGMAS)
          .map(([k, v]) => `PRAGMA ${k} = ${v};`)
          .join('\n'),
      );
      // The file's one lock (server/db/lock.ts): shared with any other connection of this process.
      const lock = lockOfFile(file);
      // The adapter's better-sqlite3 handle, for server/db/direct.ts under the same lock.
      const client = (conn as unknown as { client?: SqliteConnection['client'] }).client;
      if (!client)
        throw new Error(
          '@prisma/adapter-better-sqlite3 no longer exposes its connection (server/db/direct.ts needs it)',
        );
      onConnect({ client, lock });
      const adapter: Adapter = {
        provider: conn.provider,
        adapterName: conn.adapterName,
        queryRaw: (q) => lock.run(() => conn.queryRaw(q)),
        executeRaw: (q) => lock.run(() => conn.executeRaw(q)),
        executeScript: (s) => lock.run(() => conn.executeScript(s)),
        async startTransaction(isolationLevel) {
          // SQLite transactions are always serializable; let the adapter reject any other level.
          if (isolationLevel && isolationLevel !== 'SERIALIZABLE')
            return conn.startTransaction(isolationLevel);
          const release = await lock.acquire();
          try {
            await conn.executeScript('BEGIN IMMEDIATE');
            return immediateTransaction(conn, release);
          } catch (e) {
            release();
            throw e;
          }
        },
        dispose: () => {
          onConnect(null);
          return conn.dispose();
        },
      };
      if (conn.getConnectionInfo) adapter.getConnectionInfo = () => conn.getConnectionInfo!();
      return adapter;
    },
  };
}

/** `file:` URL → absolute file path; relative paths are relative to the working directory. */
export function sqliteFile(url: string): string {
  const raw = url.replace(/^file:(\/\/)?/, '').split('?')[0] ?? '';
  if (raw === '' || raw === ':memory:')
    throw new Error('DATABASE_URL: an in-memory SQLite database is not supported');
  return path.resolve(process.cwd(), decodeURIComponent(raw));
}

export type Clients = { prisma: PrismaClient; direct: DirectSql; dispose(): Promise<void> };

export async function createSqliteClient(file: string): Promise<Clients> {
  mkdirSync(path.dirname(file), { recursive: true });
  const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
  const { PrismaClient: SqliteClient } = await import('./generated/sqlite/client.ts');
  const factory = new PrismaBetterSQLite3(
    { url: file, timeout: SQLITE_PRAGMAS.busy_timeout },
    { timestampFormat: 'iso8601' },
  );
  let current: SqliteConnection | null = null;
  const prisma = new SqliteClient({
    adapter: serialisedSqlite(factory, file, (c) => (current = c)),
    transactionOptions,
  });
  await prisma.$connect();
  const direct = sqliteDirect(async () => {
    if (!current) await prisma.$connect();
    if (!current) throw new Error('The SQLite connection is closed');
    return current;
  });
  return { prisma, direct, dispose: async () => undefined };
}

export async function createPostgresClient(connectionString: string, schema: string): Promise<Clients> {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { PrismaClient: PgClient } = await import('./generated/postgresql/client.ts');
  const { default: pg } = await import('pg');
  // TimeZone=UTC: DateTime columns are timestamps without zone holding UTC; raw now() must agree.
  // One pool for Prisma and server/db/direct.ts, so the connection limit is one number.
  // connectionTimeoutMillis: while the database is unreachable (a restart, a failover that drops
  // packets) a request waits at most this long for a connection and then answers 503, instead of
  // hanging until the client gives up.
  const pool = new pg.Pool({
    connectionString,
    options: `-c search_path=${schema} -c TimeZone=UTC`,
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', () => undefined); // an idle client's error is reported to the query that next uses the pool
  // A checked-out client whose connection dies (pg_terminate_backend, a restart) emits 'error' too,
  // and with no listener that killed the process (issue 11 item 1). The query or transaction using
  // it fails on its own (a 503 in the HTTP layer), and the pool discards the broken client on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // PrismaPg's `schema` makes the generated SQL name the schema; search_path covers raw SQL.
  const adapter = new PrismaPg(pool, { schema });
  const prisma = new PgClient({ adapter, transactionOptions });
  await prisma.$connect();
  let ended = false;
  return {
    // The two generated clients are built from the same models (only the provider differs), so
    // the SQLite client type describes both.
    prisma: prisma as unknown as PrismaClient,
    direct: postgresDirect(pool, pg),
    dispose: async () => {
      if (ended) return;
      ended = true;
      await pool.end();
    },
  };
}
