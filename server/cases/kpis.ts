import type { Kpis, MunicipalityKpis } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { allMunicipalities, populationOf, regions, type RegionCode } from '../../machines/schemas/regions.ts';
import { writeAccessLog } from '../db/accessLog.ts';
import { emptyKpiData, kpiAggregates, municipalityAggregates, type KpiScope, type MunicipalityData } from '../db/kpiFacts.ts';
import type { Principal } from '../auth/policy.ts';
import { entryFor, requireRole, scopeOf, type CaseDeps, type Caller } from './context.ts';
import {
  computeKpis,
  kpiFactKinds,
  kpiSeries,
  municipalityDefinitions,
  municipalityFactKinds,
  municipalityFigures,
  municipalityValueKinds,
  targets,
} from './kpiFigures.ts';

export const KPI_ROLES: readonly Role[] = ['vt', 'auditor'];

/** The municipalities whose families the caller sees as a whole: all for an auditor, its region's for VT. */
function municipalitiesOf(p: Principal): readonly string[] {
  if (p.roles.includes('auditor')) return allMunicipalities;
  if (p.roles.includes('vt') && p.region !== null && p.region in regions) return regions[p.region as RegionCode];
  return [];
}

/**
 * The figures over a period (GET /kpis), from the KPI facts of the families the caller may see,
 * with one access-log row (`kpis`) in the same transaction. Reports per 10,000 inhabitants count
 * against the municipality asked for, else the caller's municipalities.
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
  const population = populationOf(input.scope.municipality ? [input.scope.municipality] : municipalitiesOf(input.principal));
  return computeKpis(data, input.scope, now, population);
}

/**
 * "How long do families wait, and where" (GET /kpis/municipalities): the waiting figures of each
 * municipality the caller sees, longest median wait first, with one access-log row (`kpis`).
 */
export async function compareMunicipalities(deps: CaseDeps, input: Caller & { scope: { from: Date; to: Date } }): Promise<MunicipalityKpis> {
  await requireRole(deps, input, KPI_ROLES, { action: 'kpis', familyId: null });
  const now = deps.clock.now();
  const visible = scopeOf(input);
  const data = await deps.db.direct.transaction(async (tx) => {
    const d = visible
      ? await municipalityAggregates(tx, deps.db.provider, visible, input.scope, { kinds: municipalityFactKinds, valueKinds: municipalityValueKinds })
      : new Map<string, MunicipalityData>();
    await writeAccessLog(tx, entryFor(input, now, null, 'kpis', 'ok'));
    return d;
  });
  const names = [...new Set([...municipalitiesOf(input.principal), ...data.keys()])];
  const rows = names.map((m) => municipalityFigures(m, data.get(m), populationOf([m]), now));
  // Longest wait first: the median, then the oldest waiting family, then the name.
  const key = (v: number | null) => (v === null ? -1 : v);
  rows.sort(
    (a, b) =>
      key(b.waitMedianDays) - key(a.waitMedianDays) ||
      key(b.waitingOldestDays) - key(a.waitingOldestDays) ||
      a.municipality.localeCompare(b.municipality, 'nl'),
  );
  return {
    from: input.scope.from.toISOString(),
    to: input.scope.to.toISOString(),
    generatedAt: now.toISOString(),
    municipalities: rows,
    definitions: municipalityDefinitions,
    assessedTarget: targets.assessedInTime,
  };
}
