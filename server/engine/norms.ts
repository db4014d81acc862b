import { defaultNorms, normsSchema, type Norms } from '../../machines/index.ts';
import type { Db } from '../db/index.ts';
import { normRows } from '../db/norms.ts';

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
  const rows = await normRows(db.direct);
  let norms: Norms = defaultNorms;
  for (const row of rows) {
    const candidate = { ...norms, [row.key]: parseValue(row.value) };
    const parsed = normsSchema.safeParse(candidate);
    if (parsed.success) norms = parsed.data;
  }
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

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
