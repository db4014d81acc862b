import { familyEvents } from '../db/events.ts';
import { findFamily } from '../db/families.ts';
import { toEventRecord } from '../engine/records.ts';
import { verifyEvents, type VerifyResult } from '../engine/replay.ts';
import { readFamily, type CaseDeps, type Caller } from './context.ts';

/**
 * Checks a family's tamper-evident chain (GET /families/{id}/verify), logged as `verify`. The rows
 * are read (and the read logged) in the transaction; the chain is re-run after it, so no lock is
 * held meanwhile.
 */
export async function verifyFamily(deps: CaseDeps, input: Caller & { familyId: string }): Promise<VerifyResult> {
  const read = await readFamily(deps, input, input.familyId, 'verify', findFamily, async (tx, { row }) => ({
    version: row.version,
    events: (await familyEvents(tx, row.id)).map(toEventRecord),
  }));
  return verifyEvents(input.familyId, read.version, read.events);
}
