import { z } from 'zod';
import { actorSchema, isoDateTime, localId, longText, roleSchema, shortText } from './common.ts';

// The machine's own language: one zod schema per event payload, shared by server and client.

export const reportSource = z.enum(['police', 'professional', 'citizen', 'anonymous', 'other']);
/** `unborn` (v2): a member expected to be born ("from –9 months"), with `expectedMonth`. */
export const memberKind = z.enum(['adult', 'child', 'unborn']);
const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/**
 * A household member (directbetrokkene). Minimised by design: an alias and a birth year (for an unborn
 * member the expected year), nothing else; an unborn member also has its expected month.
 */
export const memberInput = z
  .object({
    alias: z.string().trim().min(1).max(80),
    kind: memberKind,
    birthYear: z.int().min(1900).max(2100),
    expectedMonth: yearMonth.optional(),
  })
  .refine((m) => (m.kind === 'unborn') === (m.expectedMonth !== undefined), {
    path: ['expectedMonth'],
    message: 'An unborn member has an expected month (YYYY-MM), a born one none / een ongeboren lid heeft een verwachte maand, een geboren lid niet',
  });
export type MemberInput = z.infer<typeof memberInput>;

/**
 * v2, the family's own view: whether the family sees an agreement, condition or child perspective
 * (DOMAIN.md "The family's own view"). Absent means visible: histories recorded before it replay as
 * they were.
 */
export const visibleToFamily = z.boolean().optional();

export const conditionInput = z.object({
  description: shortText,
  dueAt: isoDateTime.optional(),
  visibleToFamily,
});

export const decision = z.enum(['close', 'investigate', 'conditionsAndFollowUp', 'handover']);
export type Decision = z.infer<typeof decision>;

export const severity = z.enum(['minor', 'serious']);
export const closeReason = z.enum(['movedAway', 'transferred', 'noGrounds', 'other']);
export const escalationTarget = z.enum(['MDA++', 'ZVH', 'RvdK']);
export const measureKind = z.enum(['huisverbod', 'voorlopigeOts', 'ots', 'shelter', 'other']);
export type MeasureKind = z.infer<typeof measureKind>;

const empty = z.object({}).strict();

/**
 * `report.received`. At seq 1 it creates the case (the server fills it from `POST /families`, with
 * the members); later it is a repeat or combined report (radar function) and may add members.
 */
export const reportReceivedPayload = z.object({
  source: reportSource,
  acute: z.boolean(),
  summary: longText,
  receivedAt: isoDateTime.optional(),
  violenceForms: z.array(shortText).max(20).default([]),
  members: z.array(memberInput).max(30).default([]),
});

// ------------------------------------------------------------------ risk factors (v2)
export const riskFactorKind = z.enum([
  'debts',
  'addiction',
  'mentalHealth',
  'housing',
  'work',
  'isolation',
  'parenting',
  'trauma',
  'other',
]);
export type RiskFactorKind = z.infer<typeof riskFactorKind>;
export const riskFactorStatus = z.enum(['present', 'reduced', 'resolved']);

/** A risk factor as an assessment or investigation records it (v2; present from then on). */
export const riskFactorInput = z.object({ kind: riskFactorKind, notes: longText.optional() });

export const assessmentCompletedPayload = z.object({
  decision,
  acute: z.boolean(),
  structural: z.boolean(),
  directorId: z.string().min(1).max(100).optional(),
  conditions: z.array(conditionInput).max(50).default([]),
  /** v2: the risk factors found (a v1 family ignores them). */
  riskFactors: z.array(riskFactorInput).max(20).optional(),
});

export const handoverOfferedPayload = z.object({ directorId: z.string().min(1).max(100) });

export const participant = z.union([
  z.object({ memberId: localId }).strict(),
  z.object({ professional: shortText }).strict(),
]);

export const planPayload = z.object({
  agreements: z
    .array(
      z.object({
        description: shortText,
        responsible: shortText,
        coversConditionIds: z.array(localId).max(50).default([]),
        visibleToFamily,
      }),
    )
    .max(100),
  participants: z.array(participant).max(50),
  childPerspectives: z
    .array(z.object({ memberId: localId, perspective: longText, visibleToFamily }))
    .max(30)
    .default([]),
});

export const incidentReportedPayload = z.object({
  occurredAt: isoDateTime,
  severity,
  description: longText,
});

export const stabilityConfirmedPayload = z.object({
  /** v1 only: v2 asks every recorded risk factor to be reduced or resolved instead (v1 refuses it absent). */
  riskFactorsResolved: z.boolean().optional(),
  participants: z
    .array(z.object({ memberId: localId, absentReason: shortText.optional() }).strict())
    .max(30),
  professionals: z.array(shortText).max(30).default([]),
});

export const caseClosedPayload = z.object({ reasonCode: closeReason });

export const checkRecordedPayload = z.object({
  results: z.array(z.object({ conditionId: localId, met: z.boolean() })).min(1).max(50),
  notes: longText.optional(),
  /** v2: whether the check paid attention to recovery (seed 001 §8.4). */
  recoveryAttention: z.boolean().optional(),
});

/** v2: what stands in the way ("belemmerende factoren", seed 004). */
export const obstacle = z.enum(['waitingList', 'noCapacity', 'noConsent', 'familyDeclines', 'legal', 'other']);
export type Obstacle = z.infer<typeof obstacle>;

export const escalationRaisedPayload = z.object({
  to: escalationTarget,
  /** v2: the obstacles behind the escalation. */
  obstacles: z.array(obstacle).max(6).optional(),
});

// ------------------------------------------------------------------ familyCase@2 events
export const urgency = z.enum(['acute', 'high', 'regular']);
export const triageInstrument = z.enum(['triage-instrument-vt', 'lirik', 'arij', 'other']);
export const triageRecordedPayload = z.object({
  urgency,
  instrument: triageInstrument.optional(),
  score: z.number().min(0).max(1000).optional(),
  notes: longText.optional(),
});
export const contactInterimPayload = z.object({
  with: z.enum(['reporter', 'household', 'professional']),
  notes: longText.optional(),
});
export const informChannel = z.enum(['phone', 'letter', 'secure-mail', 'in-person']);
export const informedPayload = z.object({ channel: informChannel });
export const contactFirstPayload = z.object({
  with: z.array(localId).min(1).max(30),
  /** Together with Veilig Thuis (a warm handover). */
  warm: z.boolean(),
});
export const conferenceKind = z.enum(['triage', 'mdaPlusPlus', 'actieOverleg', 'netwerkberaad']);
export const conferenceParticipant = z.union([
  z.object({ memberId: localId }).strict(),
  z.object({ professional: shortText, organisation: shortText, mandate: z.boolean() }).strict(),
]);
export const conferenceHeldPayload = z.object({
  kind: conferenceKind,
  heldAt: isoDateTime,
  participants: z.array(conferenceParticipant).min(1).max(50),
  agreements: z
    .array(z.object({ description: shortText, responsible: shortText, dueAt: isoDateTime.optional() }))
    .max(100),
  nextAt: isoDateTime.optional(),
});
export const riskFactorsUpdatedPayload = z.object({
  factors: z
    .array(z.object({ kind: riskFactorKind, status: riskFactorStatus, notes: longText.optional() }))
    .min(1)
    .max(20),
});
export const traumaScreenedPayload = z.object({
  memberId: localId,
  outcome: z.enum(['noSigns', 'referred', 'inTreatment']),
  /** Who screened (a professional or organisation, in words). */
  by: shortText,
});
/** v2: members without a trauma screening need a motivated reason each (a v1 family sends `{}`). */
export const recoveryCompletedPayload = z
  .object({ excused: z.array(z.object({ memberId: localId, reason: shortText }).strict()).max(30).optional() })
  .strict();
export const caseUpgradedPayload = z.object({ toVersion: z.int().min(2).max(99) });

// ------------------------------------------------------------------ the family's own view (v2)
/**
 * `member-access.granted`: the director gave a member a one-time sign-in code. The code itself is never
 * in the history (the server keeps its hash); the event records who and until when the code opens.
 */
export const memberAccessGrantedPayload = z.object({ memberId: localId, expiresAt: isoDateTime });
/** `member-access.revoked`: the member's access ends (an unused code and open sessions with it). */
export const memberAccessRevokedPayload = z.object({ memberId: localId });
export const planResponse = z.enum(['agree', 'disagree']);
export type PlanResponse = z.infer<typeof planResponse>;
/** `plan.responded` (actor role `member`): a member's answer to a version of the safety plan; it never blocks the plan. */
export const planRespondedPayload = z.object({
  planVersion: z.int().min(1).max(100_000),
  response: planResponse,
  comment: longText.optional(),
});
/**
 * `member.shielded`: what the family's view shows of member `memberId` (their name among the members,
 * their child perspective, their reading of the file) is hidden from the members in `from`; it replaces
 * the member's earlier shield, and an empty `from` lifts it.
 */
export const memberShieldedPayload = z.object({ memberId: localId, from: z.array(localId).max(30) });

export const measureImposedPayload = z.object({ kind: measureKind, startsAt: isoDateTime, endsAt: isoDateTime });
export const measureExtendedPayload = z.object({ measureId: localId, endsAt: isoDateTime });
export const measureEndedPayload = z.object({ measureId: localId });

/** The durable timers familyCase@2 adds (timersV2.ts). */
export const v2TimerKinds = [
  'interimContact',
  'reporterFeedback',
  'householdFeedback',
  'firstContact',
  'firstPlan',
  'conferenceAgreement',
  'nextConference',
] as const;

// System events, written by the scheduler when a durable timer falls due.
export const timerKind = z.enum([
  'assessment',
  'investigation',
  'handoverAcceptance',
  'measureEnd',
  'monitoringCheck',
  'stabilityReview',
  'stagnation',
  ...v2TimerKinds,
]);
export type TimerKind = z.infer<typeof timerKind>;

export const measureExpiredPayload = z.object({ measureId: localId });
export const deadlineMissedPayload = z.object({ kind: timerKind, ref: z.string().min(1).max(100), dueAt: isoDateTime });
export const stabilityReviewDuePayload = z.object({ dueAt: isoDateTime });
export const stagnationDetectedPayload = z.object({ phase: z.string().min(1).max(60), since: isoDateTime, dueAt: isoDateTime });

/** Every event type with its payload schema. The type strings are part of the HTTP API. */
export const payloadSchemas = {
  'report.received': reportReceivedPayload,
  'assessment.started': empty,
  'assessment.completed': assessmentCompletedPayload,
  'investigation.completed': assessmentCompletedPayload,
  'handover.offered': handoverOfferedPayload,
  'handover.accepted': empty,
  'handover.declined': empty,
  'plan.agreed': planPayload,
  'plan.revised': planPayload,
  'directSafety.achieved': empty,
  'incident.reported': incidentReportedPayload,
  'stability.confirmed': stabilityConfirmedPayload,
  'recovery.completed': recoveryCompletedPayload,
  'case.closed': caseClosedPayload,
  'monitoring.checkRecorded': checkRecordedPayload,
  'monitoring.takenBack': empty,
  'monitoring.ended': empty,
  'escalation.raised': escalationRaisedPayload,
  'escalation.resolved': empty,
  'measure.imposed': measureImposedPayload,
  'measure.extended': measureExtendedPayload,
  'measure.ended': measureEndedPayload,
  'measure.expired': measureExpiredPayload,
  'deadline.missed': deadlineMissedPayload,
  'stability.reviewDue': stabilityReviewDuePayload,
  'stagnation.detected': stagnationDetectedPayload,
  // familyCase@2 (a v1 family refuses them; `case.upgraded` moves it to v2)
  'triage.recorded': triageRecordedPayload,
  'contact.interim': contactInterimPayload,
  'investigation.started': empty,
  'reporter.informed': informedPayload,
  'household.informed': informedPayload,
  'contact.first': contactFirstPayload,
  'conference.held': conferenceHeldPayload,
  'riskFactors.updated': riskFactorsUpdatedPayload,
  'trauma.screened': traumaScreenedPayload,
  'case.upgraded': caseUpgradedPayload,
  // familyCase@2, the family's own view (issue 15)
  'member-access.granted': memberAccessGrantedPayload,
  'member-access.revoked': memberAccessRevokedPayload,
  'plan.responded': planRespondedPayload,
  'member.shielded': memberShieldedPayload,
} as const;

export type EventType = keyof typeof payloadSchemas;
export const eventTypes = Object.keys(payloadSchemas) as EventType[];
/** The event types of familyCase@1, in their order (the golden histories draw from this list). */
export const v1EventTypes = eventTypes.slice(0, eventTypes.indexOf('stagnation.detected') + 1);
export const eventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

export const systemEventTypes = [
  'measure.expired',
  'deadline.missed',
  'stability.reviewDue',
  'stagnation.detected',
] as const satisfies readonly EventType[];
export type SystemEventType = (typeof systemEventTypes)[number];

/** The events of the family's own view (issue 15): managed in a panel of their own, not the family's event forms. */
export const familyViewEventTypes = [
  'member-access.granted',
  'member-access.revoked',
  'plan.responded',
  'member.shielded',
] as const satisfies readonly EventType[];

/**
 * Events sent through a route of their own rather than `POST /families/{id}/events`: access is granted
 * with a code only the server makes (`POST /families/{id}/member-access`), revoked with
 * `DELETE /families/{id}/member-access/{memberId}`, and a member answers the plan with
 * `POST /my-family/responses`.
 */
export const routedEventTypes = [
  'member-access.granted',
  'member-access.revoked',
  'plan.responded',
] as const satisfies readonly EventType[];
export type UserEventType = Exclude<EventType, SystemEventType>;

/** Decision events must carry a motivation (`reason`). */
export const decisionEventTypes = [
  'assessment.completed',
  'investigation.completed',
  'directSafety.achieved',
  'stability.confirmed',
  'recovery.completed',
  'case.closed',
  'handover.offered',
  'handover.accepted',
  'handover.declined',
  'escalation.raised',
  'escalation.resolved',
  'monitoring.takenBack',
  'case.upgraded',
] as const satisfies readonly EventType[];

export type PayloadOf<T extends EventType> = z.output<(typeof payloadSchemas)[T]>;
export type PayloadInputOf<T extends EventType> = z.input<(typeof payloadSchemas)[T]>;

/** The user the payload names (`directorId`), with the roles they held when the event was recorded. */
export const namedUserSchema = z.object({ id: z.string().min(1).max(100), roles: z.array(roleSchema) });
export type NamedUser = z.infer<typeof namedUserSchema>;

const envelopeBase = {
  reason: longText.optional(),
  actor: actorSchema,
  /** When the system recorded the event (server clock). */
  recordedAt: isoDateTime,
  /** When it happened in the world, where that differs (incidents, reports received earlier). */
  occurredAt: isoDateTime.optional(),
  /** Resolved by the server for events whose payload names a user; recorded so replay is deterministic. */
  named: namedUserSchema.optional(),
};

function envelopeOf<T extends EventType>(type: T) {
  return z.object({ type: z.literal(type), payload: payloadSchemas[type], ...envelopeBase });
}

/** The event envelope as the machine receives it and the event store records it. */
export const familyEventSchema = z.discriminatedUnion(
  'type',
  eventTypes.map((t) => envelopeOf(t)) as unknown as [
    ReturnType<typeof envelopeOf<EventType>>,
    ...ReturnType<typeof envelopeOf<EventType>>[],
  ],
);

export type FamilyEventOf<T extends EventType> = {
  type: T;
  payload: PayloadOf<T>;
  reason?: string;
  actor: z.infer<typeof actorSchema>;
  recordedAt: string;
  occurredAt?: string;
  named?: NamedUser;
};
export type FamilyEvent = { [T in EventType]: FamilyEventOf<T> }[EventType];

/** Parses a payload for a type; returns zod issues with their paths on failure. */
export function parsePayload<T extends EventType>(type: T, payload: unknown) {
  return payloadSchemas[type].safeParse(payload ?? {}) as z.ZodSafeParseResult<PayloadOf<T>>;
}
