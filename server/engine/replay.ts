import { applyEvent, initialFamily, replayHistory, upgradeSnapshot, type PersistedFamily } from '../../machines/index.ts';
import { canonicalJson, GENESIS_HASH, hashEvent } from './canonical.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import type { EventRecord } from './records.ts';
import { eventOf, listEvents, stateAfterOf } from './store.ts';

export type ReplayResult = { seq: number; snapshot: PersistedFamily };

/**
 * Folds events through the machine from the initial state. The stored snapshot is never read: what
 * an auditor sees at step N follows from events 1..N alone.
 */
export function fold(events: readonly EventRecord[]): ReplayResult {
  const result = replayHistory(events.map((e) => ({ event: eventOf(e), machineVersion: e.machineVersion })));
  if (!result.ok) {
    const seq = events[result.index]?.seq ?? result.index + 1;
    throw new AppError('internal', `Replay refused event ${seq} (${result.refusal.guard ?? result.refusal.kind})`);
  }
  return { seq: events.at(-1)?.seq ?? 0, snapshot: result.snapshot };
}

export async function replay(db: Db, familyId: string, uptoSeq?: number): Promise<ReplayResult> {
  const family = await db.prisma.family.findUnique({ where: { id: familyId }, select: { id: true } });
  if (!family) throw new AppError('not_found', 'No such family');
  return fold(await listEvents(db, familyId, uptoSeq));
}

export type VerifyResult = { valid: boolean; events: number; brokenAt?: number };

/**
 * Checks the tamper-evident chain: contiguous seqs from 1 to the family's version, every prevHash
 * equal to the hash before it, every hash recomputed from the recorded fields, and (so that a
 * history rewritten with fresh hashes is caught too) every event accepted by the machine with the
 * recorded state after it. Names the first seq that fails.
 */
export async function verify(db: Db, familyId: string): Promise<VerifyResult> {
  const family = await db.prisma.family.findUnique({ where: { id: familyId }, select: { version: true } });
  if (!family) throw new AppError('not_found', 'No such family');
  const events = await listEvents(db, familyId);
  const broken = (brokenAt: number): VerifyResult => ({ valid: false, events: events.length, brokenAt });

  let prevHash = GENESIS_HASH;
  let snapshot = initialFamily(events[0]?.machineVersion);
  for (const [i, e] of events.entries()) {
    const expectedSeq = i + 1;
    if (e.seq !== expectedSeq) return broken(expectedSeq);
    if (e.prevHash !== prevHash) return broken(e.seq);
    if (hashEvent(prevHash, { ...e, familyId }) !== e.hash) return broken(e.seq);
    // Same steps as the machine's replayHistory, one at a time so the failing seq can be named.
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
    if (canonicalJson(stateAfterOf(snapshot)) !== canonicalJson(e.stateAfter)) return broken(e.seq);
    prevHash = e.hash;
  }
  if (events.length !== family.version) return broken(events.length + 1);
  return { valid: true, events: events.length };
}
