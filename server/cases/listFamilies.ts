import type { FamilyList } from '../../contract/index.ts';
import { familiesPage, type FamilyFilter, type FamilyOrder } from '../db/families.ts';
import { userRefs } from '../db/users.ts';
import { FAMILY_READERS, logListed, requireRole, scopeOf, type CaseDeps, type Caller } from './context.ts';
import { familySummary } from './views.ts';

export type ListFamiliesInput = Caller & {
  filter: Omit<FamilyFilter, 'directorId' | 'offeredTo' | 'handoverPending' | 'overdue'> & {
    mine?: boolean;
    overdue?: boolean;
    handover?: 'offeredToMe' | 'pending';
  };
  sort?: FamilyOrder;
  page: number;
  pageSize: number;
};

/**
 * The families the caller may see, filtered, ordered and paged in SQL (GET /families), with one
 * access-log row per family listed (one row without family when the page is empty), written once
 * the answer is built and before it is given. `overdue` compares the projection's `overdueAt`
 * column with now. The reads need no transaction: a family written between the count and the page
 * can move the total by one, as under PostgreSQL's READ COMMITTED inside one.
 */
export async function listFamilies(deps: CaseDeps, input: ListFamiliesInput): Promise<FamilyList> {
  await requireRole(deps, input, FAMILY_READERS, { action: 'list', familyId: null });
  const at = deps.clock.now();
  const scope = scopeOf(input);
  const { mine, overdue, handover, ...rest } = input.filter;
  const filter: FamilyFilter = {
    ...rest,
    ...(mine ? { directorId: input.principal.id } : {}),
    ...(handover === 'offeredToMe' ? { offeredTo: input.principal.id } : {}),
    ...(handover === 'pending' ? { handoverPending: true } : {}),
    ...(overdue === undefined ? {} : { overdue: { overdue, at } }),
  };
  const page = { page: input.page, pageSize: input.pageSize };
  const db = deps.db.direct;
  const { rows, total } = scope ? await familiesPage(db, scope, filter, page, input.sort) : { rows: [], total: 0 };
  // A loop, not flatMap: a page holds up to 100 families (monitoringList.ts says what flatMap cost).
  const people: (string | null)[] = [];
  for (const f of rows) people.push(f.directorId, f.pendingDirectorId);
  const refs = await userRefs(db, people);
  const list = { items: rows.map((f) => familySummary(f, refs, at)), total, page: page.page, pageSize: page.pageSize };
  await logListed(db, input, at, 'list', rows);
  return list;
}
