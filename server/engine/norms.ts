import { defaultNorms, normsSchema, type Norms, type NormsPeriod } from '../../machines/index.ts';
import type { Db } from '../db/index.ts';
import { normChanges, normRows } from '../db/norms.ts';

// Norms change rarely (an admin edits one); every dispatch needs them. A short cache per Db keeps a
// second process's edit visible within seconds, and invalidateNorms makes this process's own edit
// visible at once.
const TTL_MS = 5_000;
// Keyed by database, not by Db object: a Db wrapping a transaction shares the cache of its database.
const cache = new Map<string, { norms: Norms; values: Map<string, string>; loadedAt: number }>();
const keyOf = (db: Db) => `${db.url}#${db.schema ?? ''}`;

export function invalidateNorms(db: Db): void {
  cache.delete(keyOf(db));
}

async function load(db: Db) {
  const hit = cache.get(keyOf(db));
  if (hit && Date.now() - hit.loadedAt < TTL_MS) return hit;
  const [rows, changes] = await Promise.all([normRows(db.direct), normChanges(db.direct)]);
  const current = applyRows(defaultNorms, rows.map((r) => [r.key, parseValue(r.value)]));
  // Walking back from now: before each change, the value it replaced applied.
  const previous: NormsPeriod[] = [];
  let after = current;
  for (const change of changes) {
    const before = applyRows(after, [[change.key, change.before === null ? undefined : parseValue(change.before)]]);
    previous.unshift({ until: change.at.toISOString(), norms: before });
    after = before;
  }
  const norms: Norms = previous.length > 0 ? { ...current, previous } : current;
  const entry = { norms, values: new Map(rows.map((r) => [r.key, r.value])), loadedAt: Date.now() };
  cache.set(keyOf(db), entry);
  return entry;
}

/** The Norm table merged over the machine's defaults; a stored value that no longer parses is ignored. */
export async function loadNorms(db: Db): Promise<Norms> {
  return (await load(db)).norms;
}

/** One norm's stored value (JSON text) as the cache holds it, e.g. the session timeouts; null when unset. */
export async function normValue(db: Db, key: string): Promise<string | null> {
  return (await load(db)).values.get(key) ?? null;
}

/** The norms with stored rows applied in turn; a value that does not parse is ignored. */
function applyRows(base: Norms, rows: readonly (readonly [string, unknown])[]): Norms {
  let norms: Norms = base;
  for (const [key, value] of rows) {
    const parsed = normsSchema.safeParse(withValue(norms, key, value));
    if (parsed.success) norms = parsed.data;
  }
  return norms;
}

/**
 * The norms with one stored row applied: `key` sets a whole norm, `outer.inner` one field of a
 * nested norm (`stagnationDays.investigation`, `holidays.extra`). Keys the machine does not know
 * (`session.*`) are stripped by the schema and read through normValue.
 */
function withValue(norms: Norms, key: string, value: unknown): Record<string, unknown> {
  const [outer = '', inner, ...more] = key.split('.');
  if (inner === undefined) return { ...norms, [outer]: value };
  if (more.length > 0) return norms;
  const current = (norms as Record<string, unknown>)[outer];
  return { ...norms, [outer]: { ...(current !== null && typeof current === 'object' ? current : {}), [inner]: value } };
}

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
