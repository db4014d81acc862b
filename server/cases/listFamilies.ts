import type { FamilyList } from '../../contract/index.ts';
import { familiesMatching, familiesPage, type FamilyFilter, type FamilyRecordRow } from '../db/families.ts';
import { userRefs } from '../db/users.ts';
import { loadNorms } from '../engine/norms.ts';
import { toFamilyRecord, type FamilyRecord } from '../engine/records.ts';
import { FAMILY_READERS, logListed, requireRole, scopeOf, type CaseDeps, type Caller } from './context.ts';
import { familySummary, overdueDeadlines } from './views.ts';

export type ListFamiliesInput = Caller & {
  filter: Omit<FamilyFilter, 'directorId' | 'openOnly'> & { mine?: boolean; overdue?: boolean };
  page: number;
  pageSize: number;
};

/**
 * The families the caller may see, filtered and paged (GET /families), with one access-log row per
 * family listed (one row without family when the page is empty), in one transaction. `overdue`
 * filters on derived deadlines: then every candidate is read and paged here.
 */
export async function listFamilies(deps: CaseDeps, input: ListFamiliesInput): Promise<FamilyList> {
  await requireRole(deps, input, FAMILY_READERS, { action: 'list', familyId: null });
  const at = deps.clock.now();
  const norms = await loadNorms(deps.db);
  const scope = scopeOf(input);
  const { mine, overdue, ...rest } = input.filter;
  const filter: FamilyFilter = {
    ...rest,
    ...(mine ? { directorId: input.principal.id } : {}),
    ...(overdue === true ? { openOnly: true } : {}),
  };
  const page = { page: input.page, pageSize: input.pageSize };
  return deps.db.direct.transaction(async (tx) => {
    let families: FamilyRecord[] = [];
    let total = 0;
    if (scope) {
      if (overdue === undefined) {
        const result = await familiesPage(tx, scope, filter, page);
        families = result.rows.map(toFamilyRecord);
        total = result.total;
      } else {
        const all = (await familiesMatching(tx, scope, filter))
          .map((r: FamilyRecordRow) => toFamilyRecord(r))
          .filter((f) => overdueDeadlines(f.snapshot, norms, at).length > 0 === overdue);
        total = all.length;
        families = all.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
      }
    }
    const refs = await userRefs(tx, families.flatMap((f) => [f.directorId, f.pendingDirectorId]));
    await logListed(tx, input, at, 'list', families);
    return {
      items: families.map((f) => familySummary(f, refs, norms, at)),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  });
}
