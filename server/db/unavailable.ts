/**
 * Whether an error means "the database cannot serve this request now" rather than "this request
 * or this code is wrong": the connection was terminated (a restart, a failover, an administrator's
 * pg_terminate_backend), refused, reset or timed out, or SQLite's disk is full. The HTTP layer
 * answers those with 503 (try again), not 500 (issue 11 items 1 and 14). Errors arrive raw from
 * `pg` and better-sqlite3, or wrapped by Prisma's driver adapters (`cause`), so the chain is walked.
 */

// PostgreSQL SQLSTATEs: 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown,
// 57P03 cannot_connect_now (starting up, in recovery), 53300 too_many_connections, class 08 connection exceptions.
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007', '08P01']);
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SQLITE_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_FULL_OR_IOERR_ROLLBACK']);
// Prisma driver adapter error kinds (DriverAdapterError.cause.kind) that mean the same.
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'DatabaseDoesNotExist', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseFull']);
const MESSAGES =
  /Connection terminated|not queryable|terminating connection|Connection closed|Can't reach database server|timeout exceeded when trying to connect|database or disk is full|Client was closed|Cannot use a pool after calling end/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const x = e as { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown };
    for (const code of [x.code, x.originalCode]) {
      if (typeof code === 'string' && (PG_CODES.has(code) || NODE_CODES.has(code) || SQLITE_CODES.has(code) || code.startsWith('SQLITE_IOERR')))
        return true;
    }
    if (typeof x.kind === 'string' && ADAPTER_KINDS.has(x.kind)) return true;
    if (x.kind === 'postgres' && typeof x.code === 'string' && PG_CODES.has(x.code)) return true;
    if (typeof x.message === 'string' && MESSAGES.test(x.message)) return true;
    e = x.cause;
  }
  return false;
}
