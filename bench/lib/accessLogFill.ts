import { accessEntry, writeAccessLog, type AccessAction, type AccessEntry } from '../../server/db/accessLog.ts';
import type { Db } from '../../server/db/index.ts';
import type { World } from '../../simulation/national.ts';
import { prng } from '../../simulation/rng.ts';

// A year of reads and writes in the access log, so that the access review is measured against a log
// of national size rather than the few rows a bench run's own requests write. Each family gets
// `perFamily` rows over the 365 days before the world's "now": most by its director or by Veilig
// Thuis of its region (assigned), some by the national auditor and about 1 in 40 by another
// director of the region who never had the family (the rows the review must make stand out).
// Written through server/db's one access-log writer, in transactions of `chunk` rows.

export type AccessLogFill = { rows: number; families: number; perFamily: number; ms: number };

const ACTIONS: readonly [AccessAction, number][] = [
  ['read', 0.55],
  ['write', 0.25],
  ['history', 0.1],
  ['export', 0.02],
  ['replay', 0.08],
];

export async function fillAccessLog(db: Db, w: World, opts: { perFamily: number; chunk?: number; seed?: number }): Promise<AccessLogFill> {
  const started = performance.now();
  const rng = prng(opts.seed ?? 11);
  const chunkSize = opts.chunk ?? 10_000;
  const regions = new Map(w.regions.map((r) => [r.code, r]));
  const families = await db.prisma.family.findMany({ select: { id: true, region: true, directorId: true }, orderBy: { id: 'asc' } });
  const pickAction = (): AccessAction => {
    let x = rng.next();
    for (const [a, p] of ACTIONS) if ((x -= p) < 0) return a;
    return 'read';
  };
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rng.next() * list.length)];
  const yearMs = 365 * 86_400_000;
  let rows = 0;
  let chunk: AccessEntry[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rowsNow = chunk;
    chunk = [];
    await db.direct.transaction((tx) => writeAccessLog(tx, rowsNow));
  };
  for (const f of families) {
    const region = regions.get(f.region);
    for (let i = 0; i < opts.perFamily; i++) {
      const x = rng.next();
      let who: { id: string; role: string } | undefined;
      if (x < 0.5 && f.directorId) who = { id: f.directorId, role: 'director' };
      else if (x < 0.92) who = region ? { id: pick(region.vt)!, role: 'vt' } : undefined;
      else if (x < 0.975) who = { id: 'auditor-national', role: 'auditor' };
      else {
        const other = region?.directors.filter((d) => d !== f.directorId) ?? [];
        const id = pick(other);
        who = id ? { id, role: 'director' } : undefined;
      }
      who ??= { id: 'auditor-national', role: 'auditor' };
      const at = new Date(w.now - Math.floor(rng.next() * yearMs));
      chunk.push(accessEntry({ userId: who.id, username: who.id, role: who.role, ip: '10.0.0.1' }, at, f.id, pickAction(), 'ok'));
      rows++;
      if (chunk.length >= chunkSize) await flush();
    }
  }
  await flush();
  return { rows, families: families.length, perFamily: opts.perFamily, ms: performance.now() - started };
}
