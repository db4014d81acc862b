import { z } from 'zod';
import { actorSchema, isoDateTime, localId, longText, roleSchema, shortText } from './common.ts';

// The machine's own language: one zod schema per event payload, shared by server and client.

export const reportSource = z.enum(['police', 'professional', 'citizen', 'anonymous', 'other']);
export const memberKind = z.enum(['adult', 'child']);

/** A household member (directbetrokkene). Minimised by design: an alias and a birth year, nothing else. */
export const memberInput = z.object({
  alias: z.string().trim().min(1).max(80),
  kind: memberKind,
  birthYear: z.int().min(1900).max(2100),
});
export type MemberInput = z.infer<typeof memberInput>;

export const conditionInput = z.object({
  description: shortText,
  dueAt: isoDateTime.optional(),
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

export const assessmentCompletedPayload = z.object({
  decision,
  acute: z.boolean(),
  structural: z.boolean(),
  directorId: z.string().min(1).max(100).optional(),
  conditions: z.array(conditionInput).max(50).default([]),
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
      }),
    )
    .max(100),
  participants: z.array(participant).max(50),
  childPerspectives: z.array(z.object({ memberId: localId, perspective: longText })).max(30).default([]),
});

export const incidentReportedPayload = z.object({
  occurredAt: isoDateTime,
  severity,
  description: longText,
});

export const stabilityConfirmedPayload = z.object({
  riskFactorsResolved: z.boolean(),
  participants: z
    .array(z.object({ memberId: localId, absentReason: shortText.optional() }).strict())
    .max(30),
  professionals: z.array(shortText).max(30).default([]),
});

export const caseClosedPayload = z.object({ reasonCode: closeReason });

export const checkRecordedPayload = z.object({
  results: z.array(z.object({ conditionId: localId, met: z.boolean() })).min(1).max(50),
  notes: longText.optional(),
});

export const escalationRaisedPayload = z.object({ to: escalationTarget });

export const measureImposedPayload = z.object({ kind: measureKind, startsAt: isoDateTime, endsAt: isoDateTime });
export const measureExtendedPayload = z.object({ measureId: localId, endsAt: isoDateTime });
export const measureEndedPayload = z.object({ measureId: localId });

// System events, written by the scheduler when a durable timer falls due.
export const timerKind = z.enum([
  'assessment',
  'investigation',
  'handoverAcceptance',
  'measureEnd',
  'monitoringCheck',
  'stabilityReview',
  'stagnation',
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
  'recovery.completed': empty,
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
} as const;

export type EventType = keyof typeof payloadSchemas;
export const eventTypes = Object.keys(payloadSchemas) as EventType[];
export const eventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

export const systemEventTypes = [
  'measure.expired',
  'deadline.missed',
  'stability.reviewDue',
  'stagnation.detected',
] as const satisfies readonly EventType[];
export type SystemEventType = (typeof systemEventTypes)[number];
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
