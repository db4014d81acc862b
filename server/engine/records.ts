import type { PersistedFamily } from '../../machines/index.ts';
import type { NamedUser } from '../../machines/schemas/events.ts';
import { testEnv } from '../config.ts';
import type { EventRow } from '../db/events.ts';
import type { FamilyRecordRow } from '../db/families.ts';

/** A family row as the engine hands it out: the snapshot parsed, instants as ISO strings. */
export type FamilyRecord = {
  id: string;
  reference: string;
  municipality: string;
  region: string;
  /** Number of events; the `expectedVersion` the next writer must name. */
  version: number;
  machineVersion: number;
  snapshot: PersistedFamily;
  createdAt: string;
  updatedAt: string;
  phase: string;
  oversight: string;
  escalation: string;
  directorId: string | null;
  pendingDirectorId: string | null;
  /** Earliest pending durable timer of the family. */
  nextDueAt: string | null;
  acute: boolean;
  reportedAt: string;
  closedAt: string | null;
};

export type StateAfter = { phase: string; oversight: string; escalation: string };

export type EventRecord = {
  seq: number;
  type: string;
  payload: unknown;
  reason: string | null;
  actor: { id: string; role: string };
  named: NamedUser | null;
  recordedAt: string;
  occurredAt: string | null;
  machineVersion: number;
  stateAfter: StateAfter;
  prevHash: string;
  hash: string;
};

/** The columns a FamilyRecord is made of (a row may carry more, e.g. projection columns). */
export type FamilyRowFields = FamilyRecordRow;

export function toFamilyRecord(row: FamilyRowFields): FamilyRecord {
  return familyRecordWith(row, snapshotOf(row.id, row.snapshot));
}

// The snapshot a family's row held when this process last read or wrote it, by family id. A
// transition reads the row its previous transition wrote, and a family page the row a transition just
// wrote: when the stored text is the same (compared whole, a few KiB), the object parsed or written
// then is handed out again, instead of parsing the text once more, and with it the chart's resolved
// state that machines/ keeps beside that object (engine.ts `resolve`). Nobody changes a snapshot
// object (the engine makes a new one per event); under the tests every cached object is frozen, so
// a change anywhere fails loudly. Bounded: the most recently used families, by count and by text;
// a larger snapshot (a long familyCase@1 history) is parsed each time.
const CACHED_FAMILIES = 256;
const CACHED_CHARS = 1 << 20;
const LARGEST_CACHED = 64 * 1024;
const cached = new Map<string, { json: string; snapshot: PersistedFamily }>();
let cachedChars = 0;
const freezeCached = testEnv();

function snapshotOf(familyId: string, json: string): PersistedFamily {
  const known = cached.get(familyId);
  if (known && known.json === json) {
    // Most recently used last: Map keeps insertion order, the first key is the one to drop.
    cached.delete(familyId);
    cached.set(familyId, known);
    return known.snapshot;
  }
  const snapshot = JSON.parse(json) as PersistedFamily;
  rememberSnapshot(familyId, json, snapshot);
  return snapshot;
}

/** The snapshot a committed write stored for a family, with the text it was stored as. */
export function rememberSnapshot(familyId: string, json: string, snapshot: PersistedFamily): void {
  const known = cached.get(familyId);
  if (known) {
    cached.delete(familyId);
    cachedChars -= known.json.length;
  }
  if (json.length > LARGEST_CACHED) return;
  if (freezeCached) deepFreeze(snapshot);
  cached.set(familyId, { json, snapshot });
  cachedChars += json.length;
  for (const [id, entry] of cached) {
    if (cached.size <= CACHED_FAMILIES && cachedChars <= CACHED_CHARS) break;
    cached.delete(id);
    cachedChars -= entry.json.length;
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/** The record of a row whose snapshot is already parsed (the write path holds the one it just serialised). */
export function familyRecordWith(row: FamilyRowFields, snapshot: PersistedFamily): FamilyRecord {
  return {
    id: row.id,
    reference: row.reference,
    municipality: row.municipality,
    region: row.region,
    version: row.version,
    machineVersion: row.machineVersion,
    snapshot,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    phase: row.phase,
    oversight: row.oversight,
    escalation: row.escalation,
    directorId: row.directorId,
    pendingDirectorId: row.pendingDirectorId,
    nextDueAt: row.nextDueAt ? row.nextDueAt.toISOString() : null,
    acute: row.acute,
    reportedAt: row.reportedAt.toISOString(),
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
  };
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    seq: row.seq,
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    reason: row.reason,
    actor: { id: row.actorId, role: row.actorRole },
    named: row.named ? (JSON.parse(row.named) as NamedUser) : null,
    recordedAt: row.recordedAt.toISOString(),
    occurredAt: row.occurredAt ? row.occurredAt.toISOString() : null,
    machineVersion: row.machineVersion,
    stateAfter: JSON.parse(row.stateAfter) as StateAfter,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
