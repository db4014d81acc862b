import { stateOf, type UserEventType } from '../../machines/index.ts';
import type { Replay } from '../../contract/index.ts';
import { roleSchema, type Role } from '../../machines/schemas/common.ts';
import { familyEvents } from '../db/events.ts';
import { findFamily } from '../db/families.ts';
import { toEventRecord } from '../engine/records.ts';
import { productionRules, underCurrentRules } from '../engine/currentRules.ts';
import { foldWithPrevious } from '../engine/replay.ts';
import { AppError } from '../errors.ts';
import { readFamily, type CaseDeps, type Caller } from './context.ts';
import { historyRows } from './familyHistory.ts';
import { peopleOf } from './people.ts';
import { allowedFor } from './views.ts';

/**
 * The state after events 1..seq, recomputed through the machine (GET /families/{id}/replay), logged
 * as `replay`. `allowedEvents` are the alternatives open at that point to the person who took the
 * next decision (at the last event: the one who took it). `event` is event seq as the history lists
 * it, `previousState` the state before it, and `people` names every user the answer mentions. With
 * `currentRules`, event seq is also put to the machine version in force today (`deps.rules`).
 */
export async function replayFamily(deps: CaseDeps, input: Caller & { familyId: string; seq?: number; currentRules?: { lang: 'nl' | 'en' } }): Promise<Replay> {
  const read = await readFamily(deps, input, input.familyId, 'replay', findFamily, async (tx, { row }) => {
    const seq = input.seq ?? row.version;
    // The attempt is logged as read; the answer is a 400.
    if (seq > row.version) return { ok: false as const, error: `seq ${seq} is beyond the history (${row.version} events)` };
    const events = (await familyEvents(tx, row.id, seq + 1)).map(toEventRecord);
    const [event] = await historyRows(tx, events.filter((e) => e.seq === seq));
    return { ok: true as const, seq, events, event };
  });
  if (!read.ok) throw new AppError('validation', read.error, { errors: [{ path: 'query.seq', message: read.error }] });
  // The machine re-runs the history after the read transaction, so no lock is held meanwhile.
  const { seq, events, event } = read;
  if (!event) throw new AppError('internal', `Event ${seq} is missing from the history`);
  const { snapshot, previous } = foldWithPrevious(events.filter((e) => e.seq <= seq));
  const decider = [events.find((e) => e.seq === seq + 1), events.find((e) => e.seq === seq)]
    .map((e) => e?.actor)
    .find((a): a is { id: string; role: string } => !!a && roleSchema.safeParse(a.role).success);
  const people = await peopleOf(deps.db.direct, event, snapshot.context, decider ? { id: decider.id } : null);
  const verdict = input.currentRules && underCurrentRules(deps.rules ?? productionRules, previous, events.find((e) => e.seq === seq)!);
  const allowed: UserEventType[] = decider ? allowedFor(snapshot, decider.id, [decider.role as Role]) : [];
  return {
    seq,
    state: stateOf(snapshot),
    allowedEvents: allowed,
    allowedFor: decider ? { id: decider.id, role: decider.role } : null,
    context: snapshot.context as unknown as Record<string, unknown>,
    event,
    previousState: stateOf(previous),
    people,
    ...(verdict && input.currentRules
      ? {
          currentRules: verdict.allowed
            ? { version: verdict.version, allowed: true }
            : {
                version: verdict.version,
                allowed: false,
                ...(verdict.refusal.guard ? { guard: verdict.refusal.guard } : {}),
                message: verdict.refusal.message[input.currentRules.lang],
              },
        }
      : {}),
  };
}
