import type { Monitoring } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { monitoringPage, type MonitoringRow } from '../db/families.ts';
import { latestReasons } from '../db/events.ts';
import { userRefs } from '../db/users.ts';
import { logListed, requireRole, scopeOf, type CaseDeps, type Caller } from './context.ts';
import { declinedBy, monitoringItem } from './views.ts';

export const MONITORING_ROLES: readonly Role[] = ['vt', 'auditor'];

/**
 * One page of the families under Veilig Thuis oversight after a handover, back with VT after a
 * declined offer, or owing a missed familyCase@2 deadline (GET /monitoring): missed first contacts
 * and first plans first, then by the earliest due date, with one access-log row per family listed
 * (context.ts logListed: written once the answer is built, before it is given). No transaction
 * around the reads, as for the family list (listFamilies.ts).
 */
export async function monitoringList(deps: CaseDeps, input: Caller & { page: number; pageSize: number }): Promise<Monitoring> {
  await requireRole(deps, input, MONITORING_ROLES, { action: 'monitoring', familyId: null });
  const at = deps.clock.now();
  const scope = scopeOf(input);
  const db = deps.db.direct;
  const { rows, total }: { rows: MonitoringRow[]; total: number } = scope ? await monitoringPage(db, scope, input) : { rows: [], total: 0 };
  // The people the page names and the families back after a declined offer, in one loop: on Node 20
  // Array.prototype.flatMap took 43–54 µs for a page of 50 families (a new array per row, then
  // flattened), the loop 19–29 µs (BENCHMARKS.md, session 20).
  const people: (string | null)[] = [];
  const declined: string[] = [];
  for (const f of rows) {
    const by = declinedBy(f);
    people.push(f.directorId, f.pendingDirectorId, by);
    if (by !== null) declined.push(f.id);
  }
  const refs = await userRefs(db, people);
  const reasons = await latestReasons(db, declined, 'handover.declined');
  const list = { items: rows.map((r) => monitoringItem(r, refs, at, reasons)), total, page: input.page, pageSize: input.pageSize };
  await logListed(db, input, at, 'monitoring', rows);
  return list;
}
