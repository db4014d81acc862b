import type { HistoryEvent } from '../../contract/index.ts';
import { roleSchema } from '../../machines/schemas/common.ts';
import { familyEvents } from '../db/events.ts';
import { findFamily } from '../db/families.ts';
import { userRefs } from '../db/users.ts';
import { toEventRecord } from '../engine/records.ts';
import { readFamily, type CaseDeps, type Caller } from './context.ts';

function historyActor(actor: { id: string; role: string }, refs: Map<string, { username: string }>): HistoryEvent['actor'] {
  const role = roleSchema.safeParse(actor.role);
  if (!role.success) return { role: 'system' };
  return { id: actor.id, username: refs.get(actor.id)?.username ?? null, role: role.data };
}

/** Every event of a family with its hash chain and its actors' usernames (GET /families/{id}/history), logged as `history`. */
export async function familyHistory(deps: CaseDeps, input: Caller & { familyId: string }): Promise<{ events: HistoryEvent[] }> {
  return readFamily(deps, input, input.familyId, 'history', findFamily, async (tx, { row }) => {
    const events = (await familyEvents(tx, row.id)).map(toEventRecord);
    const refs = await userRefs(tx, events.map((e) => e.actor.id));
    return {
      events: events.map((e): HistoryEvent => ({
        seq: e.seq,
        type: e.type as HistoryEvent['type'],
        payload: e.payload as HistoryEvent['payload'],
        reason: e.reason,
        actor: historyActor(e.actor, refs),
        named: e.named,
        recordedAt: e.recordedAt,
        occurredAt: e.occurredAt,
        machineVersion: e.machineVersion,
        stateAfter: e.stateAfter,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
    };
  });
}
