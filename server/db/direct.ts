/**
 * Direct SQL on the connections Prisma uses, for the hot path (a transition, a session lookup).
 *
 * Why: a Prisma operation costs 0.4–0.8 ms of CPU here (query compiler in WebAssembly + client
 * runtime; the SQLite adapter also re-prepares every statement), and a transition needed 10–12 of
 * them (BENCHMARKS.md). A cached better-sqlite3 statement costs a few microseconds, a `pg` query a
 * few tens. Only server/db and server/engine use this; everything else goes through Prisma.
 *
 * Same database, same rules:
 * - SQLite: the very connection Prisma holds (captured when the adapter connects) under the same
 *   lock (server/db/lock.ts), so a direct query never runs inside someone's Prisma transaction and
 *   a direct transaction (BEGIN IMMEDIATE … COMMIT) runs alone, exactly like Prisma's.
 * - PostgreSQL: the same `pg.Pool` Prisma's adapter uses (created in server/db/client.ts), so the
 *   connection limit is one number.
 * - Values are written in Prisma's formats (SQLite DateTime: ISO-8601 text "…+00:00"; Boolean 0/1;
 *   PostgreSQL timestamp(3) without time zone holding UTC), and read back as Date/boolean using the
 *   declared column types, so Prisma and direct SQL read each other's rows.
 *
 * SQL is written once with `?` placeholders and double-quoted identifiers; PostgreSQL gets `$n`.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { recordCommitCpu, recordSql, sqlKindOf, type SqlKind } from './sqlTime.ts';

export type SqlValue = string | number | boolean | Date | bigint | null | undefined;
export type Row = Record<string, unknown>;

export interface SqlRunner {
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface DirectSql extends SqlRunner {
  readonly provider: 'sqlite' | 'postgresql';
  /** SQLite: transactions run and commits made (group commit shares commits); for metrics and tests. */
  readonly stats?: { transactions: number; commits: number };
  /** One transaction: committed when `fn` resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

// ------------------------------------------------------------------ SQL building

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `INSERT INTO "T" ("a", "b") VALUES (?, ?), (?, ?)` for `rows` rows of the given columns. */
export function insertSql(table: string, columns: readonly string[], rows = 1): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(', ')}`;
}

/** Inserts objects (all with the same keys as the first) in chunks of at most 500 bound values… rows. */
export async function insertRows(
  q: SqlRunner,
  table: string,
  rows: readonly Record<string, SqlValue>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  // SQLite allows 32,766 bound values, PostgreSQL 65,535: stay well below both.
  const perChunk = Math.max(1, Math.floor(900 / columns.length));
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk);
    const params: SqlValue[] = [];
    for (const row of chunk) for (const c of columns) params.push(row[c]);
    await q.run(insertSql(table, columns, chunk.length), params);
  }
}

/** `UPDATE "T" SET "a" = ?, "b" = ? WHERE …`; returns the SQL and the SET values in order. */
export function updateSql(
  table: string,
  set: Record<string, SqlValue>,
  where: string,
): { sql: string; params: SqlValue[] } {
  const columns = Object.keys(set);
  return {
    sql: `UPDATE ${quote(table)} SET ${columns.map((c) => `${quote(c)} = ?`).join(', ')} WHERE ${where}`,
    params: columns.map((c) => set[c]),
  };
}

/** `WHERE a = ? AND b <= ?` of the conditions whose value is given (not undefined or ''), with those values in order. */
export function whereGiven(conditions: readonly (readonly [string, SqlValue])[]): { clause: string; params: SqlValue[] } {
  const given = conditions.filter(([, value]) => value !== undefined && value !== '');
  return {
    clause: given.length > 0 ? `WHERE ${given.map(([c]) => c).join(' AND ')}` : '',
    params: given.map(([, value]) => value),
  };
}

const placeholderLists = new Map<number, string>();
/** `?, ?, ?` for an IN list (each length up to 1,000 built once; every statement of a list page asks again). */
export const placeholders = (n: number): string => {
  let list = placeholderLists.get(n);
  if (list === undefined) {
    list = Array.from({ length: n }, () => '?').join(', ');
    if (n <= 1000) placeholderLists.set(n, list);
  }
  return list;
};

// ------------------------------------------------------------------ one statement of several writes (PostgreSQL)

/**
 * One sub-statement of a PostgreSQL `WITH` of data-modifying statements (server/db/append.ts): its
 * SQL with `?` placeholders and its values in order. Each repository builds those of its table.
 */
export type Cte = { sql: string; params: SqlValue[] };

/**
 * The sub-statement every other write of the statement depends on, by name: the family update of an
 * append (`RETURNING` its row, or nothing when the family moved on).
 */
export const APPENDED = 'f';
/** True when the family update wrote its row (for the UPDATE sub-statements). */
export const ifAppended = `EXISTS (SELECT 1 FROM ${APPENDED})`;

/**
 * Inserts `rows` (objects with the same keys) when the family update wrote its row: the rows go in
 * as one JSON value, typed by the table's own row type (json_populate_recordset: the column types
 * are PostgreSQL's, no value is cast by hand; Dates are sent as ISO text in UTC, as the runner sends
 * them). `fromAppended` names columns taken from the updated family row.
 */
export function insertJsonCte(table: string, rows: readonly object[], fromAppended: readonly string[] = []): Cte | null {
  if (rows.length === 0) return null;
  const columns = Object.keys(rows[0]!).map(quote);
  const target = [...columns, ...fromAppended.map(quote)].join(', ');
  const values = [...columns.map((c) => `r.${c}`), ...fromAppended.map((c) => `${APPENDED}.${quote(c)}`)].join(', ');
  return {
    sql: `INSERT INTO ${quote(table)} (${target}) SELECT ${values} FROM json_populate_recordset(NULL::${quote(table)}, ?::json) r, ${APPENDED}`,
    params: [JSON.stringify(rows)],
  };
}

/** A list of ids as one JSON value, for `"id" IN …` inside such a statement. */
export function jsonIdList(ids: readonly string[]): Cte {
  return { sql: '(SELECT json_array_elements_text(?::json))', params: [JSON.stringify(ids)] };
}

// ------------------------------------------------------------------ SQLite

export type SqliteConnection = {
  client: Database.Database;
  /** The file's lock (server/db/lock.ts) that serialises everything on this connection. */
  lock: { acquire(): Promise<() => void> };
};

type Prepared = { stmt: Database.Statement; toRow: ((values: unknown[]) => Row) | null; kind: SqlKind };

/**
 * A DateTime as SQLite stores it: fixed-width UTC text, `YYYY-MM-DDTHH:MM:SS.mmm+00:00`, so that text
 * order is instant order and `<=` in SQL compares instants. A year outside 0000–9999 would be written
 * with six digits and a sign (`+010000-…`), which sorts before `2026-…` (issue 11 item 2): refused.
 */
export function sqliteDate(d: Date): string {
  const iso = d.toISOString();
  if (iso.length !== 24) throw new RangeError(`An instant outside the years 0000–9999 cannot be stored: ${iso}`);
  return `${iso.slice(0, 23)}+00:00`;
}

// The instant last written, with its text: the rows of one statement share it (a list's 50 access-log rows).
let lastInstant = Number.NaN;
let lastInstantText = '';

function sqliteParam(v: SqlValue): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) {
    const t = v.getTime();
    if (t !== lastInstant) {
      lastInstantText = sqliteDate(v);
      lastInstant = t;
    }
    return lastInstantText;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/**
 * A reader's rows come from better-sqlite3 as arrays (raw mode), made into objects here: one object
 * per row with the statement's column names in order (the last of two equal names wins, as in
 * better-sqlite3's own objects), a DATETIME column as a Date and a BOOLEAN one as a boolean. Objects
 * built in JavaScript cost less than better-sqlite3's own (about 35 of 120 µs for a page of 50
 * monitoring rows, BENCHMARKS.md session 15), and the conversion is done in the same pass.
 */
function rowMakerFor(stmt: Database.Statement): (values: unknown[]) => Row {
  const columns = stmt.columns();
  const names = columns.map((c) => c.name);
  const kinds = columns.map((c) => {
    const type = (c.type ?? '').toUpperCase();
    return type === 'DATETIME' ? 1 : type === 'BOOLEAN' ? 2 : 0;
  });
  return (values) => {
    const row: Row = {};
    for (let i = 0; i < names.length; i++) {
      const v = values[i];
      const kind = kinds[i];
      row[names[i]!] =
        kind === 1 && (typeof v === 'string' || typeof v === 'number') ? new Date(v) : kind === 2 && v !== null && v !== undefined ? Boolean(v) : v;
    }
    return row;
  };
}

class SqliteRunner implements SqlRunner {
  readonly #cache = new Map<string, Prepared>();
  /**
   * Set while a group commit's transaction is open. SQLite rolls a whole transaction back by itself
   * on SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM (and some SQLITE_BUSY); a statement issued after that
   * would run in autocommit mode and be written on its own. Inside a group every statement first
   * checks that the transaction is still open.
   */
  inGroup = false;
  constructor(readonly client: Database.Database) {}

  #checkOpen(): void {
    if (this.inGroup && !this.client.inTransaction)
      throw Object.assign(new Error('SQLite rolled the transaction back (disk full or I/O error); nothing of it was written'), {
        code: 'SQLITE_FULL_OR_IOERR_ROLLBACK',
      });
  }

  prepared(sql: string): Prepared {
    let p = this.#cache.get(sql);
    if (!p) {
      const stmt = this.client.prepare(sql);
      // Prisma's adapter turns safe integers on for the connection (BigInt); the schema's Int is 32-bit.
      if (stmt.reader) stmt.safeIntegers(false).raw(true);
      p = { stmt, toRow: stmt.reader ? rowMakerFor(stmt) : null, kind: sqlKindOf(sql) };
      // Statements built per row count (multi-row inserts) are bounded by insertRows' chunking.
      if (this.#cache.size > 500) this.#cache.clear();
      this.#cache.set(sql, p);
    }
    return p;
  }

  allSync<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    this.#checkOpen();
    const p = this.prepared(sql);
    const t0 = performance.now();
    try {
      const values = p.stmt.all(...params.map(sqliteParam)) as unknown[][];
      const toRow = p.toRow;
      if (!toRow) return values as T[];
      const rows = new Array<Row>(values.length);
      for (let i = 0; i < values.length; i++) rows[i] = toRow(values[i]!);
      return rows as T[];
    } finally {
      recordSql(p.kind, performance.now() - t0);
    }
  }

  runSync(sql: string, params: readonly SqlValue[] = []): number {
    this.#checkOpen();
    const p = this.prepared(sql);
    const t0 = performance.now();
    try {
      return p.stmt.run(...params.map(sqliteParam)).changes;
    } finally {
      recordSql(p.kind, performance.now() - t0);
    }
  }

  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    try {
      return Promise.resolve(this.allSync<T>(sql, params));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    try {
      return Promise.resolve(this.runSync(sql, params));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

/** At most this many transactions share one commit (bounds the time the write lock is held). */
const MAX_GROUP = 64;

type Queued = {
  fn: (tx: SqlRunner) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
};

/**
 * Transactions are group-committed: those issued while a commit is pending run one after another
 * inside one BEGIN IMMEDIATE … COMMIT, each in its own savepoint, and each caller hears back only
 * after that COMMIT (one fsync for the group instead of one each — on this VM's disk an fsync costs
 * 0.1–3 ms, as much as the rest of a transition). Each transaction still runs alone and sees the
 * ones before it, exactly as if committed one by one; only the moment of durability is shared.
 * A transaction function must use only the runner it is given (no Prisma, no other I/O).
 *
 * `connection()` yields the connection Prisma currently holds (connecting it if needed); runners
 * and their statement caches are kept per connection object.
 */
export function sqliteDirect(connection: () => Promise<SqliteConnection>): DirectSql {
  const queue: Queued[] = [];
  let flushing = false;
  const stats = { transactions: 0, commits: 0 };
  const runners = new WeakMap<Database.Database, SqliteRunner>();
  const runnerOf = (client: Database.Database) => {
    let r = runners.get(client);
    if (!r) {
      r = new SqliteRunner(client);
      runners.set(client, r);
    }
    return r;
  };
  const locked = async <T>(fn: (r: SqliteRunner) => T): Promise<T> => {
    const conn = await connection();
    const release = await conn.lock.acquire();
    try {
      return fn(runnerOf(conn.client));
    } finally {
      release();
    }
  };
  return {
    provider: 'sqlite',
    stats,
    all: <T = Row>(sql: string, params?: readonly SqlValue[]) => locked((r) => r.allSync<T>(sql, params)),
    get: async <T = Row>(sql: string, params?: readonly SqlValue[]) =>
      (await locked((r) => r.allSync<T>(sql, params)))[0],
    run: (sql, params) => locked((r) => r.runSync(sql, params)),
    transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({
          fn: fn as (tx: SqlRunner) => Promise<unknown>,
          resolve: resolve as (v: unknown) => void,
          reject,
        });
        schedule();
      });
    },
  };

  function schedule(): void {
    if (flushing || queue.length === 0) return;
    flushing = true;
    // One event-loop turn: the transactions of requests that arrived together join this commit.
    setImmediate(() => {
      void flush().finally(() => {
        flushing = false;
        schedule(); // a transaction queued by a caller woken at the end of the last group
      });
    });
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_GROUP);
      let conn: SqliteConnection;
      try {
        conn = await connection();
      } catch (e) {
        for (const t of batch) t.reject(e);
        continue;
      }
      const release = await conn.lock.acquire();
      const r = runnerOf(conn.client);
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        r.runSync('BEGIN IMMEDIATE');
        r.inGroup = true;
        for (const t of batch) {
          // Each transaction in its own savepoint: one that fails (a version conflict, a lost claim)
          // leaves no trace and does not touch the others.
          r.runSync('SAVEPOINT "group_commit"');
          try {
            const value = await t.fn(r);
            r.runSync('RELEASE "group_commit"');
            outcomes.push({ ok: true, value });
          } catch (error) {
            // SQLite rolled the whole group back itself (disk full, I/O error): nothing of it stands,
            // and every transaction of the group hears the cause (a 503, issue 11 item 14).
            if (!conn.client.inTransaction) throw error;
            r.runSync('ROLLBACK TO "group_commit"');
            r.runSync('RELEASE "group_commit"');
            outcomes.push({ ok: false, error });
          }
        }
        r.inGroup = false;
        // The COMMIT's fsync costs CPU as well as waiting (system time): that CPU is tallied apart.
        const cpu0 = process.cpuUsage();
        r.runSync('COMMIT');
        const cpu = process.cpuUsage(cpu0);
        recordCommitCpu((cpu.user + cpu.system) / 1000);
        stats.commits++;
        stats.transactions += batch.length;
      } catch (e) {
        // BEGIN or COMMIT failed, or SQLite rolled the group back (disk full, I/O error, busy):
        // nothing of the group is durable.
        r.inGroup = false;
        if (conn.client.inTransaction) {
          try {
            r.runSync('ROLLBACK');
          } catch {
            // the connection reports the next use
          }
        }
        release();
        for (const t of batch) t.reject(e);
        continue;
      }
      release();
      // Answered only after COMMIT returned: an acknowledged write is on disk (synchronous=FULL).
      batch.forEach((t, i) => {
        const o = outcomes[i]!;
        if (o.ok) t.resolve(o.value);
        else t.reject(o.error);
      });
    }
  }
}

// ------------------------------------------------------------------ PostgreSQL

const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

type PgTypes = { getTypeParser: (oid: number, format?: string) => (value: string) => unknown };

function pgTypes(base: typeof pg.types): PgTypes {
  return {
    getTypeParser(oid: number, format?: string) {
      // timestamp(3) without time zone holds UTC (Prisma's convention): read it as UTC, whatever TZ is.
      if (oid === PG_TIMESTAMP) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
      if (oid === PG_TIMESTAMPTZ) return (v: string) => new Date(v);
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (v: string) => Number(v);
      return base.getTypeParser(oid, (format ?? 'text') as 'text');
    },
  };
}

function pgParam(v: SqlValue): unknown {
  if (v === undefined) return null;
  // A JS Date would be sent in the process's local time zone: send UTC text (the zone is ignored
  // by a column without time zone, which is what Prisma stores).
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v;
}

const pgSqlCache = new Map<string, { text: string; kind: SqlKind }>();
function pgSql(sql: string): { text: string; kind: SqlKind } {
  let out = pgSqlCache.get(sql);
  if (out === undefined) {
    let n = 0;
    out = { text: sql.replace(/\?/g, () => `$${++n}`), kind: sqlKindOf(sql) };
    if (pgSqlCache.size > 2000) pgSqlCache.clear();
    pgSqlCache.set(sql, out);
  }
  return out;
}

type PgQueryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** A query's wall time, from sending it to its answer (or its error), in the SQL tally. */
async function timedPg<T>(kind: SqlKind, send: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await send();
  } finally {
    recordSql(kind, performance.now() - t0);
  }
}

/**
 * Each statement text gets a name, the same in every connection: `pg` then sends its text (Parse) once
 * per connection and afterwards only Bind and Execute, and PostgreSQL keeps its parse and, after five
 * runs, may keep a generic plan. The append's one statement is long; parsing and planning it every time
 * was PostgreSQL's work on the same two cores (BENCHMARKS.md, session 16). Texts built per length (IN
 * lists, multi-row inserts) make more names: after PG_STATEMENT_NAMES texts, new ones run unnamed, so
 * that no connection holds more than that many prepared statements. A name always means one text
 * (`pg` refuses a name reused for another text), so the map is never emptied. Protocol-level prepared
 * statements outlive a rolled-back transaction, and a plan whose tables change is re-planned by
 * PostgreSQL itself.
 */
export const PG_STATEMENT_NAMES = 500;
const statementNames = new Map<string, string>();

export function pgStatementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined) {
    if (statementNames.size >= PG_STATEMENT_NAMES) return undefined;
    name = `vp_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

function pgRunner(q: PgQueryable, types: PgTypes): SqlRunner {
  const query = (sql: string, params: readonly SqlValue[] = []) => {
    const { text, kind } = pgSql(sql);
    return timedPg(kind, () => q.query({ name: pgStatementName(text), text, values: params.map(pgParam), types } as pg.QueryConfig));
  };
  return {
    async all<T = Row>(sql: string, params?: readonly SqlValue[]) {
      return (await query(sql, params)).rows as T[];
    },
    async get<T = Row>(sql: string, params?: readonly SqlValue[]) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async run(sql, params) {
      return (await query(sql, params)).rowCount ?? 0;
    },
  };
}

export function postgresDirect(pool: pg.Pool, pgModule: typeof pg): DirectSql {
  const types = pgTypes(pgModule.types);
  const outside = pgRunner(pool, types);
  return {
    provider: 'postgresql',
    ...outside,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: unknown = undefined;
      try {
        await timedPg('write', () => client.query('BEGIN'));
        try {
          const result = await fn(pgRunner(client, types));
          await timedPg('commit', () => client.query('COMMIT'));
          return result;
        } catch (e) {
          await timedPg('write', () => client.query('ROLLBACK')).catch((rollbackError: unknown) => {
            broken = rollbackError;
          });
          throw e;
        }
      } finally {
        // A connection whose ROLLBACK failed is not given back to the pool.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
  };
}
