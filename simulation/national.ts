/**
 * A synthetic national data set: 25 Veilig Thuis regions — South Limburg with its 16 real
 * municipalities plus 24 synthetic regions with 326 synthetic municipalities (342 in all, as the
 * Netherlands has) — weighted by population; VT workers and case directors per region; and
 * families whose histories are simulated event by event through the batch path (server/engine/batch.ts)
 * over the three years up to `now`, with the scheduler firing due timers in between. Reports arrive
 * evenly over those years, so at `now` families are found in every phase: recent ones on the waiting
 * list or in assessment, older ones in direct or stable safety, recovery, or closed.
 *
 * The routes: about a third closed at assessment, a tenth investigated, the rest handed over to a
 * local-team director or kept by VT with conditions, then a safety plan, monitoring checks, incidents
 * (minor, serious), measures (huisverbod, voorlopige OTS), escalations, director changes, stable
 * safety after six incident-free months, recovery, closure, and some repeat reports after closure.
 */
import { addDays, addMonths, defaultNorms, incidentFree, stateOf, type Actor, type FamilyContext } from '../machines/index.ts';
import { conditionTexts, planPayload, summaries, violenceForms } from '../server/seed/texts.ts';
import type { NamedUser } from '../machines/schemas/events.ts';
import { regions as realRegions } from '../machines/schemas/regions.ts';
import { append, fireDue, startFamily, type Command, type SimFamily } from '../server/engine/batch.ts';
import { prng, weighted, type Rng } from './rng.ts';

const DAY = 86_400_000;
export const NATIONAL_FAMILIES = 130_000;
export const HISTORY_DAYS = 3 * 365;

export type Region = { code: string; municipalities: string[]; weights: number[]; vt: string[]; directors: string[] };
export type World = {
  now: number;
  regions: Region[];
  regionCumulative: number[];
  seed: number;
  families: number;
};

/** Inhabitants (thousands, rounded) of the 16 South Limburg municipalities. */
const southLimburg: Record<string, number> = {
  Beekdaelen: 36,
  Beek: 16,
  Brunssum: 27,
  'Eijsden-Margraten': 25,
  'Gulpen-Wittem': 14,
  Heerlen: 87,
  Kerkrade: 45,
  Landgraaf: 37,
  Maastricht: 121,
  Meerssen: 19,
  Simpelveld: 10,
  'Sittard-Geleen': 92,
  Stein: 24,
  Vaals: 10,
  'Valkenburg aan de Geul': 16,
  Voerendaal: 12,
};

export const SOUTH_LIMBURG = 'zuid-limburg';

export function buildWorld(opts: { scale: number; seed?: number; now?: number }): World {
  const seed = opts.seed ?? 20_240_601;
  const rng = prng(seed);
  const families = Math.max(20, Math.round(NATIONAL_FAMILIES * opts.scale));
  const slNames = [...realRegions[SOUTH_LIMBURG]];
  const regions: Region[] = [
    { code: SOUTH_LIMBURG, municipalities: slNames, weights: slNames.map((m) => southLimburg[m] ?? 10), vt: [], directors: [] },
  ];
  // 326 synthetic municipalities over 24 regions, sizes log-normal around 30,000 inhabitants, so
  // that the Netherlands' 17.9 million split roughly as they do.
  for (let r = 1; r <= 24; r++) {
    const count = r <= 14 ? 14 : 13;
    const municipalities = Array.from({ length: count }, (_, i) => `Gemeente R${String(r).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`);
    regions.push({
      code: `regio-${String(r).padStart(2, '0')}`,
      municipalities,
      weights: municipalities.map(() => Math.max(5, rng.logNormal(32, 0.8))),
      vt: [],
      directors: [],
    });
  }
  const total = regions.reduce((s, r) => s + r.weights.reduce((a, b) => a + b, 0), 0);
  let acc = 0;
  const regionCumulative: number[] = [];
  for (const r of regions) {
    const size = r.weights.reduce((a, b) => a + b, 0);
    acc += size;
    regionCumulative.push(acc);
    const share = size / total;
    // About 1,500 case directors nationally (~35 open families each) and 8 VT workers per region.
    const directors = Math.max(3, Math.round(1500 * share * Math.min(1, opts.scale * 10)));
    r.vt = Array.from({ length: 8 }, (_, i) => `vt-${r.code}-${i + 1}`);
    r.directors = Array.from({ length: directors }, (_, i) => `dir-${r.code}-${i + 1}`);
  }
  return { now: opts.now ?? Date.now(), regions, regionCumulative, seed, families };
}

/** Every bench account of the world: usernames equal ids, so a login name is easy to derive. */
export function worldUsers(w: World): { id: string; username: string; roles: ('vt' | 'director' | 'auditor')[]; region: string | null }[] {
  const out: { id: string; username: string; roles: ('vt' | 'director' | 'auditor')[]; region: string | null }[] = [];
  for (const r of w.regions) {
    for (const id of r.vt) out.push({ id, username: id, roles: ['vt'], region: r.code });
    for (const id of r.directors) out.push({ id, username: id, roles: ['director'], region: null });
  }
  out.push({ id: 'auditor-national', username: 'auditor-national', roles: ['auditor'], region: null });
  return out;
}


/** A moment during office hours (07:30–16:00 UTC) on the day of `t`, never before `notBefore`. */
function officeTime(t: number, rng: Rng, notBefore: number): number {
  const d = new Date(t);
  d.setUTCHours(7, 30, 0, 0);
  const at = d.getTime() + rng.between(0, 8.5 * 3600_000);
  return Math.max(at, notBefore + 60_000);
}

type Route = 'close' | 'investigate' | 'handover' | 'conditionsAndFollowUp';

type Plan = {
  route: Route;
  afterInvestigation: Route;
  region: Region;
  vt: string;
  measure: 'huisverbod' | 'voorlopigeOts' | null;
  escalate: boolean;
  declineFirst: boolean;
  directorChange: boolean;
  repeatReport: boolean;
  closedEarly: boolean;
};

type Sim = {
  f: SimFamily;
  rng: Rng;
  plan: Plan;
  now: number;
  t: number;
  refusals: number;
  /** Pending user actions by kind, with the time they are due. */
  agenda: Map<string, number>;
};

function actorOf(id: string): Actor {
  return { id, role: id.startsWith('vt-') ? 'vt' : 'director' };
}

const named = (id: string): NamedUser => ({ id, roles: [id.startsWith('vt-') ? 'vt' : 'director'] });

function phaseOf(s: Sim): string {
  return stateOf(s.f.snap).phase;
}

function ctxOf(s: Sim): FamilyContext {
  return s.f.snap.context;
}

function conditions(s: Sim, at: number) {
  const n = s.rng.int(1, 3);
  return [...conditionTexts]
    .sort(() => s.rng.next() - 0.5)
    .slice(0, n)
    .map((description) => (s.rng.chance(0.85) ? { description, dueAt: new Date(at + s.rng.int(21, 60) * DAY).toISOString() } : { description }));
}

function decisionCommand(s: Sim, kind: 'assessment' | 'investigation', route: Route, at: number): Command {
  const director = route === 'handover' ? s.rng.pick(s.plan.region.directors) : route === 'conditionsAndFollowUp' ? s.plan.vt : undefined;
  return {
    type: kind === 'assessment' ? 'assessment.completed' : 'investigation.completed',
    payload: {
      decision: route,
      acute: s.f.row.acute,
      structural: route !== 'close',
      ...(route === 'handover' ? { directorId: director } : {}),
      conditions: route === 'handover' || route === 'conditionsAndFollowUp' ? conditions(s, at) : [],
    },
    reason:
      route === 'close'
        ? 'Geen aanwijzingen voor structurele onveiligheid na gesprekken met gezin en school.'
        : route === 'investigate'
          ? 'Onvoldoende zicht op veiligheid; nader onderzoek nodig.'
          : route === 'handover'
            ? 'Structurele onveiligheid; het lokale team neemt de regie over en Veilig Thuis monitort.'
            : 'Veilig Thuis houdt de regie met voorwaarden en vervolg; gezin werkt mee.',
    actor: actorOf(s.plan.vt),
    ...(route === 'handover' ? { named: named(director!) } : {}),
  };
}


function directorCmd(s: Sim, type: string, payload: unknown, reason?: string): Command | null {
  const director = ctxOf(s).caseDirectorId;
  if (!director) return null;
  return { type, payload, actor: actorOf(director), ...(reason ? { reason } : {}) };
}

/** The family's next step along its main route, given its phase now: when, and what. */
function mainStep(s: Sim): { kind: string; after: number; build: (at: number) => Command | null } | null {
  const ctx = ctxOf(s);
  const phase = phaseOf(s);
  const oversight = s.f.snap.value.oversight;
  const vt = actorOf(s.plan.vt);
  const pending = ctx.handovers.at(-1)?.outcome === 'pending' ? ctx.handovers.at(-1)! : null;
  if (phase === 'reported') {
    // Waiting list: most reports are picked up within days, a tail waits weeks.
    return { kind: 'start', after: Math.min(90, s.rng.logNormal(4, 1.0)) * DAY, build: () => ({ type: 'assessment.started', payload: {}, actor: vt }) };
  }
  if (phase === 'assessment') {
    return { kind: 'assess', after: s.rng.between(0.5, 8) * DAY, build: (at) => decisionCommand(s, 'assessment', s.plan.route, at) };
  }
  if (phase === 'investigation') {
    return { kind: 'investigate', after: s.rng.between(30, 85) * DAY, build: (at) => decisionCommand(s, 'investigation', s.plan.afterInvestigation, at) };
  }
  if (pending) {
    const to = pending.toId;
    if (s.plan.declineFirst && ctx.handovers.length === 1) {
      return {
        kind: 'respond',
        after: s.rng.between(1, 6) * DAY,
        build: () => ({ type: 'handover.declined', payload: {}, reason: 'Geen capaciteit in het team; graag aan een collega aanbieden.', actor: actorOf(to) }),
      };
    }
    return {
      kind: 'respond',
      after: s.rng.logNormal(3, 0.6) * DAY,
      build: () => ({ type: 'handover.accepted', payload: {}, reason: 'Overdracht besproken; ik neem de regie over.', actor: actorOf(to) }),
    };
  }
  if (oversight === 'vtInvolved' && ctx.handovers.at(-1)?.outcome === 'declined' && phase.startsWith('directSafety') && ctx.handovers.length < 3) {
    const other = s.rng.pick(s.plan.region.directors);
    return {
      kind: 'reoffer',
      after: s.rng.between(1, 4) * DAY,
      build: () => ({ type: 'handover.offered', payload: { directorId: other }, reason: 'Opnieuw aangeboden aan een collega-regisseur.', actor: vt, named: named(other) }),
    };
  }
  if (phase === 'directSafety.planning') {
    return { kind: 'plan', after: s.rng.between(5, 25) * DAY, build: () => directorCmd(s, 'plan.agreed', planPayload(ctxOf(s), false)) };
  }
  if (phase === 'directSafety.planAgreed') {
    if (ctx.planRevisionRequired) {
      return { kind: 'revise', after: s.rng.between(3, 14) * DAY, build: () => directorCmd(s, 'plan.revised', planPayload(ctxOf(s), true)) };
    }
    return {
      kind: 'achieve',
      after: s.rng.between(30, 130) * DAY,
      build: () => directorCmd(s, 'directSafety.achieved', {}, 'Het geweld is gestopt en het veiligheidsplan wordt nageleefd.'),
    };
  }
  if (phase === 'stableSafety') {
    const from = incidentFree(s.f.snap, new Date(s.t).toISOString()).stableSafetyFrom;
    const earliest = from ? Date.parse(`${from}T12:00:00Z`) : s.t;
    return {
      kind: 'stable',
      after: Math.max(0, earliest - s.t) + s.rng.between(0, 120) * DAY,
      build: () =>
        directorCmd(
          s,
          'stability.confirmed',
          { riskFactorsResolved: true, participants: ctxOf(s).members.map((m) => ({ memberId: m.id })), professionals: ['Lokaal team', 'Veilig Thuis'] },
          'Ruim zes maanden zonder incidenten; samen met het gezin vastgesteld dat de risicofactoren geen negatief effect meer hebben.',
        ),
    };
  }
  if (phase === 'recovery') {
    if (oversight === 'monitoring') {
      return { kind: 'endMonitoring', after: s.rng.between(2, 30) * DAY, build: () => ({ type: 'monitoring.ended', payload: {}, actor: vt }) };
    }
    return {
      kind: 'recover',
      after: s.rng.between(120, 365) * DAY,
      build: () => directorCmd(s, 'recovery.completed', {}, 'Traumabehandeling afgerond; gezin heeft geen hulp meer nodig.'),
    };
  }
  if (phase === 'closed' && s.plan.repeatReport && ctx.cycle === 1) {
    return {
      kind: 'repeat',
      after: s.rng.between(30, 500) * DAY,
      build: (at) => ({
        type: 'report.received',
        payload: { source: s.rng.pick(['police', 'professional', 'citizen'] as const), acute: false, summary: s.rng.pick(summaries), receivedAt: new Date(at).toISOString(), violenceForms: [s.rng.pick(violenceForms)] },
        actor: vt,
      }),
    };
  }
  return null;
}

/** Side activity while the case is open: checks, incidents, measures, escalations, director changes. */
function sideSteps(s: Sim): { kind: string; after: number; build: (at: number) => Command | null }[] {
  const ctx = ctxOf(s);
  const phase = phaseOf(s);
  const oversight = s.f.snap.value.oversight;
  const vt = actorOf(s.plan.vt);
  const out: { kind: string; after: number; build: (at: number) => Command | null }[] = [];
  if (phase === 'closed') return out;
  const followUp = phase.startsWith('directSafety') || phase === 'stableSafety';
  if (followUp && oversight !== 'ended' && ctx.conditions.some((c) => c.status !== 'withdrawn')) {
    out.push({
      kind: 'check',
      after: s.rng.between(6, 30) * DAY,
      build: () => {
        const c = ctxOf(s).conditions;
        const open = c.filter((x) => x.status === 'open');
        const checked = open.length > 0 ? open : c.filter((x) => x.status !== 'withdrawn');
        if (checked.length === 0) return null;
        const met = s.rng.chance(0.88);
        return {
          type: 'monitoring.checkRecorded',
          payload: {
            results: checked.map((x, i) => ({ conditionId: x.id, met: met || i > 0 })),
            notes: met ? 'Voorwaarden nageleefd volgens gezin, school en lokaal team.' : 'Niet alle voorwaarden worden nageleefd.',
          },
          actor: vt,
        };
      },
    });
  }
  if (phase !== 'reported' || ctx.cycle > 0) {
    out.push({
      kind: 'incident',
      after: s.rng.exp(150) * DAY,
      build: (at) => {
        const severity = s.rng.chance(0.22) ? 'serious' : 'minor';
        return {
          type: 'incident.reported',
          payload: {
            occurredAt: new Date(at - s.rng.between(0, 2) * DAY).toISOString(),
            severity,
            description: severity === 'serious' ? 'Nieuw fysiek geweld gemeld door de politie.' : 'Verbale ruzie, geen fysiek geweld; afspraken besproken.',
          },
          actor: vt,
        };
      },
    });
  }
  if (phase !== 'reported') {
    // Radar function: another report about a family already known is combined with its case.
    out.push({
      kind: 'combined',
      after: s.rng.exp(200) * DAY,
      build: (at) => ({
        type: 'report.received',
        payload: { source: s.rng.pick(['police', 'professional', 'citizen'] as const), acute: false, summary: s.rng.pick(summaries), receivedAt: new Date(at).toISOString(), violenceForms: [s.rng.pick(violenceForms)] },
        actor: vt,
      }),
    });
  }
  const active = ctx.measures.filter((m) => m.status === 'active').at(-1);
  if (s.plan.measure && ctx.measures.length === 0 && phase.startsWith('directSafety')) {
    const kind = s.plan.measure;
    out.push({
      kind: 'impose',
      after: s.rng.between(0, 3) * DAY,
      build: (at) => ({
        type: 'measure.imposed',
        payload: {
          kind,
          startsAt: new Date(at).toISOString(),
          endsAt: kind === 'huisverbod' ? addDays(new Date(at).toISOString(), 10) : addMonths(new Date(at).toISOString(), 3),
        },
        actor: vt,
      }),
    });
  }
  if (active && active.kind === 'huisverbod' && active.extensions.length === 0 && Date.parse(active.endsAt) > s.t) {
    out.push({
      kind: 'extend',
      after: s.rng.chance(0.5) ? Math.max(0, Date.parse(active.endsAt) - s.t - s.rng.between(1, 3) * DAY) : 400 * DAY,
      build: () => ({ type: 'measure.extended', payload: { measureId: active.id, endsAt: addDays(active.startsAt, 28) }, actor: vt }),
    });
  }
  if (s.plan.escalate && ctx.escalations.length === 0 && phase !== 'reported' && ctx.caseDirectorId) {
    out.push({
      kind: 'escalate',
      after: s.rng.between(20, 200) * DAY,
      build: () => directorCmd(s, 'escalation.raised', { to: s.rng.pick(['MDA++', 'ZVH', 'RvdK'] as const) }, 'De hulp stagneert; opschalen is nodig.'),
    });
  }
  if (s.f.snap.value.escalation === 'escalated') {
    out.push({
      kind: 'resolve',
      after: s.rng.between(20, 90) * DAY,
      build: () => directorCmd(s, 'escalation.resolved', {}, 'Afspraken gemaakt in het overleg; hulp loopt weer.'),
    });
  }
  const director = ctx.caseDirectorId;
  if (s.plan.directorChange && director && !director.startsWith('vt-') && ctx.handovers.length === 1 && phase === 'stableSafety') {
    const other = s.rng.pick(s.plan.region.directors.filter((d) => d !== director));
    if (other) {
      out.push({
        kind: 'offer',
        after: s.rng.between(10, 120) * DAY,
        build: () => {
          const cmd = directorCmd(s, 'handover.offered', { directorId: other }, 'Regie wordt overgedragen aan een collega; warme overdracht afgesproken.');
          return cmd ? { ...cmd, named: named(other) } : null;
        },
      });
    }
  }
  if (s.plan.closedEarly && director && (phase === 'stableSafety' || phase === 'directSafety.planAgreed')) {
    out.push({
      kind: 'closeEarly',
      after: s.rng.between(30, 300) * DAY,
      build: () => directorCmd(s, 'case.closed', { reasonCode: 'movedAway' }, 'Gezin is verhuisd buiten de regio; overgedragen aan de nieuwe gemeente.'),
    });
  }
  return out;
}

function drawPlan(rng: Rng, region: Region): Plan {
  const x = rng.next();
  const route: Route = x < 0.28 ? 'close' : x < 0.38 ? 'investigate' : x < 0.83 ? 'handover' : 'conditionsAndFollowUp';
  const y = rng.next();
  return {
    route,
    afterInvestigation: y < 0.4 ? 'close' : y < 0.85 ? 'handover' : 'conditionsAndFollowUp',
    region,
    vt: rng.pick(region.vt),
    measure: rng.chance(0.18) ? 'huisverbod' : rng.chance(0.05) ? 'voorlopigeOts' : null,
    escalate: rng.chance(0.1),
    declineFirst: rng.chance(0.08),
    directorChange: rng.chance(0.1),
    repeatReport: rng.chance(0.1),
    closedEarly: rng.chance(0.06),
  };
}

export type SimStats = { refusals: number; reasons?: Map<string, number> };

/** Simulates family `index` of the world from its first report up to `now`. Deterministic per (seed, index). */
export function simulateFamily(w: World, index: number, stats?: SimStats): SimFamily {
  const rng = prng((w.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const region = w.regions[weighted(w.regionCumulative, rng)]!;
  const cum: number[] = [];
  region.weights.reduce((a, b, i) => ((cum[i] = a + b), a + b), 0);
  const municipality = region.municipalities[weighted(cum, rng)]!;
  const plan = drawPlan(rng, region);
  const start = w.now - rng.between(0, HISTORY_DAYS) * DAY;
  const created = officeTime(start, rng, start - DAY);
  const at = new Date(Math.min(created, w.now - 60_000));
  const year = at.getUTCFullYear();
  const adults = rng.chance(0.75) ? 2 : 1;
  const children = rng.int(adults === 1 ? 1 : 0, 3);
  const acute = rng.chance(0.1);
  const f = startFamily(
    {
      id: `fam-${String(index).padStart(7, '0')}-${(rng.next() * 0xffffffff >>> 0).toString(16)}`,
      reference: `VT-${year}-${String(index).padStart(6, '0')}`,
      municipality,
      region: region.code,
      source: acute ? 'police' : rng.pick(['police', 'professional', 'professional', 'citizen', 'anonymous'] as const),
      acute,
      violenceForms: [rng.pick(violenceForms)],
      summary: rng.pick(summaries),
      receivedAt: new Date(at.getTime() - rng.int(0, 3) * 3_600_000).toISOString(),
      members: [
        ...Array.from({ length: adults }, (_, i) => ({ alias: `Ouder ${'AB'[i]}`, kind: 'adult' as const, birthYear: year - rng.int(24, 52) })),
        ...Array.from({ length: children }, (_, i) => ({ alias: `Kind ${i + 1}`, kind: 'child' as const, birthYear: year - rng.int(0, 16) })),
      ],
    },
    actorOf(plan.vt),
    at,
    defaultNorms,
    // The national world tells familyCase@1's stories (its steps are v1's events and payloads).
    1,
  );
  const s: Sim = { f, rng, plan, now: w.now, t: at.getTime(), refusals: 0, agenda: new Map() };
  const lag = () => rng.between(0, 30_000);
  const due = new Map<string, { at: number; build: (at: number) => Command | null; phase: string }>();

  for (let guard = 0; guard < 2_000; guard++) {
    const c = ctxOf(s);
    const phase = [phaseOf(s), s.f.snap.value.oversight, s.f.snap.value.escalation, c.handovers.length, c.incidents.length, c.reports.length].join('/');
    // Keep a scheduled step only while the family is where it was when the step was planned.
    const steps = [mainStep(s), ...sideSteps(s)].filter((x): x is NonNullable<typeof x> => x !== null);
    const wanted = new Set(steps.map((x) => x.kind));
    for (const k of [...due.keys()]) if (!wanted.has(k) || (due.get(k)!.phase !== phase && k !== 'check' && k !== 'incident' && k !== 'combined')) due.delete(k);
    for (const step of steps) {
      if (!due.has(step.kind)) due.set(step.kind, { at: s.t + step.after, build: step.build, phase });
    }
    let nextKind: string | null = null;
    for (const [k, v] of due) if (nextKind === null || v.at < due.get(nextKind)!.at) nextKind = k;
    if (nextKind === null) break;
    const step = due.get(nextKind)!;
    const when = officeTime(step.at, rng, s.t);
    if (when >= w.now) break;
    fireDue(s.f, new Date(when), defaultNorms, lag);
    const atNow = Math.max(when, s.f.row.updatedAt.getTime() + 1000);
    if (atNow >= w.now) break;
    s.t = atNow;
    due.delete(nextKind);
    const cmd = step.build(atNow);
    if (!cmd) continue;
    const r = append(s.f, cmd, new Date(atNow), defaultNorms);
    if (!r.ok) {
      s.refusals++;
      if (stats) {
        stats.refusals++;
        const key = `${cmd.type}:${'guard' in r.refusal ? (r.refusal.guard ?? r.refusal.kind) : r.refusal.kind}:${phaseOf(s)}`;
        stats.reasons?.set(key, (stats.reasons.get(key) ?? 0) + 1);
      }
    }
  }
  fireDue(s.f, new Date(w.now), defaultNorms, lag);
  return s.f;
}
