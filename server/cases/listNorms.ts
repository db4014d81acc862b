import type { Norm, NormList } from '../../contract/index.ts';
import { normRowsWithChange } from '../db/norms.ts';
import { requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';
import { currentNormValues, normCatalogue, type NormDefinition, type NormValue } from './normCatalogue.ts';

export function normView(def: NormDefinition, value: NormValue, row: { updatedAt: Date; updatedBy: string | null } | undefined): Norm {
  return {
    key: def.key,
    value,
    default: def.defaultValue,
    unit: def.unit,
    min: def.min,
    max: def.max,
    options: def.options,
    source: def.source,
    changedAt: row?.updatedAt.toISOString() ?? null,
    changedBy: row?.updatedBy ?? null,
  };
}

/** Every configurable norm with its default, unit, source and the value in force (GET /norms). */
export async function listNorms(deps: CaseDeps, caller: AdminCaller): Promise<NormList> {
  await requireAdmin(deps, caller);
  const [values, rows] = await Promise.all([currentNormValues(deps.db), normRowsWithChange(deps.db.direct)]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return { items: normCatalogue.map((def) => normView(def, values.get(def.key) ?? def.defaultValue, byKey.get(def.key))) };
}
