/**
 * The Event table: the append-only, hash-chained history of each family. Rows are only inserted;
 * (familyId, seq) is unique, the arbiter between concurrent appenders on PostgreSQL.
 */
import { userNamed, userNamedCte } from './accessLog.ts';
import { insertJsonCte, insertRows, placeholders, type Cte, type SqlRunner } from './direct.ts';
import type { Event } from './generated/sqlite/client.ts';

/** An Event row as stored and read (without the surrogate id). */
export type EventRow = Omit<Event, 'id'>;

const EVENT_SELECT =
  '"familyId", "seq", "type", "payload", "reason", "actorId", "actorRole", "named", "recordedAt", "occurredAt", "machineVersion", "stateAfter", "prevHash", "hash"';

/** What the KPI fold reads of an event (server/engine/projections.ts). */
export type EventFoldRow = Pick<Event, 'seq' | 'type' | 'recordedAt' | 'occurredAt' | 'payload' | 'stateAfter'>;
const FOLD_SELECT = '"seq", "type", "recordedAt", "occurredAt", "payload", "stateAfter"';

export async function insertEvents(q: SqlRunner, rows: readonly EventRow[]): Promise<void> {
  await insertRows(q, 'Event', rows);
  // A user the event names (offered the family, made its director) is assigned to it from now on.
  for (const r of rows) if (r.named) await userNamed(q, r.familyId, namedId(r.named));
}

/** insertEvents as sub-statements of an append's one statement (append.ts): the rows, and the users they name. */
export function insertEventsCtes(familyId: string, rows: readonly EventRow[]): Cte[] {
  const out: Cte[] = [];
  const insert = insertJsonCte('Event', rows);
  if (insert) out.push({ sql: `e AS (${insert.sql})`, params: insert.params });
  const named = rows.flatMap((r) => (r.named ? [namedId(r.named)] : []));
  if (named.length > 0) out.push(userNamedCte('n', familyId, named));
  return out;
}

const namedId = (named: string) => (JSON.parse(named) as { id: string }).id;

/** The hash of event `seq` of the family (the link the next event chains onto). */
export async function eventHash(q: SqlRunner, familyId: string, seq: number): Promise<string | undefined> {
  return (await q.get<{ hash: string }>('SELECT "hash" FROM "Event" WHERE "familyId" = ? AND "seq" = ?', [familyId, seq]))?.hash;
}

/** The family's events by seq, up to and including `uptoSeq` when given. */
export async function familyEvents(q: SqlRunner, familyId: string, uptoSeq?: number): Promise<EventRow[]> {
  return uptoSeq === undefined
    ? q.all<EventRow>(`SELECT ${EVENT_SELECT} FROM "Event" WHERE "familyId" = ? ORDER BY "seq"`, [familyId])
    : q.all<EventRow>(`SELECT ${EVENT_SELECT} FROM "Event" WHERE "familyId" = ? AND "seq" <= ? ORDER BY "seq"`, [familyId, uptoSeq]);
}

/** A family's events up to `uptoSeq`, as the KPI fold reads them. */
export async function foldEvents(q: SqlRunner, familyId: string, uptoSeq: number): Promise<EventFoldRow[]> {
  return q.all<EventFoldRow>(`SELECT ${FOLD_SELECT} FROM "Event" WHERE "familyId" = ? AND "seq" <= ? ORDER BY "seq"`, [
    familyId,
    uptoSeq,
  ]);
}

/** The events of several families, by family and seq, as the KPI fold reads them. */
export async function foldEventsOf(q: SqlRunner, familyIds: readonly string[]): Promise<(EventFoldRow & { familyId: string })[]> {
  if (familyIds.length === 0) return [];
  return q.all<EventFoldRow & { familyId: string }>(
    `SELECT "familyId", ${FOLD_SELECT} FROM "Event" WHERE "familyId" IN (${placeholders(familyIds.length)}) ORDER BY "familyId", "seq"`,
    familyIds,
  );
}

/** The whole histories of several families, by family and seq (the check of all families). */
export async function eventsOf(q: SqlRunner, familyIds: readonly string[]): Promise<EventRow[]> {
  if (familyIds.length === 0) return [];
  return q.all<EventRow>(
    `SELECT ${EVENT_SELECT} FROM "Event" WHERE "familyId" IN (${placeholders(familyIds.length)}) ORDER BY "familyId", "seq"`,
    familyIds,
  );
}

/** Per family, the reason of its latest event of `type` (the monitoring list's declined offers). */
export async function latestReasons(q: SqlRunner, familyIds: readonly string[], type: string): Promise<Map<string, string | null>> {
  if (familyIds.length === 0) return new Map();
  const rows = await q.all<{ familyId: string; reason: string | null }>(
    `SELECT "familyId", "reason" FROM "Event" WHERE "type" = ? AND "familyId" IN (${placeholders(familyIds.length)}) ORDER BY "familyId", "seq"`,
    [type, ...familyIds],
  );
  return new Map(rows.map((r) => [r.familyId, r.reason]));
}
