// The write load of the soak, crash, two-server and backup suites: workers that walk families
// through valid paths of the statechart over HTTP, as a VT worker and a case director would,
// with several workers on the same families so that stale versions (409) happen for real.
//
// One cycle: reported → assessment → (handover offered → accepted) → directSafety.planning →
// planAgreed (incidents and plan revisions on the way) → stableSafety → closed → a repeat report
// reopens it. VT sprinkles escalations and measures where the machine allows them to VT.

import type { FamilyView } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { createUser } from '../../server/cases/createUser.ts';
import type { Db } from '../../server/db/index.ts';
import { ApiClient, NetworkError, type Tally } from './client.ts';

export const PASSWORD = 'reliability correct horse battery';
/** A Monday 09:00 UTC; working-day deadlines are easy to reason about from here. */
export const START = new Date('2025-03-03T09:00:00.000Z');
export const DAY = 86_400_000;

export type LoadUsers = { vt: { id: string; username: string }; director: { id: string; username: string } };

/**
 * The accounts the load signs in with, and session norms long enough that moving the manual clock
 * by days does not send every worker back to the (deliberately slow) argon2 sign-in.
 */
export async function prepareLoadDatabase(db: Db): Promise<LoadUsers> {
  const make = (username: string, roles: Role[], region: string | null) =>
    createUser(db, { username, password: PASSWORD, roles, region, displayName: username });
  const [vt, director] = await Promise.all([
    make('loadvt', ['vt'], 'zuid-limburg'),
    make('loaddirector', ['director'], null),
  ]);
  const at = new Date();
  await db.prisma.norm.createMany({
    data: [
      { key: 'session.idleMinutes', value: '5256000', updatedAt: at },
      { key: 'session.absoluteHours', value: '87600', updatedAt: at },
    ],
  });
  return {
    vt: { id: vt.id, username: vt.username },
    director: { id: director.id, username: director.username },
  };
}

/** What the load plants in personal-data fields, so the log scan can look for it. */
export type Markers = { alias: string; summary: string; description: string; reason: string };

export function report(markers: Markers, n: number) {
  return {
    reference: `REL-${n}-${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
    municipality: 'Heerlen',
    source: 'police',
    acute: n % 4 === 0,
    violenceForms: ['huiselijk geweld'],
    summary: `${markers.summary} melding ${n}`,
    members: [
      { alias: `${markers.alias} A`, kind: 'adult', birthYear: 1984 },
      { alias: `${markers.alias} B`, kind: 'adult', birthYear: 1986 },
      { alias: `${markers.alias} C`, kind: 'child', birthYear: 2014 },
    ],
  };
}

export type Step = { by: 'vt' | 'director'; type: string; payload: unknown; reason?: string };

function plan(f: FamilyView, markers: Markers) {
  const adult = f.members.find((m) => m.kind === 'adult')!;
  return {
    agreements: [
      {
        description: `${markers.description} afspraak`,
        responsible: 'Ouder',
        coversConditionIds: f.conditions.filter((c) => c.status === 'open').map((c) => c.id),
      },
    ],
    participants: [{ memberId: adult.id }, { professional: 'Wijkteam' }],
    childPerspectives: f.members
      .filter((m) => m.kind === 'child')
      .map((m) => ({ memberId: m.id, perspective: 'Wil rust thuis.' })),
  };
}

function incident(f: FamilyView, markers: Markers) {
  // The last event's time is never after the server's now: the incident is not in the future.
  return { occurredAt: f.updatedAt, severity: 'minor', description: `${markers.description} incident` };
}

/**
 * The next valid event for a family as VT sees it (`f` is VT's view; its allowedEvents are VT's).
 * `rnd` in [0, 1) picks among the optional events.
 */
export function nextStep(f: FamilyView, users: LoadUsers, markers: Markers, rnd: number): Step {
  const vtMay = (t: string) => f.allowedEvents.includes(t as FamilyView['allowedEvents'][number]);
  const reason = `${markers.reason} motivatie`;
  if (f.state.escalation === 'escalated' && vtMay('escalation.resolved') && rnd < 0.5) {
    return { by: 'vt', type: 'escalation.resolved', payload: {}, reason };
  }
  if (f.state.escalation === 'none' && vtMay('escalation.raised') && rnd > 0.93) {
    return { by: 'vt', type: 'escalation.raised', payload: { to: 'ZVH' }, reason };
  }
  if (
    vtMay('measure.imposed') &&
    rnd > 0.88 &&
    rnd <= 0.93 &&
    f.measures.every((m) => m.status !== 'active')
  ) {
    const startsAt = f.updatedAt;
    const endsAt = new Date(Date.parse(startsAt) + 9 * DAY).toISOString();
    return { by: 'vt', type: 'measure.imposed', payload: { kind: 'huisverbod', startsAt, endsAt } };
  }
  switch (f.state.phase) {
    case 'reported':
      return { by: 'vt', type: 'assessment.started', payload: {} };
    case 'assessment':
    case 'investigation': {
      const type = f.state.phase === 'assessment' ? 'assessment.completed' : 'investigation.completed';
      if (rnd < 0.15)
        return {
          by: 'vt',
          type,
          payload: { decision: 'close', acute: false, structural: false, conditions: [] },
          reason,
        };
      return {
        by: 'vt',
        type,
        payload: {
          decision: 'handover',
          acute: false,
          structural: true,
          directorId: users.director.id,
          conditions: [{ description: `${markers.description} voorwaarde` }],
        },
        reason,
      };
    }
    case 'directSafety.planning':
      if (f.state.oversight === 'handoverPending')
        return { by: 'director', type: 'handover.accepted', payload: {}, reason };
      return { by: 'director', type: 'plan.agreed', payload: plan(f, markers) };
    case 'directSafety.planAgreed':
      if (f.planRevisionRequired) return { by: 'director', type: 'plan.revised', payload: plan(f, markers) };
      if (rnd < 0.25) return { by: 'director', type: 'incident.reported', payload: incident(f, markers) };
      return { by: 'director', type: 'directSafety.achieved', payload: {}, reason };
    case 'stableSafety':
      if (rnd < 0.3) return { by: 'director', type: 'incident.reported', payload: incident(f, markers) };
      return { by: 'director', type: 'case.closed', payload: { reasonCode: 'other' }, reason };
    case 'recovery':
      return { by: 'director', type: 'case.closed', payload: { reasonCode: 'other' }, reason };
    case 'closed':
      return {
        by: 'vt',
        type: 'report.received',
        payload: { source: 'professional', acute: false, summary: `${markers.summary} herhaalmelding` },
      };
    default:
      throw new Error(`no step for phase ${f.state.phase}`);
  }
}

/** An event the server acknowledged with 200: it must be in the history at `version`, forever. */
export type Acknowledged = { familyId: string; version: number; type: string; actorId: string };

export type WorkerStats = {
  accepted: number;
  conflicts: number;
  /** Lost races that answered 404: the family was no longer the director's to see. */
  hidden: number;
  /** 409s whose currentVersion was not beyond the version sent (would be a lie). */
  badConflicts: string[];
  /** 200s whose version was not expectedVersion + 1. */
  badVersions: string[];
  /** Any other 4xx: the valid path was refused (a bug in the server or in nextStep). */
  unexpected: string[];
  inFlight: number;
  /** 503s (the database unavailable: tests/reliability/connection-loss.test.ts); the tally keeps them too. */
  unavailable: number;
};

export function newWorkerStats(): WorkerStats {
  return {
    accepted: 0,
    conflicts: 0,
    hidden: 0,
    badConflicts: [],
    badVersions: [],
    unexpected: [],
    inFlight: 0,
    unavailable: 0,
  };
}

/**
 * Resolves once `condition()` holds, checked every few milliseconds. The suites wait for a state of
 * the work (so many writes accepted, a request in flight, a timer claimed), never for a stretch of
 * time that usually suffices (issue 11 item 13). Fails loudly, naming what it waited for.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Runs `act` each time another `every` transitions have been accepted, until `stop()`: background
 * work (moving the clock, registering families, sampling memory) paced by the load, not by a timer.
 */
export async function everyAccepted(
  stats: WorkerStats,
  every: number,
  stop: () => boolean,
  act: () => Promise<boolean | void> | boolean | void,
): Promise<void> {
  let next = stats.accepted + every;
  while (!stop()) {
    await waitFor(() => stop() || stats.accepted >= next, `${every} more accepted transitions`, Number.MAX_SAFE_INTEGER);
    if (stop()) break;
    next = stats.accepted + every;
    if ((await act()) === false) break;
  }
}

/** mulberry32: the suites' random choices from a printed seed, so a run can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Worker = { vt: ApiClient; director: ApiClient };

export async function newWorker(base: string, tally: Tally, users: LoadUsers): Promise<Worker> {
  const vt = new ApiClient(base, tally, { username: users.vt.username, password: PASSWORD });
  const director = new ApiClient(base, tally, { username: users.director.username, password: PASSWORD });
  await Promise.all([vt.login(), director.login()]);
  return { vt, director };
}

/**
 * Workers signed in one after another: ten or more sign-ins of one account in flight at once are
 * throttled like parallel guessing (server/auth/throttle.ts), and a real user never does that.
 */
/** Who moves the manual clock: a signed-in user (POST /clock refuses anonymous callers). */
export async function clockMover(base: string, tally: Tally, users: LoadUsers): Promise<ApiClient> {
  const c = new ApiClient(base, tally, { username: users.vt.username, password: PASSWORD });
  await c.login();
  return c;
}

export async function newWorkers(n: number, base: string, tally: Tally, users: LoadUsers): Promise<Worker[]> {
  const workers: Worker[] = [];
  for (let i = 0; i < n; i++) workers.push(await newWorker(base, tally, users));
  return workers;
}

/** Points a worker at another server (after a restart); the sessions live in the database. */
export function retarget(w: Worker, base: string): void {
  w.vt.base = base;
  w.director.base = base;
}

export type RunOptions = {
  families: readonly string[];
  users: LoadUsers;
  markers: Markers;
  /** Stop after this many accepted transitions (or when `stop()` says so). */
  transitions: number;
  stop?: () => boolean;
  acknowledged: Acknowledged[];
  stats: WorkerStats;
  /** Which client sends an event: by default the worker's own. */
  sender?: (step: Step, w: Worker) => ApiClient;
};

/**
 * Picks a family, reads it, sends its next event on the version it read. Several workers on one
 * family race: the loser's 409 is counted and it simply reads again. Ends on NetworkError (the
 * server went away) without counting the unanswered request as anything.
 */
export async function runWorker(w: Worker, o: RunOptions): Promise<void> {
  let attempts = 0;
  const maxAttempts = o.transitions * 10 + 50;
  let done = 0;
  while (done < o.transitions && attempts++ < maxAttempts && !(o.stop?.() ?? false)) {
    const id = o.families[Math.floor(Math.random() * o.families.length)]!;
    try {
      o.stats.inFlight++;
      const read = await w.vt.get<FamilyView>(`/api/v1/families/${id}`);
      if (read.status === 503) {
        o.stats.unavailable++;
        continue;
      }
      if (read.status !== 200) {
        o.stats.unexpected.push(`GET ${id}: ${read.status} ${read.text.slice(0, 300)}`);
        continue;
      }
      const f = read.body;
      const step = nextStep(f, o.users, o.markers, Math.random());
      const client = o.sender ? o.sender(step, w) : step.by === 'vt' ? w.vt : w.director;
      const body = {
        type: step.type,
        expectedVersion: f.version,
        payload: step.payload,
        ...(step.reason ? { reason: step.reason } : {}),
      };
      const res = await client.post<FamilyView & { currentVersion?: number }>(
        `/api/v1/families/${id}/events`,
        body,
      );
      if (res.status === 200) {
        done++;
        o.stats.accepted++;
        o.acknowledged.push({
          familyId: id,
          version: res.body.version,
          type: step.type,
          actorId: client.userId!,
        });
        if (res.body.version !== f.version + 1)
          o.stats.badVersions.push(`${id} ${step.type}: sent ${f.version}, got ${res.body.version}`);
      } else if (res.status === 409) {
        o.stats.conflicts++;
        const cv = res.body.currentVersion;
        if (typeof cv !== 'number' || cv <= f.version)
          o.stats.badConflicts.push(`${id}: sent ${f.version}, currentVersion ${String(cv)}`);
      } else if (res.status === 404 && client !== w.vt) {
        // The family moved on (closed, handed over) since VT read it, and is no longer the
        // director's to see: the contract's 404, the director's form of a lost race. Only a
        // version that really moved makes it one. VT's read again may itself meet the database down
        // (a 503 while connections are cut): then it is asked again until the database answers.
        let again = await w.vt.get<FamilyView>(`/api/v1/families/${id}`);
        await waitFor(async () => {
          if (again.status !== 503) return true;
          again = await w.vt.get<FamilyView>(`/api/v1/families/${id}`);
          return false;
        }, `VT's read of ${id} after the director's 404`);
        if (again.status === 200 && again.body.version > f.version) o.stats.hidden++;
        else
          o.stats.unexpected.push(
            again.status === 200
              ? `${step.type} in ${f.state.phase}: 404 while the family stood still at ${f.version} (${res.text.slice(0, 200)})`
              : `${step.type} in ${f.state.phase}: 404 for the director, then ${again.status} for VT: ${again.text.slice(0, 200)}`,
          );
      } else if (res.status === 503) {
        o.stats.unavailable++;
      } else if (res.status < 500) {
        o.stats.unexpected.push(
          `${step.type} in ${f.state.phase}/${f.state.oversight}: ${res.status} ${res.text.slice(0, 300)}`,
        );
      }
    } catch (e) {
      if (e instanceof NetworkError) return;
      throw e;
    } finally {
      o.stats.inFlight--;
    }
  }
}

/** Creates `n` families as VT; returns their ids. */
export async function createFamilies(
  vt: ApiClient,
  markers: Markers,
  n: number,
  offset = 0,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await vt.post<FamilyView>('/api/v1/families', report(markers, offset + i));
    if (res.status !== 201) throw new Error(`creating a family failed: ${res.status} ${res.text}`);
    ids.push(res.body.id);
  }
  return ids;
}

/**
 * Every acknowledged event is in the database at its version, with its type and actor, and no
 * version was acknowledged twice. Returns problems (empty = fine).
 */
export async function acknowledgedProblems(db: Db, acknowledged: readonly Acknowledged[]): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  const byFamily = new Map<string, Acknowledged[]>();
  for (const a of acknowledged) {
    const key = `${a.familyId}#${a.version}`;
    if (seen.has(key)) problems.push(`version ${key} acknowledged twice`);
    seen.add(key);
    byFamily.set(a.familyId, [...(byFamily.get(a.familyId) ?? []), a]);
  }
  for (const [familyId, acks] of byFamily) {
    const rows = await db.prisma.event.findMany({
      where: { familyId },
      select: { seq: true, type: true, actorId: true },
    });
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    for (const a of acks) {
      const row = bySeq.get(a.version);
      if (!row) problems.push(`acknowledged ${a.type} at ${familyId}#${a.version} is missing`);
      else if (row.type !== a.type || row.actorId !== a.actorId) {
        problems.push(
          `acknowledged ${a.type} by ${a.actorId} at ${familyId}#${a.version}, stored ${row.type} by ${row.actorId}`,
        );
      }
    }
  }
  return problems;
}
