import { defaultNorms, normsSchema, type Norms } from '../../machines/index.ts';
import type { Db } from '../db/index.ts';

// Norms change rarely (an admin edits one); every dispatch needs them. A short cache per Db keeps a
// second process's edit visible within seconds, and invalidateNorms makes this process's own edit
// visible at once.
const TTL_MS = 5_000;
// Keyed by database, not by Db object: a Db wrapping a transaction shares the cache of its database.
const cache = new Map<string, { norms: Norms; loadedAt: number }>();
const keyOf = (db: Db) => `${db.url}#${db.schema ?? ''}`;

export function invalidateNorms(db: Db): void {
  cache.delete(keyOf(db));
}

/** The Norm table merged over the machine's defaults; a stored value that no longer parses is ignored. */
export async function loadNorms(db: Db): Promise<Norms> {
  const hit = cache.get(keyOf(db));
  if (hit && Date.now() - hit.loadedAt < TTL_MS) return hit.norms;
  const rows = await db.prisma.norm.findMany({ select: { key: true, value: true } });
  let norms: Norms = defaultNorms;
  for (const row of rows) {
    const candidate = { ...norms, [row.key]: parseValue(row.value) };
    const parsed = normsSchema.safeParse(candidate);
    if (parsed.success) norms = parsed.data;
  }
  cache.set(keyOf(db), { norms, loadedAt: Date.now() });
  return norms;
}

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
