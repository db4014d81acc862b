/** The Norm table: an administrator's overrides of the machine's default norms, as JSON text per key. */
import type { SqlRunner } from './direct.ts';

export async function normRows(q: SqlRunner): Promise<{ key: string; value: string }[]> {
  return q.all<{ key: string; value: string }>('SELECT "key", "value" FROM "Norm"');
}

export type NormRow = { key: string; value: string; updatedAt: Date; updatedBy: string | null };

export async function normRowsWithChange(q: SqlRunner): Promise<NormRow[]> {
  return q.all<NormRow>('SELECT "key", "value", "updatedAt", "updatedBy" FROM "Norm"');
}

/** Sets one norm (insert or replace) in an open transaction; both backends know ON CONFLICT. */
export async function writeNorm(q: SqlRunner, row: NormRow): Promise<void> {
  await q.run(
    `INSERT INTO "Norm" ("key", "value", "updatedAt", "updatedBy") VALUES (?, ?, ?, ?)
     ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt", "updatedBy" = excluded."updatedBy"`,
    [row.key, row.value, row.updatedAt, row.updatedBy],
  );
}

export type NormChangeRow = { key: string; before: string | null; at: Date };

/** Records a change (the value it replaced) in the same transaction as the new value. */
export async function writeNormChange(q: SqlRunner, row: NormChangeRow): Promise<void> {
  await q.run('INSERT INTO "NormChange" ("key", "before", "at") VALUES (?, ?, ?)', [row.key, row.before, row.at]);
}

/** Every change, newest first. */
export async function normChanges(q: SqlRunner): Promise<NormChangeRow[]> {
  return q.all<NormChangeRow>('SELECT "key", "before", "at" FROM "NormChange" ORDER BY "at" DESC, "id" DESC');
}

/** One norm's stored value (JSON text), or undefined when the default applies. */
export async function storedNorm(q: SqlRunner, key: string): Promise<string | undefined> {
  return (await q.get<{ value: string }>('SELECT "value" FROM "Norm" WHERE "key" = ?', [key]))?.value;
}
