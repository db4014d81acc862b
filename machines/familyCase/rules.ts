import type { Role } from '../schemas/common.ts';
import {
  decisionEventTypes,
  systemEventTypes,
  type EventType,
  type FamilyEvent,
  type SystemEventType,
} from '../schemas/events.ts';
import { addDays, addMonths, addMonthsToDate, isBefore, localDateOf, maxInstant } from './calendar.ts';
import { currentPhase, openConditions, pendingHandover, type FamilyContext } from './context.ts';
import { activeMeasureIndices, latestIncidentDate, latestReportDate, measureIndexById } from './listFacts.ts';

// Every rule the engine enforces, as a named pure function: null when the event passes, otherwise a
// specific explanation in Dutch and English. The machine's guards and `explainRefusal` both call these,
// so what the machine does and what the API explains cannot drift apart.

export type Explanation = { nl: string; en: string };
export type RefusalKind = 'forbidden' | 'state' | 'guard';

/** Legal limits are part of a machine version: changing one means registering a new version. */
export type LegalLimits = {
  huisverbodInitialDays: number;
  huisverbodTotalDays: number;
  voorlopigeOtsMonths: number;
  otsTermMonths: number;
  stableSafetyMonths: number;
};

export const legalLimitsV1: LegalLimits = {
  huisverbodInitialDays: 10,
  huisverbodTotalDays: 28,
  voorlopigeOtsMonths: 3,
  otsTermMonths: 12,
  stableSafetyMonths: 6,
};

export type Rule = {
  kind: RefusalKind;
  /** Decidable from context, actor and type alone: used by `allowedEvents` without a payload. */
  payloadFree: boolean;
  check: (ctx: FamilyContext, event: FamilyEvent, limits: LegalLimits) => Explanation | null;
};

const ok = null;
const say = (nl: string, en: string): Explanation => ({ nl, en });

/** Events that advance a family's phase: only its case director sends them. */
export const directorEventTypes = [
  'plan.agreed',
  'plan.revised',
  'directSafety.achieved',
  'stability.confirmed',
  'recovery.completed',
  'case.closed',
] as const satisfies readonly EventType[];

/** Events both roles send; a director only on a family they direct. */
const sharedEventTypes: readonly EventType[] = [
  'incident.reported',
  'measure.imposed',
  'measure.extended',
  'measure.ended',
  'escalation.raised',
  'escalation.resolved',
  'handover.offered',
];

const vtOnlyEventTypes: readonly EventType[] = [
  'report.received',
  'assessment.started',
  'assessment.completed',
  'investigation.completed',
  'monitoring.checkRecorded',
  'monitoring.takenBack',
  'monitoring.ended',
];

const is = (list: readonly string[], type: string) => list.includes(type);
export const isSystemEvent = (type: string): type is SystemEventType => is(systemEventTypes, type);

/** The moment an event is about in the world. */
export function eventTime(event: { recordedAt: string; occurredAt?: string | undefined }): string {
  return event.occurredAt ?? event.recordedAt;
}

/** The start of the incident-free period: the latest incident or the latest report, whichever is later. */
export function incidentFreeSince(ctx: FamilyContext): string | null {
  const report = latestReportDate(ctx.reports);
  const incident = latestIncidentDate(ctx.incidents);
  // On equal instants the report's, as a fold over the reports and then the incidents gives.
  return report === null ? incident : incident === null ? report : maxInstant(report, incident);
}

function measureById(ctx: FamilyContext, id: string) {
  return ctx.measures[measureIndexById(ctx.measures, id)];
}

export function stableSafetyFromDate(ctx: FamilyContext, limits: LegalLimits): string | null {
  const since = incidentFreeSince(ctx);
  return since ? addMonthsToDate(localDateOf(since), limits.stableSafetyMonths) : null;
}

function memberIdsUnknown(ctx: FamilyContext, ids: readonly string[]): string[] {
  const known = new Set(ctx.members.map((m) => m.id));
  return [...new Set(ids.filter((id) => !known.has(id)))];
}

const roleNames: Record<Role | 'system', Explanation> = {
  vt: say('een Veilig Thuis-medewerker', 'a Veilig Thuis worker'),
  director: say('een casusregisseur', 'a case director'),
  auditor: say('een auditor', 'an auditor'),
  admin: say('een beheerder', 'an administrator'),
  system: say('het systeem', 'the system'),
};

export const rules = {
  roleMaySend: {
    kind: 'forbidden',
    payloadFree: true,
    check: (_ctx, ev) => {
      const role = ev.actor.role;
      const who = roleNames[role];
      if (isSystemEvent(ev.type)) {
        return role === 'system'
          ? ok
          : say(
              `${ev.type} wordt alleen door het systeem (planner) verstuurd.`,
              `${ev.type} is sent by the system (scheduler) only.`,
            );
      }
      const allowed =
        role === 'vt'
          ? !is(['handover.accepted', 'handover.declined'], ev.type)
          : role === 'director'
            ? !is(vtOnlyEventTypes, ev.type)
            : false;
      return allowed
        ? ok
        : say(`${who.nl} mag ${ev.type} niet versturen.`, `${who.en} may not send ${ev.type}.`);
    },
  },
  caseOpened: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      ctx.cycle > 0
        ? ok
        : say(
            'De zaak bestaat nog niet: eerst een melding registreren.',
            'The case does not exist yet: register a report first.',
          ),
  },
  assignedToCase: {
    kind: 'forbidden',
    payloadFree: true,
    check: (ctx, ev) => {
      const director = ctx.caseDirectorId;
      if (is(directorEventTypes, ev.type)) {
        if (ev.actor.id === director) return ok;
        if (ev.actor.role === 'vt' && director === null) return ok;
        return say(
          `Alleen de casusregisseur van dit gezin mag ${ev.type} versturen.`,
          `Only this family's case director may send ${ev.type}.`,
        );
      }
      if (ev.actor.role === 'director' && is(sharedEventTypes, ev.type) && ev.actor.id !== director) {
        return say(
          `U bent niet de casusregisseur van dit gezin en mag ${ev.type} niet versturen.`,
          `You are not this family's case director and may not send ${ev.type}.`,
        );
      }
      return ok;
    },
  },
  reasonRequired: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      !is(decisionEventTypes, ev.type) || (ev.reason?.trim() ?? '') !== ''
        ? ok
        : say(
            `${ev.type} is een besluit en vraagt een motivering.`,
            `${ev.type} is a decision and needs a motivation (reason).`,
          ),
  },
  membersRequired: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) =>
      ev.type !== 'report.received' || ctx.cycle > 0 || ev.payload.members.length > 0
        ? ok
        : say(
            'Een nieuwe zaak heeft minstens één directbetrokkene.',
            'A new case needs at least one household member.',
          ),
  },
  reportNotInFuture: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      ev.type !== 'report.received' ||
      !ev.payload.receivedAt ||
      !isBefore(ev.recordedAt, ev.payload.receivedAt)
        ? ok
        : say(
            'De meldingsdatum ligt na het moment van registreren.',
            'The report date is after the moment of recording.',
          ),
  },
  namedUserResolved: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) => {
      const directorId =
        ev.type === 'assessment.completed' ||
        ev.type === 'investigation.completed' ||
        ev.type === 'handover.offered'
          ? ev.payload.directorId
          : undefined;
      if (directorId === undefined) return ok;
      return ev.named && ev.named.id === directorId
        ? ok
        : say(
            `De genoemde gebruiker ${directorId} is niet gevonden of niet vastgelegd.`,
            `The named user ${directorId} was not found or not recorded.`,
          );
    },
  },
  investigateOnlyFromAssessment: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      ev.type === 'investigation.completed' && ev.payload.decision === 'investigate'
        ? say(
            'Na een onderzoek kan niet opnieuw tot onderzoek worden besloten.',
            'After an investigation, investigating again is not a possible decision.',
          )
        : ok,
  },
  handoverNamesDirector: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) => {
      if (
        (ev.type !== 'assessment.completed' && ev.type !== 'investigation.completed') ||
        ev.payload.decision !== 'handover'
      )
        return ok;
      if (!ev.payload.directorId) {
        return say(
          'Bij overdracht moet de ontvangende casusregisseur worden genoemd.',
          'A handover must name the receiving case director.',
        );
      }
      return ev.named?.roles.includes('director')
        ? ok
        : say(
            `${ev.payload.directorId} heeft geen rol casusregisseur.`,
            `${ev.payload.directorId} does not have the case director role.`,
          );
    },
  },
  directorIsVtColleague: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) => {
      if (
        (ev.type !== 'assessment.completed' && ev.type !== 'investigation.completed') ||
        ev.payload.decision !== 'conditionsAndFollowUp'
      )
        return ok;
      if (!ev.payload.directorId) return ok;
      return ev.named?.roles.includes('vt')
        ? ok
        : say(
            `Bij Voorwaarden & Vervolg blijft Veilig Thuis regisseur: ${ev.payload.directorId} is geen Veilig Thuis-medewerker.`,
            `With conditions and follow-up Veilig Thuis stays director: ${ev.payload.directorId} is not a Veilig Thuis worker.`,
          );
    },
  },
  safetyConditionRequired: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'assessment.completed' && ev.type !== 'investigation.completed') return ok;
      if (ev.payload.decision !== 'handover' && ev.payload.decision !== 'conditionsAndFollowUp') return ok;
      return ev.payload.conditions.length > 0 || openConditions(ctx).length > 0
        ? ok
        : say(
            'Directe veiligheid vraagt minstens één veiligheidsvoorwaarde.',
            'Direct safety requires at least one safety condition.',
          );
    },
  },
  caseDirectorAssigned: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      ctx.caseDirectorId
        ? ok
        : say(
            'Er is nog geen casusregisseur: overdragen kan pas na de veiligheidsbeoordeling.',
            'There is no case director yet: a handover is possible only after the safety assessment.',
          ),
  },
  offeredToDirector: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      ev.type !== 'handover.offered' || ev.named?.roles.includes('director')
        ? ok
        : say(
            `Overdragen kan alleen aan een casusregisseur; ${ev.type === 'handover.offered' ? ev.payload.directorId : ''} heeft die rol niet.`,
            `A handover can go only to a case director; ${ev.type === 'handover.offered' ? ev.payload.directorId : ''} does not have that role.`,
          ),
  },
  notToCurrentDirector: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) =>
      ev.type !== 'handover.offered' || ev.payload.directorId !== ctx.caseDirectorId
        ? ok
        : say(
            'Deze persoon is al de casusregisseur van dit gezin.',
            "This person already is this family's case director.",
          ),
  },
  // The oversight region also listens for decisions (a handover decision moves it), so the phase
  // must be checked here: otherwise allowedEvents would offer a decision the phase cannot take.
  inAssessment: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      currentPhase(ctx) === 'assessment'
        ? ok
        : say('Er loopt geen veiligheidsbeoordeling.', 'No safety assessment is in progress.'),
  },
  inInvestigation: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      currentPhase(ctx) === 'investigation'
        ? ok
        : say('Er loopt geen onderzoek.', 'No investigation is in progress.'),
  },
  handoverIsPending: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      pendingHandover(ctx) ? ok : say('Er staat geen overdracht open.', 'There is no pending handover.'),
  },
  isNamedReceiver: {
    kind: 'forbidden',
    payloadFree: true,
    check: (ctx, ev) =>
      pendingHandover(ctx)?.toId === ev.actor.id
        ? ok
        : say(
            'Alleen de casusregisseur aan wie de overdracht is aangeboden mag die aanvaarden of weigeren.',
            'Only the case director the handover was offered to may accept or decline it.',
          ),
  },
  agreementRequired: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') || ev.payload.agreements.length > 0
        ? ok
        : say(
            'Een veiligheidsplan bevat minstens één afspraak.',
            'A safety plan contains at least one agreement.',
          ),
  },
  unknownCondition: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      let ids: string[];
      if (ev.type === 'plan.agreed' || ev.type === 'plan.revised')
        ids = ev.payload.agreements.flatMap((a) => a.coversConditionIds);
      else if (ev.type === 'monitoring.checkRecorded') ids = ev.payload.results.map((r) => r.conditionId);
      else return ok;
      const known = new Set(ctx.conditions.filter((c) => c.status !== 'withdrawn').map((c) => c.id));
      const unknown = [...new Set(ids.filter((id) => !known.has(id)))];
      return unknown.length === 0
        ? ok
        : say(
            `Onbekende veiligheidsvoorwaarde(n): ${unknown.join(', ')}.`,
            `Unknown safety condition(s): ${unknown.join(', ')}.`,
          );
    },
  },
  conditionsCovered: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const covered = new Set(ev.payload.agreements.flatMap((a) => a.coversConditionIds));
      const uncovered = openConditions(ctx).filter((c) => !covered.has(c.id));
      return uncovered.length === 0
        ? ok
        : say(
            `Niet elke veiligheidsvoorwaarde is afgedekt door een afspraak: ${uncovered.map((c) => c.id).join(', ')}.`,
            `Not every safety condition is covered by an agreement: ${uncovered.map((c) => c.id).join(', ')}.`,
          );
    },
  },
  unknownMember: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      let ids: string[];
      if (ev.type === 'plan.agreed' || ev.type === 'plan.revised') {
        ids = [
          ...ev.payload.participants.flatMap((p) => ('memberId' in p ? [p.memberId] : [])),
          ...ev.payload.childPerspectives.map((c) => c.memberId),
        ];
      } else if (ev.type === 'stability.confirmed') ids = ev.payload.participants.map((p) => p.memberId);
      else return ok;
      const unknown = memberIdsUnknown(ctx, ids);
      return unknown.length === 0
        ? ok
        : say(
            `Onbekende directbetrokkene(n): ${unknown.join(', ')}.`,
            `Unknown household member(s): ${unknown.join(', ')}.`,
          );
    },
  },
  adultParticipantRequired: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const adults = new Set(ctx.members.filter((m) => m.kind === 'adult').map((m) => m.id));
      return ev.payload.participants.some((p) => 'memberId' in p && adults.has(p.memberId))
        ? ok
        : say(
            'Het veiligheidsplan wordt met het gezin gemaakt: minstens één volwassen directbetrokkene neemt deel.',
            'The safety plan is made with the family: at least one adult household member takes part.',
          );
    },
  },
  childPerspectiveRequired: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const given = new Set(ev.payload.childPerspectives.map((c) => c.memberId));
      const missing = ctx.members.filter((m) => m.kind === 'child' && !given.has(m.id));
      return missing.length === 0
        ? ok
        : say(
            `Het perspectief van elk kind wordt vastgelegd; ontbreekt voor: ${missing.map((m) => `${m.alias} (${m.id})`).join(', ')}.`,
            `Each child's perspective is recorded; missing for: ${missing.map((m) => `${m.alias} (${m.id})`).join(', ')}.`,
          );
    },
  },
  planRevisionPending: {
    kind: 'guard',
    payloadFree: true,
    check: (ctx) =>
      ctx.planRevisionRequired
        ? say(
            'Na een incident moet het veiligheidsplan eerst worden herzien.',
            'After an incident the safety plan must be revised first.',
          )
        : ok,
  },
  incidentNotInFuture: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      ev.type !== 'incident.reported' || !isBefore(ev.recordedAt, ev.payload.occurredAt)
        ? ok
        : say(
            'Een incident kan niet na het moment van registreren plaatsvinden.',
            'An incident cannot occur after the moment it is recorded.',
          ),
  },
  sixMonthsIncidentFree: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev, limits) => {
      if (ev.type !== 'stability.confirmed') return ok;
      const from = stableSafetyFromDate(ctx, limits);
      if (!from || localDateOf(eventTime(ev)) >= from) return ok;
      return say(
        `Nog geen zes maanden zonder incidenten: stabiele veiligheid kan vanaf ${from}.`,
        `Not yet six months without incidents: stable safety possible from ${from}.`,
      );
    },
  },
  riskFactorsResolved: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      ev.type !== 'stability.confirmed' || ev.payload.riskFactorsResolved
        ? ok
        : say(
            'Stabiele veiligheid vraagt dat de risicofactoren geen negatief effect meer hebben.',
            'Stable safety requires that the risk factors no longer have a negative effect.',
          ),
  },
  allMembersAssessed: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'stability.confirmed') return ok;
      const named = new Set(ev.payload.participants.map((p) => p.memberId));
      const missing = ctx.members.filter((m) => !named.has(m.id));
      return missing.length === 0
        ? ok
        : say(
            `De beoordeling gebeurt samen met alle gezinsleden; ontbreekt (of zonder reden van afwezigheid): ${missing.map((m) => `${m.alias} (${m.id})`).join(', ')}.`,
            `The assessment is made with every household member; missing (or without a reason for absence): ${missing.map((m) => `${m.alias} (${m.id})`).join(', ')}.`,
          );
    },
  },
  stableSafetyReached: {
    kind: 'guard',
    payloadFree: true,
    check: (ctx) => {
      const phase = currentPhase(ctx);
      return phase === 'recovery' || phase === 'closed'
        ? ok
        : say(
            'Veilig Thuis sluit het monitoren pas af als stabiele veiligheid is bereikt (fase herstel).',
            'Veilig Thuis ends monitoring only once stable safety has been reached (recovery phase).',
          );
    },
  },
  phaseNotClosed: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      currentPhase(ctx) === 'closed' ? say('De zaak is gesloten.', 'The case is closed.') : ok,
  },
  conditionsToCheck: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      ctx.conditions.some((c) => c.status !== 'withdrawn')
        ? ok
        : say(
            'Er zijn (nog) geen veiligheidsvoorwaarden om te controleren.',
            'There are no safety conditions to check (yet).',
          ),
  },
  activeMeasureExists: {
    kind: 'state',
    payloadFree: true,
    check: (ctx) =>
      activeMeasureIndices(ctx.measures).length > 0
        ? ok
        : say('Er loopt geen maatregel.', 'There is no active measure.'),
  },
  measureEndsAfterStart: {
    kind: 'guard',
    payloadFree: false,
    check: (_ctx, ev) =>
      ev.type !== 'measure.imposed' || isBefore(ev.payload.startsAt, ev.payload.endsAt)
        ? ok
        : say('Een maatregel eindigt na zijn begin.', 'A measure ends after it starts.'),
  },
  measureActive: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'measure.extended' && ev.type !== 'measure.ended' && ev.type !== 'measure.expired')
        return ok;
      const m = measureById(ctx, ev.payload.measureId);
      if (!m)
        return say(
          `Onbekende maatregel ${ev.payload.measureId}.`,
          `Unknown measure ${ev.payload.measureId}.`,
        );
      return m.status === 'active'
        ? ok
        : say(
            `Maatregel ${m.id} loopt niet meer (${m.status}).`,
            `Measure ${m.id} is no longer active (${m.status}).`,
          );
    },
  },
  extensionEndsLater: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      if (ev.type !== 'measure.extended') return ok;
      const m = measureById(ctx, ev.payload.measureId);
      return !m || isBefore(m.endsAt, ev.payload.endsAt)
        ? ok
        : say(
            'Een verlenging eindigt later dan de huidige einddatum.',
            'An extension ends later than the current end.',
          );
    },
  },
  measureWithinLegalLimit: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev, limits) => {
      let kind: string;
      let startsAt: string;
      let endsAt: string;
      let previousEnd: string | null = null;
      if (ev.type === 'measure.imposed') {
        ({ kind, startsAt, endsAt } = ev.payload);
      } else if (ev.type === 'measure.extended') {
        const m = measureById(ctx, ev.payload.measureId);
        if (!m) return ok;
        ({ kind, startsAt } = m);
        endsAt = ev.payload.endsAt;
        previousEnd = m.endsAt;
      } else return ok;
      const over = (limit: string) => isBefore(limit, endsAt);
      if (kind === 'huisverbod') {
        if (!previousEnd && over(addDays(startsAt, limits.huisverbodInitialDays))) {
          return say(
            `Een tijdelijk huisverbod duurt bij oplegging ten hoogste ${limits.huisverbodInitialDays} dagen.`,
            `A temporary restraining order (huisverbod) lasts at most ${limits.huisverbodInitialDays} days when imposed.`,
          );
        }
        if (previousEnd && over(addDays(startsAt, limits.huisverbodTotalDays))) {
          return say(
            `Een huisverbod duurt met verlenging ten hoogste ${limits.huisverbodTotalDays} dagen na oplegging (uiterlijk ${addDays(startsAt, limits.huisverbodTotalDays)}).`,
            `A huisverbod lasts at most ${limits.huisverbodTotalDays} days from imposition including extension (until ${addDays(startsAt, limits.huisverbodTotalDays)}).`,
          );
        }
      }
      if (kind === 'voorlopigeOts' && over(addMonths(startsAt, limits.voorlopigeOtsMonths))) {
        return say(
          `Een voorlopige ondertoezichtstelling duurt ten hoogste ${limits.voorlopigeOtsMonths} maanden.`,
          `A provisional supervision order lasts at most ${limits.voorlopigeOtsMonths} months.`,
        );
      }
      if (kind === 'ots' && over(addMonths(previousEnd ?? startsAt, limits.otsTermMonths))) {
        return say(
          `Een ondertoezichtstelling duurt ten hoogste ${limits.otsTermMonths} maanden per termijn.`,
          `A supervision order lasts at most ${limits.otsTermMonths} months per term.`,
        );
      }
      return ok;
    },
  },
  signalNew: {
    kind: 'guard',
    payloadFree: false,
    check: (ctx, ev) => {
      const dup = say('Dit signaal is al vastgelegd.', 'This signal has already been recorded.');
      if (ev.type === 'deadline.missed') {
        const p = ev.payload;
        return ctx.signals.missed.some(
          (s) => s.kind === p.kind && s.ref === p.ref && Date.parse(s.dueAt) === Date.parse(p.dueAt),
        )
          ? dup
          : ok;
      }
      if (ev.type === 'stability.reviewDue') {
        return ctx.signals.reviewsDue.some((s) => Date.parse(s.dueAt) === Date.parse(ev.payload.dueAt))
          ? dup
          : ok;
      }
      if (ev.type === 'stagnation.detected') {
        const p = ev.payload;
        return ctx.signals.stagnation.some(
          (s) => s.phase === p.phase && Date.parse(s.since) === Date.parse(p.since),
        )
          ? dup
          : ok;
      }
      return ok;
    },
  },
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof rules;

/**
 * The rules per event type, in the order they are explained. `roleMaySend` comes first and is checked
 * before the state (a role that may never send an event learns nothing about the case's state).
 */
export const ruleChains: Record<EventType, readonly RuleName[]> = {
  'report.received': ['roleMaySend', 'membersRequired', 'reportNotInFuture'],
  'assessment.started': ['roleMaySend', 'caseOpened'],
  'assessment.completed': [
    'roleMaySend',
    'caseOpened',
    'inAssessment',
    'reasonRequired',
    'namedUserResolved',
    'handoverNamesDirector',
    'directorIsVtColleague',
    'safetyConditionRequired',
  ],
  'investigation.completed': [
    'roleMaySend',
    'caseOpened',
    'inInvestigation',
    'reasonRequired',
    'investigateOnlyFromAssessment',
    'namedUserResolved',
    'handoverNamesDirector',
    'directorIsVtColleague',
    'safetyConditionRequired',
  ],
  'handover.offered': [
    'roleMaySend',
    'caseOpened',
    'caseDirectorAssigned',
    'assignedToCase',
    'reasonRequired',
    'namedUserResolved',
    'offeredToDirector',
    'notToCurrentDirector',
  ],
  'handover.accepted': [
    'roleMaySend',
    'caseOpened',
    'handoverIsPending',
    'isNamedReceiver',
    'reasonRequired',
  ],
  'handover.declined': [
    'roleMaySend',
    'caseOpened',
    'handoverIsPending',
    'isNamedReceiver',
    'reasonRequired',
  ],
  'plan.agreed': [
    'roleMaySend',
    'caseOpened',
    'assignedToCase',
    'agreementRequired',
    'unknownCondition',
    'conditionsCovered',
    'unknownMember',
    'adultParticipantRequired',
    'childPerspectiveRequired',
  ],
  'plan.revised': [
    'roleMaySend',
    'caseOpened',
    'assignedToCase',
    'agreementRequired',
    'unknownCondition',
    'conditionsCovered',
    'unknownMember',
    'adultParticipantRequired',
    'childPerspectiveRequired',
  ],
  'directSafety.achieved': [
    'roleMaySend',
    'caseOpened',
    'assignedToCase',
    'reasonRequired',
    'planRevisionPending',
  ],
  'incident.reported': ['roleMaySend', 'caseOpened', 'assignedToCase', 'incidentNotInFuture'],
  'stability.confirmed': [
    'roleMaySend',
    'caseOpened',
    'assignedToCase',
    'reasonRequired',
    'unknownMember',
    'allMembersAssessed',
    'riskFactorsResolved',
    'sixMonthsIncidentFree',
  ],
  'recovery.completed': ['roleMaySend', 'caseOpened', 'assignedToCase', 'reasonRequired'],
  'case.closed': ['roleMaySend', 'caseOpened', 'assignedToCase', 'reasonRequired'],
  'monitoring.checkRecorded': ['roleMaySend', 'caseOpened', 'conditionsToCheck', 'unknownCondition'],
  'monitoring.takenBack': ['roleMaySend', 'caseOpened', 'reasonRequired'],
  'monitoring.ended': ['roleMaySend', 'caseOpened', 'stableSafetyReached'],
  'escalation.raised': ['roleMaySend', 'caseOpened', 'phaseNotClosed', 'assignedToCase', 'reasonRequired'],
  'escalation.resolved': ['roleMaySend', 'caseOpened', 'assignedToCase', 'reasonRequired'],
  'measure.imposed': [
    'roleMaySend',
    'caseOpened',
    'assignedToCase',
    'measureEndsAfterStart',
    'measureWithinLegalLimit',
  ],
  'measure.extended': [
    'roleMaySend',
    'caseOpened',
    'activeMeasureExists',
    'assignedToCase',
    'measureActive',
    'extensionEndsLater',
    'measureWithinLegalLimit',
  ],
  'measure.ended': ['roleMaySend', 'caseOpened', 'activeMeasureExists', 'assignedToCase', 'measureActive'],
  'measure.expired': ['roleMaySend', 'caseOpened', 'activeMeasureExists', 'measureActive'],
  'deadline.missed': ['roleMaySend', 'caseOpened', 'signalNew'],
  'stability.reviewDue': ['roleMaySend', 'caseOpened', 'signalNew'],
  'stagnation.detected': ['roleMaySend', 'caseOpened', 'signalNew'],
};

export type RuleFailure = { rule: RuleName; kind: RefusalKind; explanation: Explanation };

/** First failing rule of the chain (optionally only payload-free rules, or skipping some). */
export function firstFailure(
  chain: readonly RuleName[],
  ctx: FamilyContext,
  event: FamilyEvent,
  limits: LegalLimits,
  opts: { payloadFreeOnly?: boolean; skip?: readonly RuleName[] } = {},
): RuleFailure | null {
  for (const name of chain) {
    const rule: Rule = rules[name];
    if (opts.skip?.includes(name)) continue;
    if (opts.payloadFreeOnly && !rule.payloadFree) continue;
    const explanation = rule.check(ctx, event, limits);
    if (explanation) return { rule: name, kind: rule.kind, explanation };
  }
  return null;
}
