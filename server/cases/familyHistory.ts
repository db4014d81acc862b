import type { History, HistoryEvent } from '../../contract/index.ts';
import { roleSchema } from '../../machines/schemas/common.ts';
import { familyEvents } from '../db/events.ts';
import { findFamily } from '../db/families.ts';
import type { SqlRunner } from '../db/index.ts';
import { userRefs } from '../db/users.ts';
import type { EventRecord } from '../engine/records.ts';
import { toEventRecord } from '../engine/records.ts';
import { readFamily, type CaseDeps, type Caller } from './context.ts';
import { peopleOf } from './people.ts';

function historyActor(actor: { id: string; role: string }, refs: Map<string, { username: string }>): HistoryEvent['actor'] {
  if (actor.role === 'member') return { role: 'member', memberId: actor.id };
  const role = roleSchema.safeParse(actor.role);
  if (!role.success) return { role: 'system' };
  return { id: actor.id, username: refs.get(actor.id)?.username ?? null, role: role.data };
}

/** Recorded events as the history lists them: every hashed field, the actor with their username. */
export async function historyRows(tx: SqlRunner, events: readonly EventRecord[]): Promise<HistoryEvent[]> {
  const refs = await userRefs(tx, events.map((e) => e.actor.id));
  return events.map(
    (e): HistoryEvent => ({
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
    }),
  );
}

/**
 * Every event of a family with its hash chain, its actors' usernames and the people it mentions
 * (GET /families/{id}/history), logged as `history`.
 */
export async function familyHistory(deps: CaseDeps, input: Caller & { familyId: string }): Promise<History> {
  return readFamily(deps, input, input.familyId, 'history', findFamily, async (tx, { row }) => {
    const events = await historyRows(tx, (await familyEvents(tx, row.id)).map(toEventRecord));
    return { events, people: await peopleOf(tx, events) };
  });
}
