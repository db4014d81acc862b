/**
 * What must hold in a Veilig Pad database whatever happened to the server (crash, races, restore):
 * each check returns a list of problems (empty = fine) so a failing test names every one of them.
 *
 * - storage: SQLite `PRAGMA integrity_check` = ok and no foreign-key violation; PostgreSQL every
 *   constraint validated; on both no orphan rows (events, timers, sessions without their parent).
 * - families: the chain verifies (contiguous seqs 1..version, hashes, machine accepts every event),
 *   and the stored snapshot equals the replay of the history.
 * - timers: a fired timer points at exactly one system event of its own type and payload, every
 *   system event belongs to exactly one fired timer, nothing is left claimed, and (given `now`)
 *   nothing due is left unfired.
 * - access log: every user event has its `write`/`create` row (they commit in one transaction).
 * - projection: each family's KPI facts and list columns equal a fold of its events from scratch.
 */
import type { PersistedFamily } from '../../machines/index.ts';
import { canonicalJson, loadFamily, loadNorms, replay, verify } from '../../server/engine/index.ts';
import { foldKpiHistory, projectionColumns } from '../../server/engine/projections.ts';
import type { Db } from '../../server/db/index.ts';

export type DatabaseFigures = {
  families: number;
  events: number;
  systemEvents: number;
  timers: Record<string, number>;
  accessLogRows: number;
};

type Count = { n: bigint | number };
const num = (rows: Count[]) => Number(rows[0]?.n ?? 0);

export async function storageProblems(db: Db): Promise<string[]> {
  const problems: string[] = [];
  if (db.provider === 'sqlite') {
    const integrity =
      await db.prisma.$queryRawUnsafe<{ integrity_check: string }[]>('PRAGMA integrity_check');
    const verdict = integrity.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') problems.push(`PRAGMA integrity_check: ${verdict}`);
    const fk = await db.prisma.$queryRawUnsafe<unknown[]>('PRAGMA foreign_key_check');
    if (fk.length > 0) problems.push(`PRAGMA foreign_key_check: ${fk.length} violations`);
  } else {
    const invalid = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT c.conname::text AS name FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = $1 AND NOT c.convalidated`,
      db.schema ?? 'public',
    );
    if (invalid.length > 0)
      problems.push(`constraints not validated: ${invalid.map((r) => r.name).join(', ')}`);
    // The constraints the engine relies on must exist at all (a restore without them would "pass").
    const present = await db.prisma.$queryRawUnsafe<{ name: string; type: string }[]>(
      `SELECT c.conname::text AS name, c.contype::text AS type FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = $1`,
      db.schema ?? 'public',
    );
    const fks = present.filter((c) => c.type === 'f').length;
    if (fks < 3)
      problems.push(`expected foreign keys Event→Family, Timer→Family, Session→User; found ${fks}`);
    const uniques = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = 'Event' AND indexdef LIKE 'CREATE UNIQUE INDEX%' AND indexdef LIKE '%("familyId", seq)'`,
      db.schema ?? 'public',
    );
    if (uniques.length !== 1) problems.push('the unique index on Event(familyId, seq) is missing');
  }
  const orphans: [string, string][] = [
    [
      'events without family',
      `SELECT COUNT(*) AS n FROM "Event" e LEFT JOIN "Family" f ON f."id" = e."familyId" WHERE f."id" IS NULL`,
    ],
    [
      'timers without family',
      `SELECT COUNT(*) AS n FROM "Timer" t LEFT JOIN "Family" f ON f."id" = t."familyId" WHERE f."id" IS NULL`,
    ],
    [
      // A household member's session (issue 15) names a family and member instead of a user.
      'sessions without user or member',
      `SELECT COUNT(*) AS n FROM "Session" s LEFT JOIN "User" u ON u."id" = s."userId"
        WHERE (s."userId" IS NOT NULL AND u."id" IS NULL) OR (s."userId" IS NULL AND (s."familyId" IS NULL OR s."memberId" IS NULL))`,
    ],
    [
      'families without events',
      `SELECT COUNT(*) AS n FROM "Family" f WHERE NOT EXISTS (SELECT 1 FROM "Event" e WHERE e."familyId" = f."id")`,
    ],
    [
      'events beyond their family version',
      `SELECT COUNT(*) AS n FROM "Event" e JOIN "Family" f ON f."id" = e."familyId" WHERE e."seq" > f."version" OR e."seq" < 1`,
    ],
    [
      'duplicate (familyId, seq)',
      `SELECT COUNT(*) AS n FROM (SELECT "familyId", "seq" FROM "Event" GROUP BY "familyId", "seq" HAVING COUNT(*) > 1) d`,
    ],
  ];
  for (const [label, sql] of orphans) {
    const n = num(await db.prisma.$queryRawUnsafe<Count[]>(sql));
    if (n > 0) problems.push(`${label}: ${n}`);
  }
  return problems;
}

/** Chain and replay of every family (or of the given ones). */
export async function familyProblems(db: Db, ids?: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const all =
    ids ??
    (await db.prisma.family.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((f) => f.id);
  for (const id of all) {
    const stored = await loadFamily(db, id);
    if (!stored) {
      problems.push(`${id}: missing`);
      continue;
    }
    const v = await verify(db, id);
    if (!v.valid || v.events !== stored.version)
      problems.push(`${id}: chain ${JSON.stringify(v)} (version ${stored.version})`);
    try {
      const r = await replay(db, id);
      if (r.seq !== stored.version)
        problems.push(`${id}: replay reaches seq ${r.seq}, version is ${stored.version}`);
      if (canonicalJson(r.snapshot) !== canonicalJson(stored.snapshot))
        problems.push(`${id}: stored snapshot differs from the replay`);
    } catch (e) {
      problems.push(`${id}: replay failed: ${(e as Error).message}`);
    }
  }
  return problems;
}

/** Exactly-once firing. With `now`, also: no timer due by then is still waiting. */
export async function timerProblems(db: Db, opts: { now?: Date } = {}): Promise<string[]> {
  const problems: string[] = [];
  const timers = await db.prisma.timer.findMany({ orderBy: { id: 'asc' } });
  const systemEvents = await db.prisma.event.findMany({
    where: { actorRole: 'system' },
    select: { familyId: true, seq: true, type: true, payload: true },
  });
  const eventAt = new Map(systemEvents.map((e) => [`${e.familyId}#${e.seq}`, e]));
  const claimedSeqs = new Map<string, string>();
  for (const t of timers) {
    if (t.status === 'claimed') problems.push(`timer ${t.id} (${t.kind}) left claimed by ${t.claimedBy}`);
    if (t.status !== 'fired') {
      if (opts.now && t.status === 'pending' && t.dueAt.getTime() <= opts.now.getTime()) {
        problems.push(
          `timer ${t.id} (${t.kind}) due ${t.dueAt.toISOString()} still pending at ${opts.now.toISOString()}`,
        );
      }
      continue;
    }
    if (t.firedSeq === null) {
      problems.push(`timer ${t.id} fired without firedSeq`);
      continue;
    }
    const key = `${t.familyId}#${t.firedSeq}`;
    const other = claimedSeqs.get(key);
    if (other) problems.push(`timers ${other} and ${t.id} claim the same event ${key}`);
    claimedSeqs.set(key, t.id);
    const e = eventAt.get(key);
    const want = JSON.parse(t.event) as { type: string; payload: unknown };
    if (!e) problems.push(`timer ${t.id} (${t.kind}) fired as ${key}, but there is no system event there`);
    else if (e.type !== want.type || canonicalJson(JSON.parse(e.payload)) !== canonicalJson(want.payload)) {
      problems.push(`timer ${t.id} (${t.kind}) fired as ${key}, which is ${e.type} ${e.payload}`);
    }
  }
  for (const e of systemEvents) {
    if (!claimedSeqs.has(`${e.familyId}#${e.seq}`))
      problems.push(`system event ${e.familyId}#${e.seq} (${e.type}) has no fired timer`);
  }
  return problems;
}

/** The access-log row of each write commits with the write: one `create` per family, one `write` per later user event. */
export async function accessLogProblems(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const families = await db.prisma.family.findMany({ select: { id: true } });
  for (const { id } of families) {
    const userEvents = await db.prisma.event.count({
      where: { familyId: id, actorRole: { not: 'system' }, seq: { gt: 1 } },
    });
    const writes = await db.prisma.accessLog.count({
      where: { familyId: id, action: 'write', result: 'ok' },
    });
    const creates = await db.prisma.accessLog.count({
      where: { familyId: id, action: 'create', result: 'ok' },
    });
    if (creates !== 1) problems.push(`${id}: ${creates} create rows`);
    if (writes !== userEvents)
      problems.push(`${id}: ${userEvents} user events after seq 1 but ${writes} write rows`);
  }
  return problems;
}

/**
 * The read-side projection (server/engine/projections.ts) written with the events equals what a fold
 * of each family's events from scratch gives, fact for fact (norms as they are now: tests do not
 * change them midway).
 */
export async function projectionProblems(db: Db, ids?: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const norms = await loadNorms(db);
  const families = await db.prisma.family.findMany({
    ...(ids ? { where: { id: { in: [...ids] } } } : {}),
    select: {
      id: true,
      municipality: true,
      snapshot: true,
      reportedAt: true,
      projectionVersion: true,
      kpiState: true,
      waitingSince: true,
      monitorDueAt: true,
      monitoring: true,
      overdueAt: true,
      monitorRank: true,
      urgency: true,
      overdueKind: true,
      planDisagreement: true,
      nextDueAt: true,
      nextDueKind: true,
    },
    orderBy: { id: 'asc' },
  });
  const key = (f: { seq: number; kind: string }) => `${f.seq}:${f.kind}`;
  for (const f of families) {
    const events = await db.prisma.event.findMany({ where: { familyId: f.id }, orderBy: { seq: 'asc' } });
    const folded = foldKpiHistory(f.id, events, norms);
    const want = projectionColumns(folded.cursor, JSON.parse(f.snapshot) as PersistedFamily, f.reportedAt, norms);
    const have = {
      projectionVersion: f.projectionVersion,
      kpiState: f.kpiState,
      waitingSince: f.waitingSince,
      monitorDueAt: f.monitorDueAt,
      monitoring: f.monitoring,
      overdueAt: f.overdueAt,
      monitorRank: f.monitorRank,
      urgency: f.urgency,
      overdueKind: f.overdueKind,
      planDisagreement: f.planDisagreement,
    };
    for (const [column, value] of Object.entries(want)) {
      const stored = have[column as keyof typeof have];
      const same = value instanceof Date || stored instanceof Date ? (value as Date | null)?.getTime() === (stored as Date | null)?.getTime() : value === stored;
      if (!same) problems.push(`${f.id}: ${column} is ${JSON.stringify(stored)}, the fold gives ${JSON.stringify(value)}`);
    }
    // nextDueAt and nextDueKind (the timer plan's, written with every append): the earliest timer
    // still to fire and its kind (on a tie, one of the kinds due then).
    const live = await db.prisma.timer.findMany({ where: { familyId: f.id, status: { in: ['pending', 'claimed'] } }, orderBy: { dueAt: 'asc' } });
    const first = live[0]?.dueAt.getTime() ?? null;
    if ((f.nextDueAt?.getTime() ?? null) !== first)
      problems.push(`${f.id}: nextDueAt is ${f.nextDueAt?.toISOString() ?? null}, the earliest live timer is due ${live[0]?.dueAt.toISOString() ?? null}`);
    const kinds = live.filter((t) => t.dueAt.getTime() === first).map((t) => t.kind);
    if (first === null ? f.nextDueKind !== null : !kinds.includes(f.nextDueKind ?? ''))
      problems.push(`${f.id}: nextDueKind is ${f.nextDueKind}, the live timers due first are ${JSON.stringify(kinds)}`);
    const stored = await db.prisma.kpiFact.findMany({ where: { familyId: f.id } });
    const elsewhere = stored.filter((x) => x.municipality !== f.municipality).length;
    if (elsewhere > 0) problems.push(`${f.id}: ${elsewhere} KPI facts do not carry the family's municipality`);
    const storedFacts = stored.map((x) => `${key(x)}@${x.at.toISOString()}=${x.value}`).sort();
    const foldedFacts = folded.facts.map((x) => `${key(x)}@${x.at.toISOString()}=${x.value}`).sort();
    if (canonicalJson(storedFacts) !== canonicalJson(foldedFacts)) {
      problems.push(`${f.id}: KPI facts ${JSON.stringify(storedFacts)}, the fold gives ${JSON.stringify(foldedFacts)}`);
    }
  }
  return problems;
}

export async function databaseFigures(db: Db): Promise<DatabaseFigures> {
  const timers = await db.prisma.timer.groupBy({ by: ['status'], _count: { _all: true } });
  return {
    families: await db.prisma.family.count(),
    events: await db.prisma.event.count(),
    systemEvents: await db.prisma.event.count({ where: { actorRole: 'system' } }),
    timers: Object.fromEntries(timers.map((t) => [t.status, t._count._all])),
    accessLogRows: await db.prisma.accessLog.count(),
  };
}

/** All checks at once. */
export async function allProblems(db: Db, opts: { now?: Date; accessLog?: boolean } = {}): Promise<string[]> {
  return [
    ...(await storageProblems(db)),
    ...(await familyProblems(db)),
    ...(await timerProblems(db, opts)),
    ...(opts.accessLog === false ? [] : await accessLogProblems(db)),
    ...(await projectionProblems(db)),
  ];
}
