import type { Kpis } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { writeAccessLog } from '../db/accessLog.ts';
import { emptyKpiData, kpiAggregates, type KpiScope } from '../db/kpiFacts.ts';
import { entryFor, requireRole, scopeOf, type CaseDeps, type Caller } from './context.ts';
import { computeKpis, kpiFactKinds, kpiSeries } from './kpiFigures.ts';

export const KPI_ROLES: readonly Role[] = ['vt', 'auditor'];

/**
 * The figures over a period (GET /kpis), from the KPI facts of the families the caller may see,
 * with one access-log row (`kpis`) in the same transaction.
 */
export async function kpis(deps: CaseDeps, input: Caller & { scope: KpiScope; sortLimit?: number }): Promise<Kpis> {
  await requireRole(deps, input, KPI_ROLES, { action: 'kpis', familyId: null });
  const now = deps.clock.now();
  const visible = scopeOf(input);
  const data = await deps.db.direct.transaction(async (tx) => {
    const d = visible
      ? await kpiAggregates(tx, deps.db.provider, visible, input.scope, {
          kinds: kpiFactKinds,
          series: kpiSeries,
          ...(input.sortLimit !== undefined ? { sortLimit: input.sortLimit } : {}),
        })
      : emptyKpiData();
    await writeAccessLog(tx, entryFor(input, now, null, 'kpis', 'ok'));
    return d;
  });
  return computeKpis(data, input.scope, now);
}
