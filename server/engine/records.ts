import type { PersistedFamily } from '../../machines/index.ts';
import type { NamedUser } from '../../machines/schemas/events.ts';
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
  return familyRecordWith(row, JSON.parse(row.snapshot) as PersistedFamily);
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
