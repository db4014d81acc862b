import { assign } from 'xstate';
import type { FamilyEvent } from '../schemas/events.ts';
import { actionsFor, as, decisionEvent, type Finish } from './actions.ts';
import { maxInstant, utc } from './calendar.ts';
import { currentPhase, type FamilyContext } from './context.ts';
import type { Counts, FamilyContextV2, FamilyViewFacts, V2Facts } from './contextV2.ts';
import { Draft } from './draft.ts';
import { latestCheckAt, latestFollowUpStart } from './listFacts.ts';

// What familyCase@2 records: v1's actions (actions.ts) followed by `keepCurrent`, which drops what is
// no longer current and counts what it drops, plus the actions of the v2 events. The context stays flat
// (contextV2.ts): a transition costs the same at 10 and at 10,000 events.

type Writable<T> = { -readonly [K in keyof T]: T[K] };
/** The v2 facts of a draft: objects and lists replaced whole, never edited in place. */
const v2 = (d: Draft) => d.c as unknown as Writable<V2Facts>;
const ctxOf = (d: Draft) => d.read as FamilyContextV2;

// ------------------------------------------------------------------------------- keeping it flat

function counted(d: Draft, patch: Partial<Counts>) {
  const counts = v2(d).counts;
  const next = { ...counts };
  for (const [k, n] of Object.entries(patch) as [keyof Counts, number][])
    if (k !== 'obstacles') (next[k] as number) = (counts[k] as number) + n;
  v2(d).counts = { ...next, obstacles: patch.obstacles ?? counts.obstacles };
}

/** What the lists gained in this action, as counts (before they are trimmed). */
function countAdded(d: Draft) {
  const before = d.before;
  const c = d.read;
  const added = <K extends 'reports' | 'incidents' | 'checks' | 'measures' | 'handovers' | 'escalations'>(key: K) =>
    c[key] === before[key] ? [] : (c[key].slice(before[key].length) as FamilyContext[K]);
  const incidents = added('incidents');
  const patch: Partial<Counts> = {
    reports: added('reports').length,
    incidents: incidents.length,
    seriousIncidents: incidents.filter((i) => i.severity === 'serious').length,
    checks: added('checks').length,
    measures: added('measures').length,
    handovers: added('handovers').length,
    escalations: added('escalations').length,
    planVersions: c.safetyPlan !== before.safetyPlan && c.safetyPlan ? 1 : 0,
  };
  if (Object.values(patch).some((n) => n !== 0)) counted(d, patch);
}

const keepIf = <T>(list: readonly T[], keep: (item: T, i: number) => boolean) => {
  const kept = list.filter(keep);
  return kept.length === list.length ? null : kept;
};

/** The reports the rules and deadlines still need: the cycle's first intake, its earliest acute and regular intake, the latest. */
function currentReports(ctx: FamilyContext) {
  const intake = ctx.reports.filter((r) => r.cycle === ctx.cycle && r.intake);
  const earliest = (acute: boolean) =>
    intake.filter((r) => r.acute === acute).reduce<(typeof intake)[number] | undefined>(
      (a, r) => (!a || Date.parse(r.receivedAt) < Date.parse(a.receivedAt) ? r : a),
      undefined,
    );
  const latest = ctx.reports.reduce<(typeof intake)[number] | undefined>(
    (a, r) => (!a || Date.parse(r.receivedAt) > Date.parse(a.receivedAt) ? r : a),
    undefined,
  );
  const keep = new Set([intake[0], earliest(true), earliest(false), latest].filter((r) => r !== undefined));
  return keepIf(ctx.reports, (r) => keep.has(r));
}

/** The refs of deadlines that can still be open: a missed signal is kept while its deadline's subject is. */
export function liveRefs(ctx: FamilyContextV2): Set<string> {
  const refs = new Set<string>();
  const add = (kind: string, ref: string) => refs.add(`${kind}\u0000${ref}`);
  for (const r of ctx.reports) add('assessment', r.id);
  for (const x of ctx.decisions) add('investigation', x.id);
  for (const h of ctx.handovers) add('handoverAcceptance', h.id);
  for (const c of ctx.conditions) add('monitoringCheck', c.id);
  const start = latestFollowUpStart(ctx.followUpStarts);
  const check = latestCheckAt(ctx.checks);
  const anchor = start === null ? check : check === null ? start : maxInstant(check, start);
  if (anchor) add('monitoringCheck', `periodic:${anchor}`);
  for (const f of ctx.feedback) {
    add('reporterFeedback', f.ref);
    add('householdFeedback', f.ref);
  }
  if (ctx.afterHandover) {
    add('firstContact', ctx.afterHandover.ref);
    add('firstPlan', ctx.afterHandover.ref);
  }
  if (ctx.conference) {
    add('nextConference', ctx.conference.id);
    for (const a of ctx.conference.agreements) add('conferenceAgreement', a.id);
  }
  return refs;
}

/** Drops what is no longer current (README "familyCase@2"): run after every action of the v2 chart. */
export function keepCurrent(d: Draft): void {
  const ctx = ctxOf(d);
  const replace = <K extends Parameters<Draft['replace']>[0]>(key: K, kept: FamilyContext[K] | null) => {
    if (kept) d.replace(key, kept as never);
  };
  const last = <K extends 'phaseHistory' | 'assessmentsStarted' | 'handovers' | 'followUpStarts' | 'checks' | 'stabilityConfirmations' | 'closures'>(key: K) => {
    if (ctx[key].length > 1) d.replace(key, ctx[key].slice(-1) as never);
  };
  last('phaseHistory');
  last('assessmentsStarted');
  last('handovers');
  last('followUpStarts');
  last('checks');
  last('stabilityConfirmations');
  last('closures');
  replace('reports', currentReports(ctx));
  // A repeat report naming a member the family has (same alias, kind and birth year) adds no one.
  if (ctx.members.length > d.before.members.length) {
    const known = new Set(d.before.members.map((m) => `${m.alias}\u0000${m.kind}\u0000${m.birthYear}`));
    replace(
      'members',
      keepIf(ctx.members, (m, i) => i < d.before.members.length || !known.has(`${m.alias}\u0000${m.kind}\u0000${m.birthYear}`)),
    );
  }
  if (ctx.incidents.length > 1) {
    // The latest by occurredAt; of two at the same moment, the one recorded last.
    const latest = ctx.incidents.reduce((a, i) => (Date.parse(i.occurredAt) >= Date.parse(a.occurredAt) ? i : a));
    d.replace('incidents', [latest]);
  }
  replace('decisions', keepIf(ctx.decisions, (x) => x.cycle === ctx.cycle));
  replace('conditions', keepIf(ctx.conditions, (c) => c.cycle === ctx.cycle && c.status !== 'withdrawn'));
  replace('measures', keepIf(ctx.measures, (m) => m.status === 'active'));
  replace('escalations', keepIf(ctx.escalations, (e) => e.resolvedAt === null));
  const now = ctxOf(d);
  const refs = liveRefs(now);
  const entry = now.phaseHistory.at(-1);
  const interim = now.signals.missed.filter((s) => s.kind === 'interimContact').at(-1);
  const missed = keepIf(
    now.signals.missed,
    (s) => (s.kind === 'interimContact' ? s === interim && currentPhase(now) === 'reported' : refs.has(`${s.kind}\u0000${s.ref}`)),
  );
  const reviews = now.signals.reviewsDue.length > 1 ? now.signals.reviewsDue.slice(-1) : null;
  const stagnation = keepIf(
    now.signals.stagnation,
    (s) => entry !== undefined && s.phase === entry.phase && Date.parse(s.since) === Date.parse(entry.at),
  );
  if (missed || reviews || stagnation)
    d.c.signals = {
      missed: missed ?? now.signals.missed,
      reviewsDue: reviews ?? now.signals.reviewsDue,
      stagnation: stagnation ?? now.signals.stagnation,
    };
}

const finish: Finish = (d) => {
  countAdded(d);
  keepCurrent(d);
};

// ------------------------------------------------------------------------------- the v2 events

type V2Mutator = (d: Draft, ev: FamilyEvent) => void;

/** Upserts `item` into a list keyed by `key` (risk factors by kind, screenings by member). */
function upsert<T, K>(list: readonly T[], key: (x: T) => K, item: T): T[] {
  const i = list.findIndex((x) => key(x) === key(item));
  return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x));
}

/** The family view's facts, empty until its first event. */
function familyViewOf(d: Draft): FamilyViewFacts {
  return v2(d).familyView ?? { access: [], shields: [], responses: [] };
}

const mutatorsV2 = {
  recordTriage: (d, ev) => {
    const e = as(ev, 'triage.recorded');
    if (!e) return;
    const p = e.payload;
    v2(d).triage = {
      urgency: p.urgency,
      at: utc(ev.recordedAt),
      instrument: p.instrument ?? null,
      score: p.score ?? null,
      notes: p.notes ?? null,
      by: ev.actor.id,
    };
  },
  recordInterimContact: (d, ev) => {
    v2(d).interimContactAt = utc(ev.recordedAt);
    const e = as(ev, 'contact.interim');
    if (e) v2(d).interimContactWith = e.payload.with;
  },
  startInvestigation: (d, ev) => {
    v2(d).investigationStartedAt = utc(ev.recordedAt);
  },
  /** After report.received: whether this cycle has a named reporter; a reopened case starts afresh. */
  recordReportV2: (d, ev) => {
    const e = as(ev, 'report.received');
    if (!e) return;
    const cycle = d.c.cycle;
    if (e.payload.source !== 'anonymous') v2(d).namedReportCycle = cycle;
  },
  /** After assessment.completed / investigation.completed: risk factors, feedback owed, the investigation's start. */
  recordDecisionV2: (d, ev) => {
    const e = decisionEvent(ev);
    const decision = d.c.decisions.at(-1);
    if (!e || !decision) return;
    const at = utc(ev.recordedAt);
    const facts = v2(d);
    for (const f of e.payload.riskFactors ?? [])
      facts.riskFactors = upsert(facts.riskFactors, (x) => x.kind, {
        kind: f.kind,
        status: 'present',
        notes: f.notes ?? null,
        at,
      });
    facts.feedback = [
      ...facts.feedback.filter((f) => f.reporterAt === null || f.householdAt === null).slice(-3),
      {
        ref: decision.id,
        at,
        reporterNeeded: facts.namedReportCycle === d.c.cycle,
        reporterAt: null,
        householdAt: null,
      },
    ];
    if (e.payload.decision === 'investigate') facts.investigationStartedAt = null;
  },
  recordInformed: (d, ev) => {
    const at = utc(ev.recordedAt);
    const reporter = ev.type === 'reporter.informed';
    const e = as(ev, 'reporter.informed') ?? as(ev, 'household.informed');
    if (e) v2(d).informed = { ...v2(d).informed, [reporter ? 'reporter' : 'household']: { at, channel: e.payload.channel } };
    v2(d).feedback = v2(d)
      .feedback.map((f) =>
        reporter ? (f.reporterNeeded && !f.reporterAt ? { ...f, reporterAt: at } : f) : f.householdAt ? f : { ...f, householdAt: at },
      )
      .filter((f) => (f.reporterNeeded && f.reporterAt === null) || f.householdAt === null);
  },
  /** After handover.accepted: a team handover starts the clock for first contact and the first plan. */
  acceptHandoverV2: (d, ev) => {
    const h = d.c.handovers.at(-1);
    if (!h || h.kind !== 'team' || h.outcome !== 'accepted') return;
    const at = utc(ev.recordedAt);
    const phase = currentPhase(d.read);
    // Past direct safety the plan is made already: only first contact is owed.
    const planned = phase === 'stableSafety' || phase === 'recovery';
    v2(d).afterHandover = {
      ref: h.id,
      acceptedAt: at,
      firstContactAt: null,
      firstContactWith: [],
      warm: null,
      firstPlanAt: planned ? at : null,
    };
  },
  recordFirstContact: (d, ev) => {
    const a = v2(d).afterHandover;
    const e = as(ev, 'contact.first');
    if (a && e)
      v2(d).afterHandover = {
        ...a,
        firstContactAt: utc(ev.recordedAt),
        firstContactWith: e.payload.with,
        warm: e.payload.warm,
      };
  },
  recordPlanV2: (d, ev) => {
    const a = v2(d).afterHandover;
    if (a && a.firstPlanAt === null) v2(d).afterHandover = { ...a, firstPlanAt: utc(ev.recordedAt) };
  },
  recordConference: (d, ev) => {
    const e = as(ev, 'conference.held');
    if (!e) return;
    const p = e.payload;
    v2(d).conference = {
      id: d.newId('o'),
      kind: p.kind,
      heldAt: utc(p.heldAt),
      nextAt: p.nextAt ? utc(p.nextAt) : null,
      withMandate: p.participants.some((x) => 'mandate' in x && x.mandate),
      agreements: p.agreements.map((a) => ({
        id: d.newId('g'),
        description: a.description,
        responsible: a.responsible,
        dueAt: a.dueAt ? utc(a.dueAt) : null,
      })),
    };
    counted(d, { conferences: 1 });
  },
  updateRiskFactors: (d, ev) => {
    const e = as(ev, 'riskFactors.updated');
    if (!e) return;
    const at = utc(ev.recordedAt);
    let list = v2(d).riskFactors;
    for (const f of e.payload.factors)
      list = upsert(list, (x) => x.kind, { kind: f.kind, status: f.status, notes: f.notes ?? null, at });
    v2(d).riskFactors = list;
  },
  recordScreening: (d, ev) => {
    const e = as(ev, 'trauma.screened');
    if (e) v2(d).screenings = upsert(v2(d).screenings, (x) => x.memberId, { ...e.payload, at: utc(ev.recordedAt) });
  },
  /** After escalation.raised: its obstacles, on the escalation and in the counts. */
  recordObstacles: (d, ev) => {
    const e = as(ev, 'escalation.raised');
    const i = d.c.escalations.length - 1;
    if (!e || i < 0 || !e.payload.obstacles?.length) return;
    d.edit('escalations', i, { obstacles: e.payload.obstacles } as never);
    const obstacles = { ...v2(d).counts.obstacles };
    for (const o of e.payload.obstacles) obstacles[o] = (obstacles[o] ?? 0) + 1;
    counted(d, { obstacles });
  },
  recordCheckV2: (d, ev) => {
    const e = as(ev, 'monitoring.checkRecorded');
    const i = d.c.checks.length - 1;
    if (e?.payload.recoveryAttention !== undefined && i >= 0)
      d.edit('checks', i, { recoveryAttention: e.payload.recoveryAttention } as never);
    if (e?.payload.recoveryAttention) counted(d, { checksWithRecoveryAttention: 1 });
  },
  /** On recovery.completed: the members excused from a trauma screening, with the reason. */
  recordRecoveryV2: (d, ev) => {
    const e = as(ev, 'recovery.completed');
    if (e) v2(d).excused = (e.payload.excused ?? []).map((x) => ({ memberId: x.memberId, reason: x.reason }));
  },
  /** On entering `closed`: what belonged to the open case lapses (feedback still owed stays), members' access with it. */
  closeCaseV2: (d, ev) => {
    Object.assign(v2(d), {
      triage: null,
      interimContactAt: null,
      interimContactWith: null,
      investigationStartedAt: null,
      afterHandover: null,
      conference: null,
    });
    const view = v2(d).familyView;
    if (view?.access.some((a) => a.revokedAt === null)) {
      const at = utc(ev.recordedAt);
      v2(d).familyView = { ...view, access: view.access.map((a) => (a.revokedAt === null ? { ...a, revokedAt: at } : a)) };
    }
  },
  // The family's own view: the latest access, shield and answer per member.
  grantAccess: (d, ev) => {
    const e = as(ev, 'member-access.granted');
    if (!e) return;
    const view = familyViewOf(d);
    const access = { memberId: e.payload.memberId, grantedAt: utc(ev.recordedAt), expiresAt: utc(e.payload.expiresAt), by: ev.actor.id, revokedAt: null };
    v2(d).familyView = { ...view, access: upsert(view.access, (a) => a.memberId, access) };
  },
  revokeAccess: (d, ev) => {
    const e = as(ev, 'member-access.revoked');
    if (!e) return;
    const view = familyViewOf(d);
    const at = utc(ev.recordedAt);
    v2(d).familyView = {
      ...view,
      access: view.access.map((a) => (a.memberId === e.payload.memberId && a.revokedAt === null ? { ...a, revokedAt: at } : a)),
    };
  },
  shieldMember: (d, ev) => {
    const e = as(ev, 'member.shielded');
    if (!e) return;
    const view = familyViewOf(d);
    const { memberId } = e.payload;
    const from = [...new Set(e.payload.from)];
    v2(d).familyView = {
      ...view,
      shields: from.length === 0 ? view.shields.filter((s) => s.memberId !== memberId) : upsert(view.shields, (s) => s.memberId, { memberId, from }),
    };
  },
  recordResponse: (d, ev) => {
    const e = as(ev, 'plan.responded');
    if (!e) return;
    const view = familyViewOf(d);
    const response = {
      memberId: ev.actor.id,
      planVersion: e.payload.planVersion,
      response: e.payload.response,
      comment: e.payload.comment ?? null,
      at: utc(ev.recordedAt),
    };
    v2(d).familyView = { ...view, responses: upsert(view.responses, (r) => r.memberId, response) };
  },
  recordUpgrade: (d, ev) => {
    const u = v2(d).upgrade;
    if (u) v2(d).upgrade = { ...u, at: utc(ev.recordedAt) };
  },
} satisfies Record<string, V2Mutator>;

function assignV2(fn: V2Mutator) {
  return assign<FamilyContextV2, FamilyEvent, undefined, FamilyEvent, never>(({ context, event }) => {
    const draft = new Draft(context);
    fn(draft, event);
    finish(draft, event);
    return draft.done() as FamilyContextV2;
  });
}

type V2Actions = { [K in keyof typeof mutatorsV2]: ReturnType<typeof assignV2> };

/** v1's actions, each followed by `keepCurrent`, and the actions of the v2 events. */
export const actionsV2 = {
  ...actionsFor<FamilyContextV2>(finish),
  ...(Object.fromEntries(Object.entries(mutatorsV2).map(([k, fn]) => [k, assignV2(fn)])) as V2Actions),
};
