import { applyEvent, initialFamily, stateOf, upgradeSnapshot } from '../../machines/index.ts';
import type { FamilyEvent } from '../../machines/schemas/events.ts';
import { canonicalJson, GENESIS_HASH, hashEvent } from './canonical.ts';
import type { EventRecord } from './records.ts';

// A family's tamper-evident chain checked with no database: the server's verify (replay.ts) and the
// offline `npm run verify-export` (server/cli/verifyExport.ts) run this same code, with canonical.ts's
// hashing, over the same recorded fields. Imports only the pure machine and node:crypto.

/** A long chain gives other requests a turn after every slice of this many events. */
const EVENTS_PER_SLICE = 500;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The envelope the machine saw when the event was recorded, rebuilt from its row. */
export function eventOf(record: EventRecord): FamilyEvent {
  return {
    type: record.type,
    payload: record.payload,
    actor: record.actor,
    recordedAt: record.recordedAt,
    ...(record.reason !== null ? { reason: record.reason } : {}),
    ...(record.occurredAt !== null ? { occurredAt: record.occurredAt } : {}),
    ...(record.named !== null ? { named: record.named } : {}),
  } as FamilyEvent;
}

export type VerifyResult = { valid: boolean; events: number; brokenAt?: number };

/**
 * Checks the tamper-evident chain of rows already read: contiguous seqs from 1 to the family's
 * version, every prevHash equal to the hash before it, every hash recomputed from the recorded
 * fields, and (so that a history rewritten with fresh hashes is caught too) every event accepted by
 * the machine with the recorded state after it. Names the first seq that fails. One pass: each event
 * is folded onto the snapshot after the one before it, so the cost grows linearly with the history.
 */
export async function verifyEvents(
  familyId: string,
  version: number,
  events: readonly EventRecord[],
): Promise<VerifyResult> {
  const family = { version };
  const broken = (brokenAt: number): VerifyResult => ({ valid: false, events: events.length, brokenAt });

  let prevHash = GENESIS_HASH;
  let snapshot = initialFamily(events[0]?.machineVersion);
  for (const [i, e] of events.entries()) {
    if (i > 0 && i % EVENTS_PER_SLICE === 0) await yieldToEventLoop();
    const expectedSeq = i + 1;
    if (e.seq !== expectedSeq) return broken(expectedSeq);
    if (e.prevHash !== prevHash) return broken(e.seq);
    if (hashEvent(prevHash, { ...e, familyId }) !== e.hash) return broken(e.seq);
    // Same steps as foldStep, one at a time so the failing seq can be named (a failing upgrade included).
    if (e.machineVersion < snapshot.version) return broken(e.seq);
    if (e.machineVersion > snapshot.version) {
      try {
        snapshot = upgradeSnapshot(snapshot, e.machineVersion);
      } catch {
        return broken(e.seq);
      }
    }
    const result = applyEvent(snapshot, eventOf(e));
    if (!result.ok) return broken(e.seq);
    snapshot = result.next;
    if (canonicalJson(stateOf(snapshot)) !== canonicalJson(e.stateAfter)) return broken(e.seq);
    prevHash = e.hash;
  }
  if (events.length !== family.version) return broken(events.length + 1);
  return { valid: true, events: events.length };
}
