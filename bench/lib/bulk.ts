/**
 * Bulk loading of batch-built histories straight through the drivers, for the national data set:
 * Prisma's createMany manages about 2,000 rows/s here, which would make 8 million rows (events and
 * timers) take hours per backend. The values are encoded exactly as the Prisma adapters store them
 * (SQLite: DateTime as ISO-8601 text with `+00:00`, Boolean as 0/1; PostgreSQL: TIMESTAMP(3)
 * holding UTC, sent as ISO text), and the scale suite re-reads a sample through the engine
 * (verify, replay) to prove it. `insertBatch` in batch.ts is the Prisma path for small data.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { KpiFactRow } from '../../server/engine/projections.ts';
import type { Batch, EventRow, FamilyRow, TimerRow } from '../../server/engine/batch.ts';
import { pgTarget } from './db.ts';

const familyCols = [
  'id', 'reference', 'municipality', 'region', 'version', 'machineVersion', 'snapshot', 'phase', 'oversight', 'escalation',
  'directorId', 'pendingDirectorId', 'acute', 'reportedAt', 'nextDueAt', 'createdAt', 'updatedAt', 'closedAt',
  'projectionVersion', 'kpiState', 'waitingSince', 'monitorDueAt', 'monitoring', 'overdueAt', 'monitorRank', 'urgency',
  'overdueKind', 'planDisagreement', 'nextDueKind',
] as const satisfies readonly (keyof FamilyRow)[];
/** Every column of a planned family row is loaded: a new column the list lacks fails the typecheck here. */
const everyFamilyColumn: Exclude<keyof FamilyRow, (typeof familyCols)[number]> extends never ? true : false = true;
void everyFamilyColumn;
const factCols = ['familyId', 'seq', 'at', 'kind', 'value', 'municipality'] as const satisfies readonly (keyof FactWithMunicipality)[];
/** A fact as stored: with its family's municipality (server/db/kpiFacts.ts writeKpiFacts fills it in SQL). */
type FactWithMunicipality = KpiFactRow & { municipality: string };

/** The batch's facts with their family's municipality (a batch holds whole families). */
function factsOf(b: Batch): FactWithMunicipality[] {
  const municipality = new Map(b.families.map((f) => [f.id, f.municipality]));
  return b.facts.map((f) => {
    const m = municipality.get(f.familyId);
    if (m === undefined) throw new Error(`bulk: a fact of family ${f.familyId}, which is not in its batch`);
    return { ...f, municipality: m };
  });
}
const eventCols = [
  'familyId', 'seq', 'type', 'payload', 'reason', 'actorId', 'actorRole', 'named', 'recordedAt', 'occurredAt', 'machineVersion',
  'stateAfter', 'prevHash', 'hash',
] as const satisfies readonly (keyof EventRow)[];
const timerCols = [
  'id', 'familyId', 'kind', 'ref', 'dueAt', 'status', 'event', 'claimedBy', 'claimedAt', 'firedAt', 'firedSeq',
] as const satisfies readonly (keyof TimerRow)[];

export type BulkWriter = { write(batch: Batch): Promise<void>; close(): Promise<void> };

function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('Z', '+00:00');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v ?? null;
}

function pgValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

export function sqliteBulkWriter(file: string): BulkWriter {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // One commit per batch: the per-commit fsync is not what loading measures.
  db.pragma('synchronous = NORMAL');
  const insert = (table: string, cols: readonly string[]) =>
    db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
  const fam = insert('Family', familyCols);
  const ev = insert('Event', eventCols);
  const tim = insert('Timer', timerCols);
  const fact = insert('KpiFact', factCols);
  const tx = db.transaction((b: Batch) => {
    for (const r of b.families) fam.run(...familyCols.map((c) => sqliteValue(r[c])));
    for (const r of b.events) ev.run(...eventCols.map((c) => sqliteValue(r[c])));
    for (const r of b.timers) tim.run(...timerCols.map((c) => sqliteValue(r[c])));
    for (const r of factsOf(b)) fact.run(...factCols.map((c) => sqliteValue(r[c])));
  });
  return {
    write: async (b) => void tx(b),
    close: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

export async function pgBulkWriter(url: string): Promise<BulkWriter> {
  const { connectionString, schema } = pgTarget(url);
  const c = new pg.Client({ connectionString, options: `-c search_path=${schema} -c TimeZone=UTC` });
  await c.connect();
  const insertMany = async (table: string, cols: readonly string[], rows: readonly Record<string, unknown>[]) => {
    // 65,535 bind parameters per statement at most.
    const per = Math.floor(60_000 / cols.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const values: unknown[] = [];
      const tuples = chunk.map((r, j) => {
        for (const col of cols) values.push(pgValue(r[col]));
        return `(${cols.map((_, k) => `$${j * cols.length + k + 1}`).join(',')})`;
      });
      await c.query(`INSERT INTO "${table}" (${cols.map((x) => `"${x}"`).join(',')}) VALUES ${tuples.join(',')}`, values);
    }
  };
  return {
    write: async (b) => {
      await c.query('BEGIN');
      try {
        await insertMany('Family', familyCols, b.families);
        await insertMany('Event', eventCols, b.events);
        await insertMany('Timer', timerCols, b.timers);
        await insertMany('KpiFact', factCols, factsOf(b));
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    },
    close: async () => {
      // What autovacuum does on its own in steady state (and a DBA after a bulk load): statistics, and
      // the visibility map that lets index-only scans skip the heap (KpiFact's covering indexes).
      await c.query('VACUUM ANALYZE');
      await c.end();
    },
  };
}
