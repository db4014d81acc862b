import type { MyFamily, PlanResponseRequest } from '../../contract/index.ts';
import { findFamilyForAppend } from '../db/families.ts';
import { dispatch } from '../engine/store.ts';
import { actorOf, requireRole, type CaseDeps, type Caller } from './context.ts';
import { directorName, MEMBER_ROLES, memberOf } from './memberFamily.ts';
import { memberView } from './memberView.ts';
import type { Language } from './memberWords.ts';

/**
 * POST /my-family/responses: a household member agrees or disagrees with the current safety plan
 * (`plan.responded`, actor role `member`), through the engine's one append path: hash chain, the
 * access-log row `write`, the machine's rules (access, the current plan version). A disagreement is a
 * signal on the director's list; it never blocks the plan. The answer is the member's view after it.
 */
export async function respondToPlan(
  deps: CaseDeps,
  input: Caller & { lang: Language; response: PlanResponseRequest },
): Promise<MyFamily> {
  // The machine checks the member's access (memberHasAccess) and the plan version; a refusal is logged by dispatch.
  await requireRole(deps, input, MEMBER_ROLES);
  const { familyId, memberId } = memberOf(input);
  const row = await findFamilyForAppend(deps.db.direct, familyId);
  let view: MyFamily | undefined;
  await dispatch(
    deps.db,
    {
      familyId,
      type: 'plan.responded',
      payload: input.response,
      reason: null,
      expectedVersion: row?.version ?? 0,
      actor: { id: memberId, role: 'member' },
      ...(row ? { family: row } : {}),
    },
    { clock: deps.clock, audit: actorOf(input) },
    async (tx, { family }) => {
      view = memberView(family.snapshot, memberId, { lang: input.lang, now: deps.clock.now(), directorName: await directorName(tx, family) });
    },
  );
  return view!;
}
