import type { FamilyView } from '../../contract/index.ts';
import { actingRoles, visibleAs } from '../auth/policy.ts';
import { writeAccessLogDurably } from '../db/accessLog.ts';
import { findFamily } from '../db/families.ts';
import { userRefs } from '../db/users.ts';
import { loadNorms } from '../engine/norms.ts';
import { toFamilyRecord } from '../engine/records.ts';
import { entryFor, FAMILY_READERS, noSuchFamily, requireRole, type CaseDeps, type Caller } from './context.ts';
import { familyView, viewUserIds } from './views.ts';

/**
 * One family as the caller may see it (GET /families/{id}), logged as `read`. Unlike the audit
 * reads (readFamily: several statements that must see one state), the page is one read of the row:
 * no transaction around it. The answer is built first, then the access-log row is written on its
 * own (durable when written: one statement on PostgreSQL, the group commit on SQLite), and only then
 * is the answer given: a row that cannot be written answers 5xx and shows nothing.
 */
export async function viewFamily(deps: CaseDeps, input: Caller & { familyId: string }): Promise<FamilyView> {
  await requireRole(deps, input, FAMILY_READERS, { action: 'read', familyId: input.familyId });
  const at = deps.clock.now();
  const row = await findFamily(deps.db.direct, input.familyId);
  const roles = row ? visibleAs(input.principal, row) : [];
  if (!row || roles.length === 0) {
    await writeAccessLogDurably(deps.db.direct, entryFor(input, at, input.familyId, 'read', 'not_found'));
    throw noSuchFamily();
  }
  const family = toFamilyRecord(row);
  const norms = await loadNorms(deps.db);
  const view = familyView(family, {
    refs: await userRefs(deps.db.direct, viewUserIds(family)),
    norms,
    now: at,
    userId: input.principal.id,
    actingRoles: actingRoles(input.principal, family),
  });
  await writeAccessLogDurably(deps.db.direct, entryFor(input, at, input.familyId, 'read', 'ok', roles[0]));
  return view;
}
