/**
 * Demo data: five accounts (password `demo`) and about sixty families across the sixteen South
 * Limburg municipalities, covering every state of every region of the statechart.
 *
 * Every family is produced the way production data is: createFamily and dispatch through the
 * machine, at simulated times on a manual clock that moves from about two years ago to now, with
 * the scheduler firing due timers in between (so missed deadlines, stagnation signals and expired
 * measures appear where the story lets them lapse). Nothing writes state directly, so every seeded
 * history verifies and replays. Aliases only; the pseudo-random choices are seeded, so two runs
 * tell the same stories.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_MEMBER_CODE, DEMO_PASSWORD } from '../auth/demoPasswords.ts';
import { memberAccessCodeHash } from '../auth/tokens.ts';
import { insertMemberAccessCode } from '../db/memberAccessCodes.ts';
import { addDays, addMonths, type Actor, type FamilyContextV2 } from '../../machines/index.ts';
import { conditionTexts, planPayload, summaries, violenceForms } from './texts.ts';
import { allMunicipalities } from '../../machines/schemas/regions.ts';
import { ManualClock, type Clock } from '../clock.ts';
import type { Db } from '../db/index.ts';
import { createUser } from '../cases/createUser.ts';
import { countUsers } from '../db/users.ts';
import { productionEnv } from '../config.ts';
import { createFamily, dispatch, loadFamily } from '../engine/store.ts';
import { isAppError } from '../errors.ts';
import type { FamilyRecord } from '../engine/records.ts';
import { Scheduler } from '../engine/scheduler.ts';
import { prng } from '../../simulation/rng.ts';

export type SeedOptions = {
  /** The demo ends at this clock's now (the real now, or a manual clock's start). */
  clock: Clock;
  /** Refuse outright; defaults to NODE_ENV=production, a second guard behind the config's. */
  production?: boolean;
  /** PRNG seed: the same seed tells the same stories. */
  seed?: number;
  /** Progress messages (no personal data: the demo has none anyway). */
  log?: (message: string) => void;
};

export type SeedResult = { seeded: boolean; reason?: string; users: number; families: number; events: number };

const DAY = 86_400_000;
const HISTORY_DAYS = 720;

type UserKey = 'vt' | 'dir' | 'dir2';
type Users = Record<UserKey, Actor>;

export const demoAccounts = [
  { key: 'vt', username: 'vt', displayName: 'Veilig Thuis medewerker', roles: ['vt'], region: 'zuid-limburg' },
  { key: 'dir', username: 'regisseur', displayName: 'Casusregisseur lokaal team', roles: ['director'], region: null },
  { key: 'dir2', username: 'regisseur2', displayName: 'Casusregisseur lokaal team 2', roles: ['director'], region: null },
  { key: 'auditor', username: 'auditor', displayName: 'Auditor kwaliteit', roles: ['auditor'], region: null },
  { key: 'admin', username: 'beheerder', displayName: 'Functioneel beheerder', roles: ['admin'], region: null },
] as const;

type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------------
// The vocabulary of a story: one step = one event, built against the family as it is by then.

type Who = UserKey | 'director';
/** `actor`: who sends it when that is not the step's `by` (a household member answering the plan). */
type Built = { type: string; payload: unknown; reason?: string; actor?: Actor };
type Step = { day: number; by: Who; build: (f: FamilyRecord, users: Users, at: string, rng: Rng) => Built };

const reasons = {
  handover: 'Structurele onveiligheid; het lokale team neemt de regie over en Veilig Thuis monitort.',
  followUp: 'Veilig Thuis houdt de regie met voorwaarden en vervolg; gezin werkt mee.',
  investigate: 'Onvoldoende zicht op veiligheid; nader onderzoek nodig.',
  close: 'Geen aanwijzingen voor onveiligheid na gesprekken met gezin en school.',
};

const pickConditions = (rng: Rng, at: string, n: number) =>
  [...conditionTexts]
    .sort(() => rng.next() - 0.5)
    .slice(0, n)
    .map((description) => (rng.chance(0.8) ? { description, dueAt: addDays(at, rng.int(21, 60)) } : { description }));


const step = (day: number, by: Who, build: Step['build']): Step => ({ day, by, build });

const S = {
  started: (day: number) => step(day, 'vt', () => ({ type: 'assessment.started', payload: {} })),
  decided: (
    day: number,
    decision: 'close' | 'investigate' | 'conditionsAndFollowUp' | 'handover',
    opts: { kind?: 'assessment' | 'investigation'; to?: UserKey; conditions?: number } = {},
  ) =>
    step(day, 'vt', (f, users, at, rng) => ({
      type: opts.kind === 'investigation' ? 'investigation.completed' : 'assessment.completed',
      payload: {
        decision,
        acute: f.acute,
        structural: decision !== 'close',
        ...(decision === 'handover' ? { directorId: users[opts.to ?? 'dir'].id } : {}),
        conditions:
          decision === 'handover' || decision === 'conditionsAndFollowUp' ? pickConditions(rng, at, opts.conditions ?? rng.int(1, 3)) : [],
      },
      reason: decision === 'conditionsAndFollowUp' ? reasons.followUp : reasons[decision],
    })),
  offered: (day: number, by: Who, to: UserKey) =>
    step(day, by, (_f, users) => ({
      type: 'handover.offered',
      payload: { directorId: users[to].id },
      reason: 'Regie wordt overgedragen; warme overdracht afgesproken.',
    })),
  accepted: (day: number, by: UserKey) =>
    step(day, by, () => ({ type: 'handover.accepted', payload: {}, reason: 'Overdracht besproken; ik neem de regie over.' })),
  declined: (day: number, by: UserKey) =>
    step(day, by, () => ({ type: 'handover.declined', payload: {}, reason: 'Geen capaciteit in het team; graag aan een collega aanbieden.' })),
  plan: (day: number, revision = false) =>
    step(day, 'director', (f) => ({ type: revision ? 'plan.revised' : 'plan.agreed', payload: planPayload(f.snapshot.context, revision) })),
  achieved: (day: number) =>
    step(day, 'director', () => ({
      type: 'directSafety.achieved',
      payload: {},
      reason: 'Het geweld is gestopt en het veiligheidsplan wordt nageleefd.',
    })),
  incident: (day: number, severity: 'minor' | 'serious', by: Who = 'vt') =>
    step(day, by, (_f, _u, at, rng) => ({
      type: 'incident.reported',
      payload: {
        occurredAt: addDays(at, -rng.int(0, 2)),
        severity,
        description: severity === 'serious' ? 'Nieuw fysiek geweld gemeld door de politie.' : 'Verbale ruzie, geen fysiek geweld; afspraken besproken.',
      },
    })),
  /** v1 confirms that the risk factors are resolved; v2 asks every recorded factor reduced or resolved instead. */
  stability: (day: number, version: 1 | 2 = 1) =>
    step(day, 'director', (f) => ({
      type: 'stability.confirmed',
      payload: {
        ...(version === 1 ? { riskFactorsResolved: true } : {}),
        participants: f.snapshot.context.members.map((m, i) =>
          i === f.snapshot.context.members.length - 1 && m.kind === 'child' && m.birthYear > 2019
            ? { memberId: m.id, absentReason: 'Te jong om deel te nemen; perspectief via ouders en opvang' }
            : { memberId: m.id },
        ),
        professionals: ['Lokaal team', 'Veilig Thuis'],
      },
      reason:
        version === 1
          ? 'Ruim zes maanden zonder incidenten; samen met het gezin vastgesteld dat de risicofactoren geen negatief effect meer hebben.'
          : 'Ruim zes maanden zonder incidenten; de risicofactoren zijn samen met het gezin verminderd of opgelost.',
    })),
  recoveryDone: (day: number) =>
    step(day, 'director', () => ({ type: 'recovery.completed', payload: {}, reason: 'Traumabehandeling afgerond; gezin heeft geen hulp meer nodig.' })),
  closed: (day: number, reasonCode: 'movedAway' | 'transferred' | 'noGrounds' | 'other', by: Who = 'director') =>
    step(day, by, () => ({
      type: 'case.closed',
      payload: { reasonCode },
      reason: reasonCode === 'movedAway' ? 'Gezin is verhuisd buiten de regio; overgedragen aan de nieuwe gemeente.' : 'Zaak afgesloten.',
    })),
  check: (day: number, met: boolean) =>
    step(day, 'vt', (f) => {
      const conditions = f.snapshot.context.conditions;
      const open = conditions.filter((c) => c.status === 'open');
      // Once every condition was met, a check looks at all of them again.
      const checked = open.length > 0 ? open : conditions.filter((c) => c.status !== 'withdrawn');
      return {
        type: 'monitoring.checkRecorded',
        payload: {
          results: checked.map((c, i) => ({ conditionId: c.id, met: met || i > 0 })),
          notes: met ? 'Voorwaarden nageleefd volgens gezin, school en lokaal team.' : 'Niet alle voorwaarden worden nageleefd.',
        },
      };
    }),
  takenBack: (day: number) =>
    step(day, 'vt', () => ({
      type: 'monitoring.takenBack',
      payload: {},
      reason: 'Voorwaarden worden niet nageleefd; Veilig Thuis neemt de regie terug.',
    })),
  monitoringEnded: (day: number) => step(day, 'vt', () => ({ type: 'monitoring.ended', payload: {} })),
  escalate: (day: number, to: 'MDA++' | 'ZVH' | 'RvdK', by: Who = 'vt') =>
    step(day, by, () => ({ type: 'escalation.raised', payload: { to }, reason: 'De hulp stagneert; opschalen is nodig.' })),
  resolve: (day: number, by: Who = 'vt') =>
    step(day, by, () => ({ type: 'escalation.resolved', payload: {}, reason: 'Afspraken gemaakt in het overleg; hulp loopt weer.' })),
  impose: (day: number, kind: 'huisverbod' | 'voorlopigeOts' | 'ots', by: Who = 'vt') =>
    step(day, by, (_f, _u, at) => ({
      type: 'measure.imposed',
      payload: {
        kind,
        startsAt: at,
        endsAt: kind === 'huisverbod' ? addDays(at, 10) : kind === 'voorlopigeOts' ? addMonths(at, 3) : addMonths(at, 12),
      },
    })),
  extendLast: (day: number, by: Who = 'vt') =>
    step(day, by, (f) => {
      const m = f.snapshot.context.measures.filter((x) => x.status === 'active').at(-1)!;
      return { type: 'measure.extended', payload: { measureId: m.id, endsAt: addDays(m.startsAt, 28) } };
    }),
  endLast: (day: number, by: Who = 'vt') =>
    step(day, by, (f) => {
      const m = f.snapshot.context.measures.filter((x) => x.status === 'active').at(-1)!;
      return { type: 'measure.ended', payload: { measureId: m.id } };
    }),
  report: (day: number, acute = false) =>
    step(day, 'vt', (_f, _u, at, rng) => ({
      type: 'report.received',
      payload: { source: rng.pick(['police', 'professional', 'citizen'] as const), acute, summary: rng.pick(summaries), receivedAt: at, violenceForms: [rng.pick(violenceForms)] },
    })),
};

const v2Context = (f: FamilyRecord) => f.snapshot.context as FamilyContextV2;

/** The steps of familyCase@2 (DOMAIN.md "familyCase version 2"); a v1 family knows them only after `upgraded`. */
const S2 = {
  triage: (day: number, urgency: 'acute' | 'high' | 'regular') =>
    step(day, 'vt', (_f, _u, _at, rng) => ({
      type: 'triage.recorded',
      payload: { urgency, instrument: 'triage-instrument-vt', score: rng.int(4, 30) },
    })),
  interim: (day: number) =>
    step(day, 'vt', () => ({ type: 'contact.interim', payload: { with: 'household', notes: 'Gezin gebeld; stand van zaken en wachttijd besproken.' } })),
  investigationStarted: (day: number) => step(day, 'vt', () => ({ type: 'investigation.started', payload: {} })),
  informed: (day: number) => [
    step(day, 'vt', () => ({ type: 'reporter.informed', payload: { channel: 'phone' } })),
    step(day, 'vt', () => ({ type: 'household.informed', payload: { channel: 'in-person' } })),
  ],
  /** Assessment completed with the risk factors found (v2 records them on the decision). */
  decided: (day: number, decision: 'investigate' | 'conditionsAndFollowUp' | 'handover', to: UserKey = 'dir') =>
    step(day, 'vt', (f, users, at, rng) => ({
      type: 'assessment.completed',
      payload: {
        decision,
        acute: f.acute,
        structural: true,
        ...(decision === 'handover' ? { directorId: users[to].id } : {}),
        conditions: decision === 'investigate' ? [] : pickConditions(rng, at, rng.int(1, 3)),
        riskFactors: [{ kind: 'debts' }, { kind: rng.pick(['addiction', 'housing', 'isolation'] as const) }],
      },
      reason: decision === 'conditionsAndFollowUp' ? reasons.followUp : reasons[decision],
    })),
  firstContact: (day: number) =>
    step(day, 'director', (f) => ({
      type: 'contact.first',
      payload: { with: f.snapshot.context.members.filter((m) => m.kind === 'adult').map((m) => m.id), warm: true },
    })),
  conference: (day: number, kind: 'actieOverleg' | 'mdaPlusPlus' | 'netwerkberaad', by: Who = 'director') =>
    step(day, by, (f, _u, at) => ({
      type: 'conference.held',
      payload: {
        kind,
        heldAt: at,
        participants: [
          ...f.snapshot.context.members.filter((m) => m.kind === 'adult').map((m) => ({ memberId: m.id })),
          { professional: 'Casusregisseur', organisation: 'Lokaal team', mandate: true },
          { professional: 'Gedragswetenschapper', organisation: 'Veilig Thuis', mandate: kind === 'mdaPlusPlus' },
        ],
        agreements: [
          { description: 'Schuldhulpverlening aanvragen', responsible: 'Lokaal team', dueAt: addDays(at, 21) },
          { description: 'Wekelijks contact met school over de kinderen', responsible: 'Casusregisseur' },
        ],
        nextAt: addDays(at, 42),
      },
    })),
  riskFactors: (day: number, status: 'present' | 'reduced' | 'resolved') =>
    step(day, 'director', (f) => ({
      type: 'riskFactors.updated',
      payload: {
        factors: v2Context(f).riskFactors.length > 0 ? v2Context(f).riskFactors.map((r) => ({ kind: r.kind, status })) : [{ kind: 'debts', status }],
      },
    })),
  /** A screening of every born member that has none yet. */
  screened: (day: number, index: number) =>
    step(day, 'director', (f) => {
      const born = f.snapshot.context.members.filter((m) => m.kind !== 'unborn');
      const m = born[index % born.length]!;
      return { type: 'trauma.screened', payload: { memberId: m.id, outcome: m.kind === 'child' ? 'referred' : 'noSigns', by: 'GGZ jeugd' } };
    }),
  /** Recovery completed; members the story did not screen are excused with a reason. */
  recoveryDone: (day: number) =>
    step(day, 'director', (f) => {
      const screened = new Set(v2Context(f).screenings.map((x) => x.memberId));
      const excused = f.snapshot.context.members
        .filter((m) => m.kind !== 'unborn' && !screened.has(m.id))
        .map((m) => ({ memberId: m.id, reason: 'Screening geweigerd; besproken met het gezin.' }));
      return {
        type: 'recovery.completed',
        payload: excused.length > 0 ? { excused } : {},
        reason: 'Herstel afgerond; traumascreening gedaan en hulp afgesloten.',
      };
    }),
  escalate: (day: number, to: 'ZVH' | 'RvdK') =>
    step(day, 'director', () => ({
      type: 'escalation.raised',
      payload: { to, obstacles: ['waitingList', 'noCapacity'] },
      reason: 'De specialistische hulp heeft een wachtlijst; het lokale team heeft geen capaciteit om te overbruggen.',
    })),
  upgraded: (day: number) =>
    step(day, 'director', () => ({
      type: 'case.upgraded',
      payload: { toVersion: 2 },
      reason: 'De regio werkt voortaan volgens versie 2; het gezin gaat daarin verder.',
    })),
};

const adults = (f: FamilyRecord) => f.snapshot.context.members.filter((m) => m.kind === 'adult');

/** The family's own view (issue 15): the director gives a parent access; a parent answers the plan. */
const S3 = {
  access: (day: number, parent: number) =>
    step(day, 'director', (f, _u, at) => ({
      type: 'member-access.granted',
      payload: { memberId: adults(f)[parent % adults(f).length]!.id, expiresAt: addDays(at, 14) },
    })),
  revoked: (day: number, parent: number) =>
    step(day, 'director', (f) => ({ type: 'member-access.revoked', payload: { memberId: adults(f)[parent % adults(f).length]!.id } })),
  disagrees: (day: number, parent: number) =>
    step(day, 'director', (f) => ({
      type: 'plan.responded',
      payload: {
        planVersion: f.snapshot.context.safetyPlan!.version,
        response: 'disagree',
        comment: 'Wij vinden één afspraak per week te weinig; we willen vaker met de hulpverlener praten.',
      },
      actor: { id: adults(f)[parent % adults(f).length]!.id, role: 'member' },
    })),
  /** The children's data is hidden from the second parent. */
  shielded: (day: number) =>
    step(day, 'director', (f) => {
      const children = f.snapshot.context.members.filter((m) => m.kind === 'child');
      const parent = adults(f).at(-1)!;
      return { type: 'member.shielded', payload: { memberId: children[0]?.id ?? adults(f)[0]!.id, from: [parent.id] } };
    }),
};

/** The family whose first parent has the demo's access code (DEMO_MEMBER_CODE, README). */
const DEMO_MEMBER_STORY = 'v2 plan agreed, conference';

// ---------------------------------------------------------------------------------------------
// The stories. `age` is how many days before now the first report came in; steps are days after it.

/** `version`: the machine version the family starts under (the stories below were written for v1). */
type Story = { name: string; age: number; acute?: boolean; version?: number; steps: Step[] };

/** Report → assessment → handover to `to`, accepted. */
const handedOver = (to: UserKey = 'dir'): Step[] => [S.started(1), S.decided(4, 'handover', { to }), S.accepted(6, to)];
const followUp = (): Step[] => [S.started(1), S.decided(4, 'conditionsAndFollowUp')];

function stories(rng: Rng): Story[] {
  const list: Story[] = [];
  const add = (name: string, ages: number[], steps: (i: number) => Step[], acute?: (i: number) => boolean) =>
    ages.forEach((age, i) => list.push({ name, age, steps: steps(i), ...(acute ? { acute: acute(i) } : {}) }));

  // Waiting list: fresh, due soon, overdue (missed deadline) and long stagnating reports.
  add('waiting', [0.2, 0.6, 1.5, 2.5, 4, 8, 13, 21], () => [], (i) => i % 3 === 0);
  add('waiting, combined report', [6], () => [S.report(2)]);
  add('assessment', [2, 4, 6, 9, 16], (i) => [S.started(i < 3 ? 1 : 3)], (i) => i === 0);
  add('investigation', [20, 45, 80, 95], (i) => [S.started(1), S.decided(3, 'investigate'), ...(i === 3 ? [S.escalate(60, 'RvdK')] : [])]);
  add('handover pending', [8, 12, 20], () => [S.started(1), S.decided(3, 'handover', { to: 'dir' })]);
  add('handover declined, offered again', [14], () => [
    S.started(1),
    S.decided(3, 'handover', { to: 'dir' }),
    S.declined(6, 'dir'),
    S.offered(8, 'vt', 'dir2'),
  ]);
  add('handover declined, VT continues', [25], () => [S.started(1), S.decided(3, 'handover', { to: 'dir2' }), S.declined(5, 'dir2')]);
  add('VT follow-up with restraining order', [16, 24, 35], (i) => [
    S.impose(0.1, 'huisverbod'),
    ...(i === 1 ? [S.extendLast(5)] : []),
    ...followUp(),
  ], () => true);
  add('plan agreed, monitoring', [40, 55, 75, 90, 110, 130], (i) => [
    ...handedOver(i % 2 === 0 ? 'dir' : 'dir2'),
    S.plan(12),
    S.check(30, true),
    ...(i >= 2 ? [S.check(60, i !== 3)] : []),
    ...(i === 1 ? [S.impose(20, 'voorlopigeOts', 'director')] : []),
    ...(i === 4 ? [S.escalate(70, 'MDA++', 'director')] : []),
    ...(i === 5 ? [S.escalate(50, 'ZVH', 'director'), S.resolve(80, 'director')] : []),
  ]);
  add('plan agreed, VT director', [50, 70], () => [...followUp(), S.plan(10), S.check(35, true)]);
  add('taken back by VT', [85], () => [...handedOver('dir'), S.plan(12), S.check(40, false), S.takenBack(45)]);
  add('stable safety, monitoring', [150, 175, 200, 220, 240], (i) => [
    ...handedOver(i % 2 === 0 ? 'dir' : 'dir2'),
    S.plan(12),
    S.check(30, true),
    S.achieved(45),
    S.check(80, true),
    ...(i % 2 === 1 ? [S.incident(100, 'minor')] : []),
    ...(i === 2 ? [S.escalate(120, 'ZVH', 'director')] : []),
    ...(i === 4 ? [S.impose(60, 'ots', 'director')] : []),
  ]);
  add('stable safety, VT director', [160], () => [...followUp(), S.plan(10), S.achieved(40)]);
  add('serious incident, plan revision', [190, 230], (i) => [
    ...handedOver('dir'),
    S.plan(12),
    S.achieved(40),
    S.incident(110, 'serious', 'director'),
    S.impose(111, 'huisverbod', 'vt'),
    ...(i === 1 ? [S.plan(125, true), S.escalate(130, 'MDA++', 'director')] : []),
  ]);
  add('director change', [120, 140], (i) => [
    ...handedOver('dir'),
    S.plan(12),
    S.offered(60, 'dir', 'dir2'),
    ...(i === 1 ? [S.accepted(63, 'dir2'), S.check(90, true)] : []),
  ]);
  add('recovery, still monitored', [260, 300, 330], (i) => [
    ...handedOver(i === 1 ? 'dir2' : 'dir'),
    S.plan(12),
    S.achieved(40),
    S.check(90, true),
    S.stability(200),
    ...(i === 2 ? [S.escalate(240, 'MDA++', 'director')] : []),
  ]);
  add('recovery, monitoring ended', [280, 360, 420], () => [
    ...handedOver('dir'),
    S.plan(12),
    S.achieved(40),
    S.check(100, true),
    S.stability(195),
    S.monitoringEnded(200),
  ]);
  add('recovery after incident in recovery', [470], () => [
    ...handedOver('dir'),
    S.plan(12),
    S.achieved(40),
    S.stability(200),
    S.incident(260, 'minor', 'director'),
    S.stability(450),
  ]);
  add('recovery, VT director', [300], () => [...followUp(), S.plan(10), S.achieved(40), S.stability(210)]);
  add('closed at assessment', [10, 30, 60], () => [S.started(1), S.decided(3, 'close')]);
  add('closed after investigation', [120], () => [S.started(1), S.decided(3, 'investigate'), S.decided(60, 'close', { kind: 'investigation' })]);
  add('investigation, then handover', [150], () => [
    S.started(1),
    S.decided(3, 'investigate'),
    S.decided(70, 'handover', { kind: 'investigation', to: 'dir2' }),
    S.accepted(74, 'dir2'),
    S.plan(85),
  ]);
  add('closed, moved away', [90], () => [...handedOver('dir'), S.plan(12), S.closed(50, 'movedAway')]);
  add('closed after recovery', [560, 640, 700], (i) => [
    ...handedOver(i === 1 ? 'dir2' : 'dir'),
    S.plan(12),
    S.achieved(40),
    S.check(90, true),
    S.stability(200),
    S.monitoringEnded(205),
    S.recoveryDone(420 + i * 30),
  ]);
  add('repeat report after closure', [330, 400], (i) => [
    S.started(1),
    S.decided(3, 'close'),
    S.report(300, i === 1),
    ...(i === 1 ? [S.started(301)] : []),
  ]);
  add('closed by VT director', [260], () => [...followUp(), S.plan(10), S.achieved(40), S.closed(150, 'other')]);
  add('escalated on the waiting list', [5], () => [S.escalate(2, 'MDA++')], () => true);

  // familyCase@2: new families since the switch, in every phase; and v1 families moved by their director.
  const v2 = (name: string, ages: number[], steps: (i: number) => Step[], acute?: (i: number) => boolean) =>
    ages.forEach((age, i) => list.push({ name, age, version: 2, steps: steps(i), ...(acute ? { acute: acute(i) } : {}) }));
  const v2HandedOver = (): Step[] => [S.started(1), S2.decided(4, 'handover'), ...S2.informed(5), S.accepted(6, 'dir'), S2.firstContact(8)];
  v2('v2 waiting, triaged', [0.5, 3, 9], (i) => [S2.triage(0.2, i === 0 ? 'acute' : i === 1 ? 'high' : 'regular'), ...(i === 2 ? [S2.interim(6)] : [])], (i) => i === 0);
  v2('v2 waiting, not triaged', [2], () => []);
  v2('v2 assessment', [5], () => [S2.triage(0.3, 'high'), S.started(2)]);
  v2('v2 investigation, waiting to start', [15], () => [S2.triage(0.3, 'regular'), S.started(1), S2.decided(4, 'investigate'), ...S2.informed(6)]);
  v2('v2 investigation, started', [40], () => [S.started(1), S2.decided(4, 'investigate'), ...S2.informed(6), S2.investigationStarted(12)]);
  v2('v2 handover accepted, no first contact yet', [9], () => [S.started(1), S2.decided(4, 'handover'), ...S2.informed(5), S.accepted(6, 'dir')]);
  v2(DEMO_MEMBER_STORY, [60, 80], (i) => [
    ...v2HandedOver(),
    S.plan(12),
    S2.conference(20, 'actieOverleg'),
    S.check(30, true),
    ...(i === 1 ? [S2.riskFactors(50, 'reduced'), S2.escalate(55, 'ZVH'), S3.access(60, 0), S3.shielded(61), S3.revoked(75, 0)] : []),
    // The family's own view: a parent disagrees with the plan (a signal on the director's list); the
    // other has the demo code (inserted after the stories, below).
    ...(i === 0 ? [S3.access(59.3, 1), S3.disagrees(59.5, 1), S3.access(59.7, 0)] : []),
  ]);
  v2('v2 MDA++ escalation resolved by its conference', [70], () => [
    ...v2HandedOver(),
    S.plan(12),
    S.escalate(30, 'MDA++', 'director'),
    S2.conference(40, 'mdaPlusPlus', 'vt'),
  ]);
  v2('v2 stable safety', [200], () => [...v2HandedOver(), S.plan(12), S.check(30, true), S2.riskFactors(35, 'reduced'), S.achieved(45)]);
  /** Handed over, plan, direct safety, risk factors resolved, stable safety confirmed: into recovery. */
  const v2IntoRecovery = (): Step[] => [
    ...v2HandedOver(),
    S.plan(12),
    S.achieved(40),
    S.check(90, true),
    S2.riskFactors(150, 'resolved'),
    S.stability(200, 2),
  ];
  v2('v2 recovery', [300], () => [...v2IntoRecovery(), S2.screened(220, 0)]);
  v2('v2 closed after recovery', [520], () => [
    ...v2IntoRecovery(),
    S.monitoringEnded(205),
    S2.screened(230, 0),
    S2.screened(240, 1),
    S2.recoveryDone(420),
  ]);
  // Upgraded: written under v1, moved by the director, continued under v2.
  add('upgraded, plan agreed, conference', [150], () => [...handedOver('dir'), S.plan(12), S.check(30, true), S2.upgraded(100), S2.conference(110, 'netwerkberaad')]);
  add('upgraded in stable safety', [260], () => [
    ...handedOver('dir2'),
    S.plan(12),
    S.achieved(40),
    S.check(90, true),
    S2.upgraded(150),
    S2.riskFactors(160, 'reduced'),
  ]);
  add('upgraded in recovery, then closed', [600], () => [
    ...handedOver('dir'),
    S.plan(12),
    S.achieved(40),
    S.check(90, true),
    S.stability(200),
    S.monitoringEnded(205),
    S2.upgraded(300),
    S2.screened(320, 0),
    S2.recoveryDone(400),
  ]);

  // Small variations per run of the same seed: a family's steps keep their order and stay in the past.
  for (const s of list) s.age = Math.max(s.age, (s.steps.at(-1)?.day ?? 0) + 0.1) + rng.next() * 0.5;
  return list;
}

// ---------------------------------------------------------------------------------------------

function membersOf(rng: Rng, at: Date) {
  const year = at.getUTCFullYear();
  const adults = rng.chance(0.75) ? 2 : 1;
  const children = rng.int(adults === 1 ? 1 : 0, 3);
  return [
    ...Array.from({ length: adults }, (_, i) => ({ alias: `Ouder ${'AB'[i]}`, kind: 'adult' as const, birthYear: year - rng.int(24, 52) })),
    ...Array.from({ length: children }, (_, i) => ({ alias: `Kind ${i + 1}`, kind: 'child' as const, birthYear: year - rng.int(0, 16) })),
  ];
}

/** Office hours in Amsterdam (UTC+1/+2): 07:30–15:30 UTC, moved off weekends for planned work. */
function workingTime(t: number, rng: Rng, planned: boolean): number {
  const d = new Date(t);
  d.setUTCHours(7 + rng.int(0, 7), rng.int(0, 59), 0, 0);
  if (planned) {
    const wd = d.getUTCDay();
    if (wd === 6) d.setTime(d.getTime() + 2 * DAY);
    if (wd === 0) d.setTime(d.getTime() + DAY);
  }
  return d.getTime();
}

export async function seedDemo(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const production = opts.production ?? productionEnv();
  if (production) return { seeded: false, reason: 'production', users: 0, families: 0, events: 0 };
  if ((await countUsers(db)) > 0) return { seeded: false, reason: 'not empty', users: 0, families: 0, events: 0 };
  const log = opts.log ?? (() => {});
  const rng = prng(opts.seed ?? 20240601);
  const end = opts.clock.now().getTime();

  const created = new Map<string, Actor>();
  for (const a of demoAccounts) {
    const user = await createUser(db, {
      username: a.username,
      password: DEMO_PASSWORD,
      roles: [...a.roles],
      displayName: a.displayName,
      region: a.region,
    });
    created.set(a.key, { id: user.id, role: a.roles[0] });
  }
  const users: Users = { vt: created.get('vt')!, dir: created.get('dir')!, dir2: created.get('dir2')! };

  // Lay every story on one timeline; the clock visits each step and each due timer in order.
  type Planned = { at: number; order: number; story: number; step: Step | null };
  const list = stories(rng);
  const municipalities = [...allMunicipalities].sort(() => rng.next() - 0.5);
  const plan: Planned[] = [];
  list.forEach((story, i) => {
    const startDay = end - Math.min(story.age, HISTORY_DAYS) * DAY;
    // Recent reports keep their exact age so that "fresh" means fresh; older ones move to office hours.
    const reportAt = story.age < 1 ? startDay : Math.min(workingTime(startDay, rng, false), end - DAY / 4);
    plan.push({ at: reportAt, order: 0, story: i, step: null });
    story.steps.forEach((s, j) => {
      const raw = reportAt + s.day * DAY;
      const at = s.day < 1 ? raw : workingTime(raw, rng, true);
      plan.push({ at: Math.max(reportAt + (j + 1) * 60_000, Math.min(at, end - (story.steps.length - j) * 60_000)), order: j + 1, story: i, step: s });
    });
  });
  // Steps of one family stay in their own order even when office-hour rounding moved them.
  const lastAt = new Map<number, number>();
  plan.sort((a, b) => a.story - b.story || a.order - b.order);
  for (const p of plan) {
    const prev = lastAt.get(p.story);
    if (prev !== undefined && p.at <= prev) p.at = prev + 60_000;
    lastAt.set(p.story, p.at);
  }
  plan.sort((a, b) => a.at - b.at || a.story - b.story || a.order - b.order);

  const clock = new ManualClock(new Date(plan[0]!.at));
  const scheduler = new Scheduler(db, clock, { id: 'demo-seed' });
  const familyOf = new Map<number, FamilyRecord>();
  let events = 0;

  const advanceTo = async (t: number) => {
    events += await scheduler.advanceTo(clock, new Date(t));
  };

  // Each step draws from its own stream, so a retried step builds the same event.
  const stepRng = (p: Planned) => prng((opts.seed ?? 20240601) ^ (p.story * 7919 + p.order * 104729));

  let seq = 0;
  for (const p of plan) {
    await advanceTo(p.at);
    const story = list[p.story]!;
    if (!p.step) {
      seq++;
      const at = clock.now();
      const f = await createFamily(
        db,
        {
          reference: `VT-${at.getUTCFullYear()}-${String(1000 + seq).padStart(5, '0')}`,
          municipality: municipalities[p.story % municipalities.length]!,
          // The v2 stories inform the reporter, which an anonymous report does not allow.
          source: story.acute
            ? 'police'
            : rng.pick(['police', 'professional', 'professional', 'citizen', story.version === 2 ? 'citizen' : 'anonymous'] as const),
          acute: story.acute ?? false,
          violenceForms: [rng.pick(violenceForms), ...(rng.chance(0.3) ? [rng.pick(violenceForms)] : [])].filter(
            (v, i, all) => all.indexOf(v) === i,
          ),
          summary: rng.pick(summaries),
          receivedAt: new Date(at.getTime() - rng.int(0, 3) * 3_600_000).toISOString(),
          members: membersOf(rng, at),
        },
        { actor: users.vt, clock, machineVersion: story.version ?? 1 },
      );
      familyOf.set(p.story, f);
      events++;
      continue;
    }
    // The family as the seed last wrote it; reloaded only when a timer fired on it in between.
    let current = familyOf.get(p.story)!;
    let built: Built | undefined;
    for (let attempt = 0; ; attempt++) {
      built = p.step.build(current, users, clock.now().toISOString(), stepRng(p));
      const actor = built.actor ?? (p.step.by === 'director' ? directorActor(current, users) : users[p.step.by]);
      try {
        current = await dispatch(
          db,
          {
            familyId: current.id,
            type: built.type,
            payload: built.payload,
            expectedVersion: current.version,
            actor,
            ...(built.reason ? { reason: built.reason } : {}),
          },
          { clock },
        );
        break;
      } catch (e) {
        if (attempt === 0 && isAppError(e) && e.code === 'conflict') {
          current = (await loadFamily(db, current.id))!;
          continue;
        }
        throw new Error(`demo story "${story.name}" step ${p.order} (${built.type}) was refused: ${(e as Error).message}`, { cause: e });
      }
    }
    familyOf.set(p.story, current);
    events++;
  }
  await advanceTo(end);
  await demoMemberCode(db, familyOf.get(list.findIndex((st) => st.name === DEMO_MEMBER_STORY)));
  log(`demo data: ${demoAccounts.length} accounts, ${list.length} families, ${events} events`);
  return { seeded: true, users: demoAccounts.length, families: list.length, events };
}

/** The code of the demo family's first parent, as POST /families/{id}/member-access would have stored it. */
async function demoMemberCode(db: Db, family: FamilyRecord | undefined): Promise<void> {
  const latest = family && (await loadFamily(db, family.id));
  const parent = latest && adults(latest)[0];
  const access = parent && (latest.snapshot.context as FamilyContextV2).familyView?.access.find((a) => a.memberId === parent.id);
  if (!latest || !parent || !access) throw new Error('the demo family has no parent with access');
  await insertMemberAccessCode(db.direct, {
    id: randomUUID(),
    familyId: latest.id,
    memberId: parent.id,
    codeHash: memberAccessCodeHash(DEMO_MEMBER_CODE),
    createdAt: new Date(access.grantedAt),
    expiresAt: new Date(access.expiresAt),
  });
}

function directorActor(f: FamilyRecord, users: Users): Actor {
  const found = Object.values(users).find((u) => u.id === f.directorId);
  if (!found) throw new Error(`family ${f.reference} has no demo director`);
  return found;
}
