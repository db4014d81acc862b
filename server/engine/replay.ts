import { applyEvent, initialFamily, upgradeSnapshot, type PersistedFamily } from '../../machines/index.ts';
import { familyVersion } from '../db/families.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import type { EventRecord } from './records.ts';
import { eventOf, verifyEvents, type VerifyResult } from './chain.ts';
import { listEvents } from './store.ts';

export { verifyEvents, type VerifyResult };

export type ReplayResult = { seq: number; snapshot: PersistedFamily };

/**
 * Folding is synchronous CPU on the one event-loop thread: a long replay or verify gives other requests
 * a turn after every slice of this many events.
 */
const EVENTS_PER_SLICE = 500;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One event folded onto the snapshot before it, with the machine's replayHistory semantics: under the
 * machine version the event was recorded with (never going back), upgrading the snapshot where that
 * version rises (a failing upgrade throws, as there). Only the latest snapshot is kept: a long history
 * does not hold every intermediate state in memory.
 */
function foldStep(snapshot: PersistedFamily, e: EventRecord): PersistedFamily {
  const refused = (guard: string) => new AppError('internal', `Replay refused event ${e.seq} (${guard})`);
  if (e.machineVersion < snapshot.version) throw refused('versionRegression');
  const current =
    e.machineVersion > snapshot.version ? upgradeSnapshot(snapshot, e.machineVersion) : snapshot;
  const result = applyEvent(current, eventOf(e));
  if (!result.ok) throw refused(result.refusal.guard ?? result.refusal.kind);
  return result.next;
}

/**
 * Folds events through the machine from the initial state. The stored snapshot is never read: what
 * an auditor sees at step N follows from events 1..N alone.
 */
export function fold(events: readonly EventRecord[]): ReplayResult {
  let snapshot = initialFamily(events[0]?.machineVersion);
  for (const e of events) snapshot = foldStep(snapshot, e);
  return { seq: events.at(-1)?.seq ?? 0, snapshot };
}

/**
 * `fold`, keeping the snapshot before the last event too (an auditor's replay says what that event
 * changed). Before the first event it is the initial state.
 */
export function foldWithPrevious(events: readonly EventRecord[]): ReplayResult & { previous: PersistedFamily } {
  let previous = initialFamily(events[0]?.machineVersion);
  let snapshot = previous;
  for (const e of events) {
    previous = snapshot;
    snapshot = foldStep(snapshot, e);
  }
  return { seq: events.at(-1)?.seq ?? 0, snapshot, previous };
}

/** `fold` over the stored events, in slices that let other requests run in between. */
export async function replay(db: Db, familyId: string, uptoSeq?: number): Promise<ReplayResult> {
  if ((await familyVersion(db.direct, familyId)) === undefined) throw new AppError('not_found', 'No such family');
  const events = await listEvents(db, familyId, uptoSeq);
  let snapshot = initialFamily(events[0]?.machineVersion);
  for (const [i, e] of events.entries()) {
    if (i > 0 && i % EVENTS_PER_SLICE === 0) await yieldToEventLoop();
    snapshot = foldStep(snapshot, e);
  }
  return { seq: events.at(-1)?.seq ?? 0, snapshot };
}

/**
 * Checks the tamper-evident chain: contiguous seqs from 1 to the family's version, every prevHash
 * equal to the hash before it, every hash recomputed from the recorded fields, and (so that a
 * history rewritten with fresh hashes is caught too) every event accepted by the machine with the
 * recorded state after it. Names the first seq that fails. One pass: each event is folded onto the
 * snapshot after the one before it, so the cost grows linearly with the history.
 */
export async function verify(db: Db, familyId: string): Promise<VerifyResult> {
  const version = await familyVersion(db.direct, familyId);
  if (version === undefined) throw new AppError('not_found', 'No such family');
  return verifyEvents(familyId, version, await listEvents(db, familyId));
}

