import { z } from 'zod';
import { isoDateTime, localId, longText, roleSchema, shortText } from './common.ts';
import {
  decisionEventTypes,
  escalationTarget,
  eventTypeSchema,
  eventTypes,
  measureKind,
  memberInput,
  payloadSchemas,
  reportSource,
  severity,
  systemEventTypes,
  type EventType,
  type UserEventType,
} from './events.ts';
import { allMunicipalities } from './regions.ts';

// The HTTP contract (v1) as zod schemas: the server validates with them, the client types its calls
// with them and the OpenAPI document is generated from them. `.meta({ id })` names a component in
// that document; only zod is imported so that the browser bundle can use this file too.

// ---------------------------------------------------------------- shared pieces

export const validationIssueSchema = z
  .object({ path: z.string(), message: z.string() })
  .meta({ id: 'ValidationIssue', description: 'One failed rule: a dotted path into the input and why it failed.' });

export const explanationSchema = z
  .object({ nl: z.string(), en: z.string() })
  .meta({ id: 'Explanation', description: 'A sentence in Dutch and English.' });

/** RFC 9457 problem details with the members the contract names. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(validationIssueSchema).optional(),
    currentVersion: z.int().optional(),
    guard: z.string().nullable().optional(),
    state: z.string().optional(),
    explanation: explanationSchema.optional(),
    retryAfter: z.int().optional(),
    errorId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'application/problem+json (RFC 9457).' });
export type Problem = z.infer<typeof problemSchema>;

export const municipalitySchema = z.enum(allMunicipalities as [string, ...string[]]);

/** Opaque identifiers in paths and query strings; never personal data. */
export const idSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'not a valid identifier');

export const familyIdParams = z.object({ id: idSchema });

const systemTypes: readonly string[] = systemEventTypes;
/** The event types people send (system events come from the scheduler only). */
export const userEventTypeSchema = z.enum(
  eventTypes.filter((t): t is UserEventType => !systemTypes.includes(t)) as [UserEventType, ...UserEventType[]],
);

// ---------------------------------------------------------------- session

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    region: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type ApiUser = z.infer<typeof userSchema>;

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const loginResponseSchema = z
  .object({
    token: z.string(),
    /** Extension: the synchronizer token to send as X-CSRF-Token with cookie-authenticated writes. */
    csrfToken: z.string(),
    expiresAt: isoDateTime,
    user: userSchema,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = userSchema
  .extend({ csrfToken: z.string() })
  .meta({ id: 'Me', description: 'The signed-in user; csrfToken lets a reloaded page write again.' });
export type MeResponse = z.infer<typeof meResponseSchema>;

// ---------------------------------------------------------------- families

export const createFamilySchema = z
  .object({
    reference: z.string().trim().min(1).max(64),
    municipality: municipalitySchema,
    source: reportSource,
    acute: z.boolean(),
    violenceForms: z.array(shortText).max(20),
    summary: longText,
    receivedAt: isoDateTime.optional(),
    members: z.array(memberInput).min(1).max(30),
  })
  .meta({ id: 'CreateFamily' });
export type CreateFamily = z.infer<typeof createFamilySchema>;

export const familyStateSchema = z
  .object({ phase: z.string(), oversight: z.string(), escalation: z.string() })
  .meta({ id: 'FamilyState', description: 'phase e.g. "directSafety.planning"; oversight; escalation.' });
export type FamilyState = z.infer<typeof familyStateSchema>;

export const userRefSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string() })
  .meta({ id: 'UserRef' });
export type UserRef = z.infer<typeof userRefSchema>;

/** Extension: the people a handover or decision can name as case director. */
export const directorsSchema = z
  .object({ items: z.array(userRefSchema.extend({ roles: z.array(roleSchema) })) })
  .meta({ id: 'Directors' });
export type Directors = z.infer<typeof directorsSchema>;

export const memberViewSchema = z
  .object({ id: localId, alias: z.string(), kind: z.enum(['adult', 'child']), birthYear: z.int() })
  .meta({ id: 'Member' });

export const conditionViewSchema = z
  .object({
    id: localId,
    description: z.string(),
    dueAt: isoDateTime.nullable(),
    status: z.string(),
    lastCheckedAt: isoDateTime.nullable(),
    lastResult: z.boolean().nullable(),
  })
  .meta({ id: 'Condition' });

export const safetyPlanViewSchema = z
  .object({
    version: z.int(),
    agreedAt: isoDateTime,
    revisedAt: isoDateTime.nullable(),
    agreements: z.array(
      z.object({
        id: localId,
        description: z.string(),
        responsible: z.string(),
        coversConditionIds: z.array(localId),
      }),
    ),
    participants: z.array(z.union([z.object({ memberId: localId }), z.object({ professional: z.string() })])),
    childPerspectives: z.array(z.object({ memberId: localId, perspective: z.string() })),
  })
  .meta({ id: 'SafetyPlan' });

export const incidentViewSchema = z
  .object({
    id: localId,
    occurredAt: isoDateTime,
    recordedAt: isoDateTime,
    severity,
    description: z.string(),
    phase: z.string(),
  })
  .meta({ id: 'Incident' });

export const measureViewSchema = z
  .object({
    id: localId,
    kind: measureKind,
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    status: z.string(),
    initialEndsAt: isoDateTime,
    endedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Measure' });

export const escalationViewSchema = z
  .object({
    id: localId,
    to: escalationTarget,
    raisedAt: isoDateTime,
    resolvedAt: isoDateTime.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'Escalation' });

export const deadlineSchema = z
  .object({
    kind: z.string(),
    ref: z.string(),
    dueAt: isoDateTime,
    status: z.enum(['open', 'met', 'missed']),
  })
  .meta({ id: 'Deadline' });
export type Deadline = z.infer<typeof deadlineSchema>;

export const incidentFreeSchema = z
  .object({
    since: isoDateTime.nullable(),
    days: z.number().nullable(),
    /** A calendar date (YYYY-MM-DD, Dutch time): from this day stable safety may be confirmed. */
    stableSafetyFrom: z.iso.date().nullable(),
  })
  .meta({ id: 'IncidentFree', description: 'The running incident-free period and when stable safety may be confirmed.' });

export const familyViewSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    municipality: z.string(),
    region: z.string(),
    version: z.int(),
    machineVersion: z.int(),
    state: familyStateSchema,
    caseDirector: userRefSchema.nullable(),
    /** Extension: the director a pending handover is offered to. */
    pendingDirector: userRefSchema.nullable(),
    acute: z.boolean(),
    reportedAt: isoDateTime,
    members: z.array(memberViewSchema),
    conditions: z.array(conditionViewSchema),
    safetyPlan: safetyPlanViewSchema.nullable(),
    planRevisionRequired: z.boolean(),
    incidents: z.array(incidentViewSchema),
    measures: z.array(measureViewSchema),
    escalations: z.array(escalationViewSchema),
    deadlines: z.array(deadlineSchema),
    incidentFree: incidentFreeSchema,
    allowedEvents: z.array(userEventTypeSchema),
    nextDueAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FamilyView' });
export type FamilyView = z.infer<typeof familyViewSchema>;

export const familySummarySchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    municipality: z.string(),
    version: z.int(),
    state: familyStateSchema,
    caseDirector: userRefSchema.nullable(),
    pendingDirector: userRefSchema.nullable(),
    acute: z.boolean(),
    reportedAt: isoDateTime,
    nextDueAt: isoDateTime.nullable(),
    /** Extension: the kind of deadline that falls due first (e.g. "assessment"). */
    nextDueKind: z.string().nullable(),
    overdue: z.boolean(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FamilySummary' });
export type FamilySummary = z.infer<typeof familySummarySchema>;

export const familyListSchema = z
  .object({ items: z.array(familySummarySchema), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'FamilyList' });
export type FamilyList = z.infer<typeof familyListSchema>;

const booleanQuery = z.enum(['true', 'false']);
const pageQuery = z.coerce.number().int().min(1).max(1_000_000).default(1);
const pageSizeQuery = z.coerce.number().int().min(1).max(100).default(20);

export const familyListQuerySchema = z
  .object({
    phase: z
      .string()
      .max(60)
      .regex(/^[A-Za-z]+(\.[A-Za-z]+)?$/, 'a phase such as "directSafety" or "directSafety.planning"')
      .optional(),
    municipality: municipalitySchema.optional(),
    director: z.literal('me').optional(),
    overdue: booleanQuery.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    page: pageQuery,
    pageSize: pageSizeQuery,
  })
  .strict();
export type FamilyListQuery = z.infer<typeof familyListQuerySchema>;

// ---------------------------------------------------------------- events

const eventRequestBase = {
  expectedVersion: z.int().min(0),
  reason: longText.optional(),
};

function eventRequestOf<T extends EventType>(type: T) {
  return z.object({ type: z.literal(type), payload: payloadSchemas[type], ...eventRequestBase });
}

const decisionTypes: readonly string[] = decisionEventTypes;

/** `{ type, expectedVersion, payload, reason? }`: the payload is checked against its type's schema. */
export const eventRequestSchema = z
  .discriminatedUnion(
    'type',
    eventTypes.map((t) => eventRequestOf(t)) as unknown as [
      ReturnType<typeof eventRequestOf<EventType>>,
      ...ReturnType<typeof eventRequestOf<EventType>>[],
    ],
  )
  .superRefine((value, ctx) => {
    if (decisionTypes.includes(value.type) && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'A decision needs a motivation (reason).' });
    }
  })
  .meta({ id: 'EventRequest', description: 'Decision events require reason (the motivation).' });
export type EventRequest = z.infer<typeof eventRequestSchema>;

export const historyActorSchema = z
  .union([
    z.object({ id: z.string(), username: z.string().nullable(), role: roleSchema }),
    z.object({ role: z.literal('system') }),
  ])
  .meta({ id: 'HistoryActor' });

export const historyEventSchema = z
  .object({
    seq: z.int(),
    type: eventTypeSchema,
    payload: z.unknown(),
    reason: z.string().nullable(),
    actor: historyActorSchema,
    named: z.object({ id: z.string(), roles: z.array(roleSchema) }).nullable(),
    recordedAt: isoDateTime,
    occurredAt: isoDateTime.nullable(),
    machineVersion: z.int(),
    stateAfter: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'HistoryEvent' });
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const historySchema = z.object({ events: z.array(historyEventSchema) }).meta({ id: 'History' });
export type History = z.infer<typeof historySchema>;

export const replayQuerySchema = z
  .object({ seq: z.coerce.number().int().min(1).max(1_000_000).optional() })
  .strict();

export const replaySchema = z
  .object({
    seq: z.int(),
    state: familyStateSchema,
    allowedEvents: z.array(userEventTypeSchema),
    /** Extension: whose alternatives allowedEvents lists (the next decider, else the last one). */
    allowedFor: z.object({ id: z.string(), role: z.string() }).nullable(),
    context: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Replay', description: 'Recomputed from events 1..seq, not read from a stored snapshot.' });
export type Replay = z.infer<typeof replaySchema>;

export const verifySchema = z
  .object({ valid: z.boolean(), events: z.int(), brokenAt: z.int().optional() })
  .meta({ id: 'Verify' });
export type Verify = z.infer<typeof verifySchema>;

// ---------------------------------------------------------------- oversight and figures

export const monitoringItemSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    municipality: z.string(),
    state: familyStateSchema,
    caseDirector: userRefSchema.nullable(),
    pendingDirector: userRefSchema.nullable(),
    conditions: z.array(conditionViewSchema),
    lastCheckAt: isoDateTime.nullable(),
    nextCheckDue: isoDateTime.nullable(),
    /** When oversight is handoverPending: the deadline for the receiving director to accept. */
    acceptanceDue: isoDateTime.nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: 'MonitoringItem' });

export type MonitoringItem = z.infer<typeof monitoringItemSchema>;

/** Extension: one page of the list (it is ordered overdue first, then by the earliest due date). */
export const monitoringQuerySchema = z
  .object({ page: pageQuery, pageSize: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
export type MonitoringQuery = z.infer<typeof monitoringQuerySchema>;

export const monitoringSchema = z
  .object({
    items: z.array(monitoringItemSchema),
    /** Extension: the number of families in the whole list, and which page `items` is. */
    total: z.int(),
    page: z.int(),
    pageSize: z.int(),
  })
  .meta({ id: 'Monitoring' });
export type Monitoring = z.infer<typeof monitoringSchema>;

/** A date (taken as 00:00 UTC) or an instant. */
export const dateOrInstant = z.union([isoDateTime, z.iso.date()]);

export const kpiQuerySchema = z
  .object({ from: dateOrInstant.optional(), to: dateOrInstant.optional(), municipality: municipalitySchema.optional() })
  .strict();
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const kpiSchema = z
  .object({
    value: z.number().nullable(),
    unit: z.enum(['count', 'days', 'share']),
    /** How many cases or events the figure is based on. */
    basis: z.int(),
    definition: explanationSchema,
  })
  .meta({ id: 'Kpi', description: 'A figure with its definition; value is null when there is nothing to measure.' });
export type Kpi = z.infer<typeof kpiSchema>;

export const kpiPhases = ['reported', 'assessment', 'investigation', 'directSafety', 'stableSafety', 'recovery'] as const;

export const kpisSchema = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    municipality: z.string().nullable(),
    generatedAt: isoDateTime,
    waitingList: z.object({ count: kpiSchema, oldestDays: kpiSchema, oldestSince: isoDateTime.nullable() }),
    assessmentWait: z.object({ median: kpiSchema, p90: kpiSchema }),
    assessedWithinDeadline: kpiSchema,
    investigationsWithinTenWeeks: kpiSchema,
    timePerPhase: z.object(Object.fromEntries(kpiPhases.map((p) => [p, kpiSchema])) as Record<(typeof kpiPhases)[number], typeof kpiSchema>),
    incidentsAfterStableSafety: kpiSchema,
    repeatReports: kpiSchema,
    escalations: kpiSchema,
    stagnationSignals: kpiSchema,
  })
  .meta({ id: 'Kpis' });
export type Kpis = z.infer<typeof kpisSchema>;

export const accessLogQuerySchema = z
  .object({
    familyId: idSchema.optional(),
    userId: idSchema.optional(),
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    page: pageQuery,
    pageSize: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AccessLogQuery = z.infer<typeof accessLogQuerySchema>;

export const accessLogRowSchema = z
  .object({
    id: z.int(),
    at: isoDateTime,
    userId: z.string().nullable(),
    username: z.string().nullable(),
    role: z.string().nullable(),
    familyId: z.string().nullable(),
    action: z.string(),
    result: z.string(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AccessLogRow' });
export type AccessLogRow = z.infer<typeof accessLogRowSchema>;

export const accessLogSchema = z
  .object({ items: z.array(accessLogRowSchema), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'AccessLog' });
export type AccessLogPage = z.infer<typeof accessLogSchema>;

// ---------------------------------------------------------------- operations

export const healthSchema = z
  .object({ status: z.literal('ok'), database: z.literal('ok') })
  .meta({ id: 'Health' });

export const clockSchema = z.object({ now: isoDateTime }).meta({ id: 'Clock' });

export const clockRequestSchema = z
  .union([
    z.object({ advanceDays: z.number().positive().max(3650) }).strict(),
    /** Extension: finer steps for session timeouts. */
    z.object({ advanceMinutes: z.number().positive().max(5_256_000) }).strict(),
    z.object({ set: isoDateTime }).strict(),
  ])
  .meta({ id: 'ClockRequest' });
export type ClockRequest = z.infer<typeof clockRequestSchema>;
