import type { CreateFamily, FamilyView } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { regionOf } from '../../machines/schemas/regions.ts';
import { actingRoles } from '../auth/policy.ts';
import { userRefs } from '../db/users.ts';
import { loadNorms } from '../engine/norms.ts';
import { createFamily } from '../engine/store.ts';
import { AppError } from '../errors.ts';
import { actorOf, logRefused, requireRole, type CaseDeps, type Caller } from './context.ts';
import { familyReceipt, familyView, viewUserIds, type AnswerShape, type WriteAnswer } from './views.ts';

export const REGISTER_ROLES: readonly Role[] = ['vt'];

/**
 * Registers a report as a new family (POST /families): Veilig Thuis, for its own region only (it
 * could not read the case otherwise). The family, its first event and the access-log row commit in
 * one transaction, and the answer is built inside it: nothing can fail after the commit.
 */
export async function registerReport<A extends AnswerShape = 'full'>(
  deps: CaseDeps,
  input: Caller & { report: CreateFamily; answer?: A },
): Promise<{ id: string; view: WriteAnswer<A> }> {
  await requireRole(deps, input, REGISTER_ROLES, { action: 'create', familyId: null });
  const me = input.principal;
  if (regionOf(input.report.municipality) !== me.region) {
    await logRefused(deps, input, null, 'create', 'denied');
    throw new AppError('forbidden', 'The municipality lies outside your region', {
      explanation: { nl: 'Deze gemeente valt buiten uw regio.', en: 'This municipality lies outside your region.' },
    });
  }
  const norms = await loadNorms(deps.db);
  let view: FamilyView | undefined;
  const family = await createFamily(
    deps.db,
    input.report,
    { actor: { id: me.id, role: 'vt' }, clock: deps.clock, audit: actorOf(input, 'vt') },
    // The minimal answer (Prefer: return=minimal) needs no names and no view.
    input.answer === 'minimal'
      ? undefined
      : async (tx, { family: created }) => {
          const refs = await userRefs(tx, viewUserIds(created));
          view = familyView(created, { refs, norms, now: deps.clock.now(), userId: me.id, actingRoles: actingRoles(me, created) });
        },
  );
  return { id: family.id, view: (input.answer === 'minimal' ? familyReceipt(family) : view!) as WriteAnswer<A> };
}
