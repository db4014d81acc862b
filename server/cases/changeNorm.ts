import type { Norm } from '../../contract/index.ts';
import { writeAdminLog } from '../db/adminLog.ts';
import { storedNorm, writeNorm, writeNormChange } from '../db/norms.ts';
import { invalidateNorms } from '../engine/norms.ts';
import { AppError } from '../errors.ts';
import { requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';
import { normView } from './listNorms.ts';
import { currentNormValues, normDefinition } from './normCatalogue.ts';

/**
 * Sets one norm (PUT /norms/{key}) with the reason, and one admin-log row with the value before and
 * after, in one transaction. The change applies to deadlines started after it: the replaced value is
 * kept with the instant of the change (NormChange), and every deadline, timer and figure takes the
 * norms in force when it started (machines normsAt), so nothing running or recorded moves. The
 * instant is the engine's clock, the one events are stamped with. This process sees the change at
 * once (the cache is dropped), another within the cache's few seconds.
 */
export async function changeNorm(
  deps: CaseDeps,
  caller: AdminCaller,
  input: { key: string; value: unknown; reason: string },
): Promise<Norm> {
  await requireAdmin(deps, caller);
  const def = normDefinition(input.key);
  if (!def) throw new AppError('not_found', 'No such norm');
  const parsed = def.schema.safeParse(input.value);
  if (!parsed.success) {
    throw new AppError('validation', 'The value does not fit the norm', {
      errors: parsed.error.issues.map((i) => ({ path: ['value', ...i.path.map(String)].join('.'), message: i.message })),
    });
  }
  const before = (await currentNormValues(deps.db)).get(def.key) ?? def.defaultValue;
  const at = deps.clock.now();
  const row = { key: def.key, value: JSON.stringify(parsed.data), updatedAt: at, updatedBy: caller.principal?.username ?? null };
  await deps.db.direct.transaction(async (tx) => {
    // The value it replaces is kept with the instant, so running deadlines keep their norm.
    await writeNormChange(tx, { key: def.key, before: (await storedNorm(tx, def.key)) ?? null, at });
    await writeNorm(tx, row);
    await writeAdminLog(tx, {
      at,
      actorId: caller.principal?.id ?? null,
      actorUsername: caller.principal?.username ?? null,
      action: 'norm.changed',
      targetType: 'norm',
      targetId: def.key,
      targetName: null,
      before: { value: before, unit: def.unit },
      after: { value: parsed.data, unit: def.unit },
      reason: input.reason,
    });
  });
  invalidateNorms(deps.db);
  return normView(def, parsed.data, row);
}
