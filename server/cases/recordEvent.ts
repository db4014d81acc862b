import { allowedEvents, type PersistedFamily } from '../../machines/index.ts';
import type { FamilyView } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { actingRoles, visibleAs } from '../auth/policy.ts';
import { findFamilyForAppend } from '../db/families.ts';
import { loadNorms } from '../engine/norms.ts';
import { toFamilyRecord } from '../engine/records.ts';
import { dispatch, type TxHook } from '../engine/store.ts';
import { AppError } from '../errors.ts';
import { actorOf, FAMILY_READERS, logRefused, noSuchFamily, requireRole, type CaseDeps, type Caller } from './context.ts';
import { familyReceipt, familyView, viewUserIds, type AnswerShape, type WriteAnswer } from './views.ts';

export type RecordEventInput = Caller & {
  familyId: string;
  type: string;
  payload: unknown;
  reason: string | null;
  /** The version the sender based the decision on; null: the version read here (a route without one). */
  expectedVersion: number | null;
  /** What else the use case writes in the append's transaction (a member's access code, issue 15). */
  alsoWrite?: TxHook;
};

/**
 * The role a multi-role user acts in for this event: the first under which the machine would
 * accept it, else the first they hold here (the machine then explains the refusal).
 */
function roleFor(snapshot: PersistedFamily, userId: string, roles: readonly Role[], type: string): Role {
  return roles.find((role) => (allowedEvents(snapshot, { id: userId, role }) as string[]).includes(type)) ?? roles[0]!;
}

/**
 * A user records a decision or fact on a family (POST /families/{id}/events). The family row is
 * read once: visibility and the acting role are decided on it (a family the caller may not see is
 * `not_found`, a role that sends nothing is `forbidden`, both logged), and the engine appends on
 * that same row (its conditional version update catches any change since). The answer is built
 * before the event and its access-log row are written (in one transaction; on PostgreSQL one
 * statement): nothing can fail after the commit.
 */
export async function recordEvent<A extends AnswerShape = 'full'>(
  deps: CaseDeps,
  input: RecordEventInput & { answer?: A },
): Promise<WriteAnswer<A>> {
  await requireRole(deps, input, FAMILY_READERS, { action: 'write', familyId: input.familyId });
  const me = input.principal;
  const row = await findFamilyForAppend(deps.db.direct, input.familyId);
  const roles = row ? visibleAs(me, row) : [];
  if (!row || roles.length === 0) {
    await logRefused(deps, input, input.familyId, 'write', 'not_found');
    throw noSuchFamily();
  }
  const acting = roles.filter((r): r is 'vt' | 'director' => r === 'vt' || r === 'director');
  if (acting.length === 0) {
    await logRefused(deps, input, input.familyId, 'write', 'denied');
    throw new AppError('forbidden', 'Your role sends no events', {
      guard: 'roleMaySend',
      explanation: { nl: 'Uw rol mag geen gebeurtenissen vastleggen.', en: 'Your role may not record events.' },
    });
  }
  const role = acting.length > 1 ? roleFor(toFamilyRecord(row).snapshot, me.id, acting, input.type) : acting[0]!;
  const norms = await loadNorms(deps.db);
  let view: FamilyView | undefined;
  const after = await dispatch(
    deps.db,
    {
      familyId: input.familyId,
      type: input.type,
      payload: input.payload,
      reason: input.reason,
      expectedVersion: input.expectedVersion ?? row.version,
      actor: { id: me.id, role },
      family: row,
    },
    {
      clock: deps.clock,
      audit: actorOf(input),
      // The minimal answer needs no names and no view: the append reads only the family's timers.
      answer:
        input.answer === 'minimal'
          ? undefined
          : {
              users: viewUserIds,
              build: (family, refs) => {
                view = familyView(family, { refs, norms, now: deps.clock.now(), userId: me.id, actingRoles: actingRoles(me, family) });
              },
            },
    },
    // What else the use case writes goes in the append's transaction.
    input.alsoWrite,
  );
  return (input.answer === 'minimal' ? familyReceipt(after) : view!) as WriteAnswer<A>;
}
