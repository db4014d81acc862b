/**
 * Time this process spends in SQL on the direct runner (server/db/direct.ts: the hot path and every
 * list, page and write of the engine), per kind of statement, since start. Published on /metrics
 * (`veiligpad_db_statements_total`, `veiligpad_db_statement_seconds_total`,
 * `veiligpad_db_commit_cpu_seconds_total`) and read by the bench to
 * tell a request's own CPU from its SQL.
 *
 * - `read`: a statement that starts with SELECT (or WITH … SELECT without a write).
 * - `write`: any other statement, BEGIN and SAVEPOINT included.
 * - `commit`: COMMIT. On SQLite this is the fsync of the write-ahead log (synchronous=FULL): the
 *   main thread waits in it, partly on the disk and partly in the kernel's own work for the fsync,
 *   so it is counted apart from the statements, with the CPU it took beside its time.
 *
 * On SQLite a statement runs on the event loop's thread, so its time is the server's own CPU (less
 * any wait for the disk). On PostgreSQL it is the wall time from sending the query to its rows
 * (the network round trip and the database's work, which is another process's CPU); with requests
 * in flight together these times overlap and add up to more than the elapsed time.
 */
export type SqlKind = 'read' | 'write' | 'commit';

export const SQL_KINDS: readonly SqlKind[] = ['read', 'write', 'commit'];

type Tally = { count: number; seconds: number };

/** SQLite's COMMITs: the process's CPU (user + system) while each ran, the fsync's work in the kernel included. */
const commitCpu = { seconds: 0 };

const tallies: Record<SqlKind, Tally> = {
  read: { count: 0, seconds: 0 },
  write: { count: 0, seconds: 0 },
  commit: { count: 0, seconds: 0 },
};

const WRITE = /\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;

/** The kind of a statement, by its text (callers cache it per statement). */
export function sqlKindOf(sql: string): SqlKind {
  const head = sql.trimStart().slice(0, 6).toUpperCase();
  if (head === 'COMMIT') return 'commit';
  if (head === 'SELECT') return 'read';
  // A WITH is a read unless one of its parts writes (the append's single statement on PostgreSQL).
  if (head.startsWith('WITH') && !WRITE.test(sql)) return 'read';
  return 'write';
}

/** Adds one statement of `kind` that took `ms` milliseconds. */
export function recordSql(kind: SqlKind, ms: number): void {
  const t = tallies[kind];
  t.count++;
  t.seconds += ms / 1000;
}

/** Adds the CPU a SQLite COMMIT took (measured around it on the thread that waits in it). */
export function recordCommitCpu(ms: number): void {
  commitCpu.seconds += ms / 1000;
}

export type SqlTotals = Record<SqlKind, Tally> & { commitCpuSeconds: number };

/** A copy of the totals since start, per kind. */
export function sqlTotals(): SqlTotals {
  return {
    read: { ...tallies.read },
    write: { ...tallies.write },
    commit: { ...tallies.commit },
    commitCpuSeconds: commitCpu.seconds,
  };
}
