import { createHash } from 'node:crypto';

/** The first event of every family chains onto this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped, so the same
 * event always serialises to the same bytes, whatever order a payload's keys arrived in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Exactly the recorded fields of an event that the chain protects. */
export type HashedEvent = {
  familyId: string;
  seq: number;
  type: string;
  payload: unknown;
  reason: string | null;
  actor: { id: string; role: string };
  named: { id: string; roles: string[] } | null;
  recordedAt: string;
  occurredAt: string | null;
  machineVersion: number;
  stateAfter: unknown;
};

export function hashEvent(prevHash: string, event: HashedEvent): string {
  const canonical = canonicalJson({
    familyId: event.familyId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    reason: event.reason,
    actor: { id: event.actor.id, role: event.actor.role },
    named: event.named,
    recordedAt: event.recordedAt,
    occurredAt: event.occurredAt,
    machineVersion: event.machineVersion,
    stateAfter: event.stateAfter,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}
