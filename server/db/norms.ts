/** The Norm table: an administrator's overrides of the machine's default norms, as JSON text per key. */
import type { SqlRunner } from './direct.ts';

export async function normRows(q: SqlRunner): Promise<{ key: string; value: string }[]> {
  return q.all<{ key: string; value: string }>('SELECT "key", "value" FROM "Norm"');
}
