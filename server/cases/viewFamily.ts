import type { FamilyView } from '../../contract/index.ts';
import { actingRoles } from '../auth/policy.ts';
import { findFamily } from '../db/families.ts';
import { userRefs } from '../db/users.ts';
import { loadNorms } from '../engine/norms.ts';
import { toFamilyRecord } from '../engine/records.ts';
import { readFamily, type CaseDeps, type Caller } from './context.ts';
import { familyView, viewUserIds } from './views.ts';

/** One family as the caller may see it (GET /families/{id}), logged as `read`. */
export async function viewFamily(deps: CaseDeps, input: Caller & { familyId: string }): Promise<FamilyView> {
  const norms = await loadNorms(deps.db);
  return readFamily(deps, input, input.familyId, 'read', findFamily, async (tx, { row, at }) => {
    const family = toFamilyRecord(row);
    const refs = await userRefs(tx, viewUserIds(family));
    return familyView(family, {
      refs,
      norms,
      now: at,
      userId: input.principal.id,
      actingRoles: actingRoles(input.principal, family),
    });
  });
}
