import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { writeAccessLog, type AccessEntry } from '../../server/db/accessLog.ts';
import { SQLITE_PRAGMAS } from '../../server/db/client.ts';
import { postgresDirect, sqliteDirect, type DirectSql } from '../../server/db/direct.ts';
import { eventHash, familyEvents, insertEvents, type EventRow } from '../../server/db/events.ts';
import { APPEND_COLUMNS, findFamilyForAppend, updateFamilyAtVersion, type FamilyAppendRow } from '../../server/db/families.ts';
import type { Provider } from '../../server/db/index.ts';
import { insertBatch, toBatch } from '../../server/engine/batch.ts';
import { freshDb, pgTarget } from '../lib/db.ts';
import { longFamilyCached } from '../lib/histories.ts';
import type { BenchOptions } from '../lib/options.ts';
import { spread, type Spread } from '../lib/stats.ts';

// Issue 10: "where hand-written SQL and format converters stay (server/db/direct.ts), measure a
// typed query builder that speaks both dialects (e.g. Kysely) against them and keep the faster or
// equal one". Both sides run the statements of one append, as server/engine/store.ts issues them —
// read the family row for the append; then in one transaction the conditional update of the family,
// the hash of the previous event, the event insert and the access-log row — on the same database,
// through the same driver, with the same conversions of dates and booleans, alternating in windows
// so that drift in the machine's load hits both alike. The runner side calls the repositories of
// server/db themselves; the Kysely side writes the same statements with Kysely's query builder.

export type QueryBuilderBackend = {
  backend: Provider;
  kysely: string;
  /** Appends per second (the statement set of one append, one transaction each). */
  runnerPerSec: Spread;
  kyselyPerSec: Spread;
  /** Process CPU (user + system) per append, microseconds. */
  runnerCpuUs: Spread;
  kyselyCpuUs: Spread;
  /** kyselyPerSec / runnerPerSec, per run: above 1 means Kysely is faster (wall clock, fsync included). */
  ratio: Spread;
  /**
   * kyselyCpuUs / runnerCpuUs, per run: the CPU a query builder adds or saves. The verdict: the
   * durable commit (fsync, a network round trip) is the same for both sides and dominates the wall
   * clock on a shared machine, so the CPU per append is what tells the two apart.
   */
  cpuRatio: Spread;
  /** Both sides read back the same family row (same columns, same converted values). */
  sameRow: boolean;
};

// ------------------------------------------------------------------ the tables, as Kysely sees them
// The rows of server/db's repositories, with the stored formats server/db/direct.ts documents
// (SQLite: DateTime as ISO text "…+00:00", Boolean 0/1; PostgreSQL: timestamp(3) in UTC).
type Stored<T> = { [K in keyof T]: T[K] extends Date ? Date | string : T[K] extends Date | null ? Date | string | null : T[K] extends boolean ? boolean | number : T[K] };
type Tables = { Family: Stored<FamilyAppendRow>; Event: Stored<EventRow>; AccessLog: Stored<AccessEntry> };
type EventTable = Tables['Event'];
type Stamp = Date | string;

const DATE_COLUMNS = ['createdAt', 'updatedAt', 'nextDueAt', 'reportedAt', 'closedAt'] as const;

/** The values as a query builder must write them on this backend (what direct.ts does for the runner). */
function toDb(provider: Provider) {
  return {
    date: (d: Date): Stamp => (provider === 'sqlite' ? d.toISOString().replace('Z', '+00:00') : d),
    row: <T extends Record<string, unknown>>(row: T): T => {
      if (provider !== 'sqlite') return row;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString().replace('Z', '+00:00') : typeof v === 'boolean' ? (v ? 1 : 0) : v;
      return out as T;
    },
  };
}

/** A family row as read, with dates and booleans converted as the runner converts them. */
function fromDb(row: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!row) return row;
  for (const c of DATE_COLUMNS) if (typeof row[c] === 'string') row[c] = new Date(row[c] as string);
  if (typeof row.acute === 'number') row.acute = row.acute !== 0;
  return row;
}

// ------------------------------------------------------------------ the two sides

type Side = { append(seq: number): Promise<void>; read(): Promise<Record<string, unknown> | undefined>; close(): Promise<void> };

function eventAt(template: EventRow, familyId: string, seq: number): EventRow {
  return { ...template, familyId, seq, prevHash: `prev-${seq}`, hash: `bench-${familyId}-${seq}` };
}

function runnerSide(direct: DirectSql, familyId: string, template: EventRow, close: () => Promise<void>): Side {
  return {
    // The same columns as the query builder's read (the runner's also carries the last event's hash).
    read: async () => {
      const row = await findFamilyForAppend(direct, familyId);
      if (!row) return undefined;
      const { lastHash: _lastHash, ...columns } = row;
      return columns as Record<string, unknown>;
    },
    async append(seq) {
      const family = await findFamilyForAppend(direct, familyId);
      if (!family) throw new Error('family gone');
      const now = new Date();
      await direct.transaction(async (tx) => {
        if (!(await updateFamilyAtVersion(tx, familyId, family.version, { version: family.version + 1, updatedAt: now, snapshot: family.snapshot })))
          throw new Error('version conflict');
        await eventHash(tx, familyId, seq - 1);
        await insertEvents(tx, [eventAt(template, familyId, seq)]);
        await writeAccessLog(tx, { at: now, userId: null, username: 'bench', role: 'director', familyId, action: 'write', result: 'ok', ip: null });
      });
    },
    close,
  };
}

function kyselySide(provider: Provider, db: Kysely<Tables>, familyId: string, template: EventRow): Side {
  const to = toDb(provider);
  const read = async (q: Kysely<Tables> | Transaction<Tables>) =>
    fromDb((await q.selectFrom('Family').select(APPEND_COLUMNS).where('id', '=', familyId).executeTakeFirst()) as Record<string, unknown> | undefined);
  return {
    read: () => read(db),
    async append(seq) {
      const family = await read(db);
      if (!family) throw new Error('family gone');
      const version = family.version as number;
      const now = new Date();
      await db.transaction().execute(async (tx) => {
        const updated = await tx
          .updateTable('Family')
          .set({ version: version + 1, updatedAt: to.date(now), snapshot: family.snapshot as string })
          .where('id', '=', familyId)
          .where('version', '=', version)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Error('version conflict');
        await tx.selectFrom('Event').select('hash').where('familyId', '=', familyId).where('seq', '=', seq - 1).executeTakeFirst();
        await tx.insertInto('Event').values(to.row(eventAt(template, familyId, seq)) as EventTable).execute();
        await tx
          .insertInto('AccessLog')
          .values(to.row<AccessEntry>({ at: now, userId: null, username: 'bench', role: 'director', familyId, action: 'write', result: 'ok', ip: null }))
          .execute();
      });
    },
    close: () => db.destroy(),
  };
}

// ------------------------------------------------------------------ the suite

/** The version of an installed package (its package.json is not in its exports: walk up from its entry). */
function packageVersion(name: string): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.resolve(name))); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json here: look further up
    }
  }
  return 'unknown';
}

function sizes(o: BenchOptions) {
  if (o.smoke) return { windowMs: 300, warmup: 20 };
  if (o.quick) return { windowMs: 2_000, warmup: 200 };
  return { windowMs: 5_000, warmup: 500 };
}

async function window(side: Side, nextSeq: () => number, ms: number): Promise<{ perSec: number; cpuUs: number }> {
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stopAt = t0 + ms;
  while (performance.now() < stopAt) {
    await side.append(nextSeq());
    n++;
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSec: (n / elapsed) * 1000, cpuUs: (cpu.user + cpu.system) / n };
}

export async function queryBuilderSuite(o: BenchOptions): Promise<QueryBuilderBackend[]> {
  const size = sizes(o);
  const { family } = longFamilyCached(20);
  const kyselyVersion = packageVersion('kysely');
  const out: QueryBuilderBackend[] = [];
  for (const backend of o.backends) {
    const b = await freshDb(backend, { pgUrl: o.pgUrl, label: 'querybuilder' });
    const closers: (() => Promise<unknown>)[] = [];
    try {
      await insertBatch(b.db, toBatch([family]));
      const familyId = family.row.id;
      const events = await familyEvents(b.db.direct, familyId);
      const template = events[events.length - 1]!;
      let seq = events.length;
      const nextSeq = () => ++seq;

      let runner: Side;
      let kysely: Side;
      if (backend === 'sqlite') {
        // One better-sqlite3 connection with the server's pragmas, shared by both sides in turn.
        const client = new Database(b.file!);
        for (const [k, v] of Object.entries(SQLITE_PRAGMAS)) client.pragma(`${k} = ${v}`);
        client.defaultSafeIntegers(false);
        const lock = { acquire: async () => () => undefined };
        runner = runnerSide(sqliteDirect(async () => ({ client, lock })), familyId, template, async () => undefined);
        kysely = kyselySide(backend, new Kysely<Tables>({ dialect: new SqliteDialect({ database: client }) }), familyId, template);
        closers.push(async () => client.close());
      } else {
        // One pool each, configured as the server's (server/db/client.ts).
        const { connectionString, schema } = pgTarget(b.url);
        const pool = () => new pg.Pool({ connectionString, options: `-c search_path=${schema} -c TimeZone=UTC`, max: 4 });
        const runnerPool = pool();
        runner = runnerSide(postgresDirect(runnerPool, pg), familyId, template, () => runnerPool.end());
        kysely = kyselySide(backend, new Kysely<Tables>({ dialect: new PostgresDialect({ pool: pool() }) }), familyId, template);
      }
      closers.unshift(() => kysely.close(), () => runner.close());

      const a = await runner.read();
      const k = await kysely.read();
      const sameRow = JSON.stringify(a) === JSON.stringify(k);

      for (let i = 0; i < size.warmup; i++) {
        await runner.append(nextSeq());
        await kysely.append(nextSeq());
      }
      const r: { perSec: number; cpuUs: number }[] = [];
      const q: { perSec: number; cpuUs: number }[] = [];
      for (let run = 0; run < o.runs; run++) {
        // Alternate which side goes first, so a trend within the run favours neither.
        if (run % 2 === 0) {
          r.push(await window(runner, nextSeq, size.windowMs));
          q.push(await window(kysely, nextSeq, size.windowMs));
        } else {
          q.push(await window(kysely, nextSeq, size.windowMs));
          r.push(await window(runner, nextSeq, size.windowMs));
        }
      }
      const result: QueryBuilderBackend = {
        backend,
        kysely: kyselyVersion,
        runnerPerSec: spread(r.map((x) => x.perSec)),
        kyselyPerSec: spread(q.map((x) => x.perSec)),
        runnerCpuUs: spread(r.map((x) => x.cpuUs)),
        kyselyCpuUs: spread(q.map((x) => x.cpuUs)),
        ratio: spread(q.map((x, i) => x.perSec / r[i]!.perSec)),
        cpuRatio: spread(q.map((x, i) => x.cpuUs / r[i]!.cpuUs)),
        sameRow,
      };
      o.log(
        `  ${backend}: runner ${result.runnerPerSec.median.toFixed(0)}/s (${result.runnerCpuUs.median.toFixed(0)} µs CPU), ` +
          `kysely ${result.kyselyPerSec.median.toFixed(0)}/s (${result.kyselyCpuUs.median.toFixed(0)} µs CPU), same row ${sameRow}`,
      );
      out.push(result);
    } finally {
      for (const c of closers) await c();
      await b.remove();
    }
  }
  return out;
}
