/**
 * The KpiFact table: one row per figure an event contributes (server/engine/projections.ts folds
 * them at write time), aggregated here per period in SQL. Direct SQL: Prisma can express neither
 * the join order nor the index hint, and its createMany would round the values on SQLite.
 */
import { insertJsonCte, placeholders, type Cte, type SqlRunner, type SqlValue } from './direct.ts';
import { familyFilterSql, type FamilyScope } from './families.ts';

/** A KpiFact row as written. */
export type KpiFactRow = { familyId: string; seq: number; at: Date; kind: string; value: number | null };

/**
 * Writes facts; `replaceFamily` first removes every fact of that family (a refold). Each row takes
 * its family's municipality from the family's row (written before its facts), so no producer of
 * facts needs to know it.
 */
export async function writeKpiFacts(q: SqlRunner, facts: readonly KpiFactRow[], replaceFamily?: string): Promise<void> {
  if (replaceFamily !== undefined) await q.run('DELETE FROM "KpiFact" WHERE "familyId" = ?', [replaceFamily]);
  // SQLite allows 32,766 bound values, PostgreSQL 65,535: stay well below both (as insertRows does).
  const perChunk = 150;
  for (let i = 0; i < facts.length; i += perChunk) {
    const chunk = facts.slice(i, i + perChunk);
    const params: SqlValue[] = [];
    for (const f of chunk) params.push(f.familyId, f.seq, f.at, f.kind, f.value, f.familyId);
    await q.run(
      `INSERT INTO "KpiFact" ("familyId", "seq", "at", "kind", "value", "municipality") VALUES ${chunk
        .map(() => '(?, ?, ?, ?, ?, (SELECT "municipality" FROM "Family" WHERE "id" = ?))')
        .join(', ')}`,
      params,
    );
  }
}

/** writeKpiFacts (no refold) as a sub-statement of an append's one statement (append.ts): the municipality from the family updated. */
export function insertKpiFactsCte(facts: readonly KpiFactRow[]): Cte | null {
  const cte = insertJsonCte('KpiFact', facts, ['municipality']);
  return cte && { sql: `k AS (${cte.sql})`, params: cte.params };
}

/** Removes every fact of these families (before their refold is written). */
export async function deleteKpiFactsOf(q: SqlRunner, familyIds: readonly string[]): Promise<void> {
  if (familyIds.length > 0) await q.run(`DELETE FROM "KpiFact" WHERE "familyId" IN (${placeholders(familyIds.length)})`, familyIds);
}


export type KpiScope = { from: Date; to: Date; municipality?: string };

/** A series of fact values and the order statistics (0-based indexes into its ascending values) wanted of it. */
export type KpiSeries = { kind: string; indexes: (count: number) => number[] };

export type KpiData = {
  /** Waiting families (phase reported) now, and the earliest start of their waits. */
  waiting: { count: number; oldestSince: Date | null };
  /** The facts of the period by kind: how many, and the sum of their values. */
  facts: ReadonlyMap<string, { count: number; sum: number }>;
  /** The wanted order statistics per series: index → value. */
  ranks: ReadonlyMap<string, ReadonlyMap<number, number>>;
};

/** Walking a kind's values in order (index) instead of sorting the period's values pays off from about here. */
const SORT_LIMIT = 20_000;

/**
 * What the figures are made of, aggregated from the KPI facts of the period (see
 * server/engine/projections.ts) and the waiting families' columns, for the families in `scope`.
 * Memory stays bounded:
 * - every family (an auditor without municipality): counts and sums per kind from the
 *   (kind, at, value) index; a median or percentile reads only its one or two values (ORDER BY
 *   value LIMIT/OFFSET), nothing is loaded;
 * - a subset (a municipality, a VT region, a director's families): the subset's families are found
 *   first and their facts of the period (kind and value only) read in one pass and tallied here.
 */
export async function kpiAggregates(
  q: SqlRunner,
  provider: 'sqlite' | 'postgresql',
  visible: FamilyScope,
  scope: KpiScope,
  wanted: {
    kinds: readonly string[];
    series: readonly KpiSeries[];
    /** Above this many values an order statistic walks the value index (SQLite); tests lower it. */
    sortLimit?: number;
  },
): Promise<KpiData> {
  const base = { AND: [visible, ...(scope.municipality ? [{ municipality: scope.municipality }] : [])] };
  const params: SqlValue[] = [];
  const familySql = familyFilterSql(base, 'f', params);
  const w = await q.get<{ n: number | bigint; oldest: Date | string | null }>(
    `SELECT COUNT(*) AS "n", MIN(f."waitingSince") AS "oldest" FROM "Family" f WHERE ${familySql} AND f."phase" = ?`,
    [...params, 'reported'],
  );
  // An aggregate has no declared type: SQLite hands the DateTime text back as it is stored.
  const waiting = { count: Number(w?.n ?? 0), oldestSince: w?.oldest ? new Date(w.oldest) : null };
  const everyFamily = Object.keys(visible).length === 0 && !scope.municipality;
  const { facts, ranks } = everyFamily
    ? await everyFamilyFacts(q, provider, scope, wanted)
    : await subsetFacts(q, familySql, params, scope, wanted);
  return { waiting, facts, ranks };
}

/** No family in scope: nothing waits, no facts. */
export const emptyKpiData = (): KpiData => ({ waiting: { count: 0, oldestSince: null }, facts: new Map(), ranks: new Map() });

async function everyFamilyFacts(
  q: SqlRunner,
  provider: 'sqlite' | 'postgresql',
  scope: KpiScope,
  wanted: { kinds: readonly string[]; series: readonly KpiSeries[]; sortLimit?: number },
): Promise<{ facts: Map<string, { count: number; sum: number }>; ranks: Map<string, Map<number, number>> }> {
  const facts = new Map<string, { count: number; sum: number }>();
  const ranks = new Map<string, Map<number, number>>();
  if (wanted.kinds.length === 0) return { facts, ranks };
  // One range of the (kind, at, value) index per kind.
  const counts = await q.all<{ kind: string; n: number | bigint; s: number | null }>(
    wanted.kinds
      .map(() => 'SELECT ? AS "kind", COUNT(*) AS "n", SUM("value") AS "s" FROM "KpiFact" WHERE "kind" = ? AND "at" >= ? AND "at" <= ?')
      .join(' UNION ALL '),
    wanted.kinds.flatMap((k) => [k, k, scope.from, scope.to]),
  );
  for (const c of counts) if (Number(c.n) > 0) facts.set(c.kind, { count: Number(c.n), sum: Number(c.s ?? 0) });
  for (const series of wanted.series) {
    const count = facts.get(series.kind)?.count ?? 0;
    if (count === 0) continue;
    // SQLite's planner would sort; past SORT_LIMIT values the (kind, value, at) index is cheaper.
    const hint = provider === 'sqlite' && count > (wanted.sortLimit ?? SORT_LIMIT) ? ' INDEXED BY "KpiFact_kind_value_at_idx"' : '';
    ranks.set(
      series.kind,
      await orderStatistics(series.indexes(count), (offset, take) =>
        q.all<{ value: number }>(
          `SELECT "value" FROM "KpiFact"${hint} WHERE "kind" = ? AND "at" >= ? AND "at" <= ? ORDER BY "value" LIMIT ? OFFSET ?`,
          [series.kind, scope.from, scope.to, take, offset],
        ),
      ),
    );
  }
  return { facts, ranks };
}

/** Reads the values at the wanted (0-based, ascending) indexes; adjacent ones in one query. */
async function orderStatistics(
  indexes: number[],
  read: (offset: number, take: number) => Promise<{ value: number }[]>,
): Promise<Map<number, number>> {
  const wanted = [...new Set(indexes)].sort((a, b) => a - b);
  const values = new Map<number, number>();
  for (let i = 0; i < wanted.length; ) {
    let j = i;
    while (j + 1 < wanted.length && wanted[j + 1] === wanted[j]! + 1) j++;
    const rows = await read(wanted[i]!, wanted[j]! - wanted[i]! + 1);
    rows.forEach((r, k) => values.set(wanted[i]! + k, Number(r.value)));
    i = j + 1;
  }
  return values;
}

async function subsetFacts(
  q: SqlRunner,
  familySql: string,
  familyParams: SqlValue[],
  scope: KpiScope,
  wanted: { kinds: readonly string[]; series: readonly KpiSeries[] },
): Promise<{ facts: Map<string, { count: number; sum: number }>; ranks: Map<string, Map<number, number>> }> {
  const facts = new Map<string, { count: number; sum: number }>();
  const ranks = new Map<string, Map<number, number>>();
  if (wanted.kinds.length === 0) return { facts, ranks };
  // CROSS JOIN keeps SQLite's join order: the subset's families first, then their facts, found by
  // their family's key (`|| ''` keeps the kind out of the plan; see municipalityAggregates).
  const rows = await q.all<{ kind: string; value: number | null }>(
    `SELECT k."kind" AS "kind", k."value" AS "value" FROM "Family" f CROSS JOIN "KpiFact" k
     WHERE k."familyId" = f."id" AND ${familySql} AND (k."kind" || '') IN (${placeholders(wanted.kinds.length)}) AND k."at" >= ? AND k."at" <= ?`,
    [...familyParams, ...wanted.kinds, scope.from, scope.to],
  );
  const values = new Map<string, number[]>();
  for (const r of rows) {
    const f = facts.get(r.kind) ?? { count: 0, sum: 0 };
    f.count++;
    if (r.value !== null) {
      f.sum += Number(r.value);
      const list = values.get(r.kind) ?? [];
      list.push(Number(r.value));
      values.set(r.kind, list);
    }
    facts.set(r.kind, f);
  }
  for (const series of wanted.series) {
    const sorted = (values.get(series.kind) ?? []).sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    ranks.set(series.kind, new Map(series.indexes(sorted.length).map((i) => [i, sorted[i]!])));
  }
  return { facts, ranks };
}


/** One municipality's share of the comparison: its waiting families now and its facts of the period. */
export type MunicipalityData = {
  waiting: { count: number; oldestSince: Date | null };
  /** By kind: how many facts, and the sum of their values. */
  facts: Map<string, { count: number; sum: number }>;
  /** The values of the `valueKinds`, ascending. */
  values: Map<string, number[]>;
};

/**
 * The comparison of municipalities (GET /kpis/municipalities): per municipality of the families in
 * `visible`, the waiting families now and the period's facts of `kinds` (counts and sums grouped in
 * SQL), with the values of `valueKinds` for their order statistics. Each fact carries its family's
 * municipality, so the facts are grouped without joining each to its family (per dialect below).
 */
export async function municipalityAggregates(
  q: SqlRunner,
  provider: 'sqlite' | 'postgresql',
  visible: FamilyScope,
  scope: { from: Date; to: Date },
  wanted: { kinds: readonly string[]; valueKinds: readonly string[] },
): Promise<Map<string, MunicipalityData>> {
  const out = new Map<string, MunicipalityData>();
  const of = (m: string) => {
    let d = out.get(m);
    if (!d) out.set(m, (d = { waiting: { count: 0, oldestSince: null }, facts: new Map(), values: new Map() }));
    return d;
  };
  const params: SqlValue[] = [];
  // Parenthesised: the scope may be an OR.
  const familySql = `(${familyFilterSql(visible, 'f', params)})`;
  const waiting = await q.all<{ m: string; n: number | bigint; oldest: Date | string | null }>(
    `SELECT f."municipality" AS "m", COUNT(*) AS "n", MIN(f."waitingSince") AS "oldest" FROM "Family" f
     WHERE ${familySql} AND f."phase" = ? GROUP BY f."municipality"`,
    [...params, 'reported'],
  );
  for (const w of waiting) of(w.m).waiting = { count: Number(w.n), oldestSince: w.oldest ? new Date(w.oldest) : null };
  if (wanted.kinds.length === 0) return out;
  const everyFamily = Object.keys(visible).length === 0;
  // Which facts, in SQL over `k`, with their parameters after the kinds'. A subset (a VT region)
  // keeps only the facts of its own families (the index carries the family's key).
  const own = everyFamily ? '' : ` AND k."familyId" IN (SELECT f."id" FROM "Family" f WHERE ${familySql})`;
  const ownParams = everyFamily ? [] : params;
  let from = '"KpiFact" k';
  let where: (kinds: readonly string[]) => { sql: string; params: SqlValue[] };
  let group = 'k."kind", k."municipality"';
  if (provider === 'sqlite') {
    // SQLite: the (kind, municipality, at, value, familyId) index, one range per kind and municipality
    // of the families in view, in the order GROUP BY wants — no sort of the period's facts (a temporary
    // B-tree over 264,000 facts of the whole country took 0.3–0.8 s at national scale).
    from = `"KpiFact" k INDEXED BY "KpiFact_kind_municipality_at_value_familyId_idx"`;
    where = (kinds) => ({
      sql: `k."kind" IN (${placeholders(kinds.length)}) AND k."municipality" IN (SELECT f."municipality" FROM "Family" f WHERE ${familySql})
        AND k."at" >= ? AND k."at" <= ?${own}`,
      params: [...kinds, ...params, scope.from, scope.to, ...ownParams],
    });
  } else if (everyFamily) {
    // PostgreSQL, every family (an auditor): the facts alone, through the (kind, at, municipality,
    // value) index, hashed per municipality.
    where = (kinds) => ({ sql: `k."kind" IN (${placeholders(kinds.length)}) AND k."at" >= ? AND k."at" <= ?`, params: [...kinds, scope.from, scope.to] });
    group = 'k."municipality", k."kind"';
  } else {
    // PostgreSQL, a subset: the municipalities of its families as an array first (an InitPlan), so
    // that the (kind, municipality, at, value, familyId) index is read as one range per kind and
    // municipality, index-only, its family keys hashed against the subset's. Written as
    // `IN (SELECT …)`, PostgreSQL went family by family through the (familyId, seq, kind) index
    // instead and read every fact of each (South Limburg at national scale: 75 → 23 ms per statement, p95 232 → 93 ms
    // through HTTP, the same answer; BENCHMARKS.md, session 9).
    where = (kinds) => ({
      sql: `k."kind" IN (${placeholders(kinds.length)}) AND k."municipality" = ANY (ARRAY(SELECT DISTINCT f."municipality" FROM "Family" f WHERE ${familySql}))
        AND k."at" >= ? AND k."at" <= ?${own}`,
      params: [...kinds, ...params, scope.from, scope.to, ...ownParams],
    });
  }
  const m = 'k."municipality"';
  const c = where(wanted.kinds);
  const counts = await q.all<{ m: string; kind: string; n: number | bigint; s: number | null }>(
    `SELECT ${m} AS "m", k."kind" AS "kind", COUNT(*) AS "n", SUM(k."value") AS "s" FROM ${from} WHERE ${c.sql} GROUP BY ${group}`,
    c.params,
  );
  for (const r of counts) of(r.m).facts.set(r.kind, { count: Number(r.n), sum: Number(r.s ?? 0) });
  if (wanted.valueKinds.length > 0) {
    const v = where(wanted.valueKinds);
    const values = await q.all<{ m: string; kind: string; value: number }>(
      `SELECT ${m} AS "m", k."kind" AS "kind", k."value" AS "value" FROM ${from} WHERE ${v.sql} AND k."value" IS NOT NULL`,
      v.params,
    );
    for (const r of values) {
      const d = of(r.m);
      const list = d.values.get(r.kind) ?? [];
      list.push(Number(r.value));
      d.values.set(r.kind, list);
    }
    for (const d of out.values()) for (const list of d.values.values()) list.sort((a, b) => a - b);
  }
  return out;
}
