import { z } from 'zod';
import { checkRequest, isoDateTime, localId, longText, roleSchema, shortText } from '../machines/schemas/common.ts';
import {
  escalationTarget,
  measureKind,
  memberInput,
  memberKind,
  reportSource,
  severity,
} from '../machines/schemas/events.ts';
import { explanationSchema } from './problem.ts';
import { booleanQuery, municipalitySchema, pageQuery, pageSizeQuery, userEventTypeSchema } from './common.ts';

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
  .superRefine(checkRequest) // text and instants a request may carry (machines/schemas/common.ts)
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
  .object({ id: localId, alias: z.string(), kind: memberKind, birthYear: z.int() })
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
  .meta({
    id: 'IncidentFree',
    description: 'The running incident-free period and when stable safety may be confirmed.',
  });

/** API.md "Additions to v1": an event the reader could send here but a rule refuses now. */
export const blockedEventSchema = z
  .object({
    type: userEventTypeSchema,
    guard: z.string().meta({ description: 'The rule that refuses it now.' }),
    message: explanationSchema.meta({
      description: 'Why, in Dutch and English, with dates as the reader writes them.',
    }),
    from: z.iso
      .date()
      .optional()
      .meta({ description: 'The date (Europe/Amsterdam) from which the rule lets it pass, where known.' }),
  })
  .meta({ id: 'BlockedEvent' });

/** Extension (issue 12): a recorded monitoring check, with who recorded it. */
export const checkViewSchema = z
  .object({
    id: localId.meta({ description: 'The check\'s id within the case.' }),
    recordedAt: isoDateTime.meta({ description: 'When the check was recorded.' }),
    by: userRefSchema.nullable().meta({ description: 'Who recorded it.' }),
    results: z
      .array(
        z.object({
          conditionId: localId.meta({ description: 'The condition checked.' }),
          met: z.boolean().meta({ description: 'Whether it was met.' }),
        }),
      )
      .meta({ description: 'Per condition checked, whether it was met (empty when the check has notes only).' }),
    notes: z.string().nullable().meta({ description: 'The notes of the check, or null.' }),
  })
  .meta({ id: 'MonitoringCheck', description: 'A monitoring check: per condition checked whether it was met, and notes.' });

export const phaseEntrySchema = z
  .object({
    phase: z.string().meta({ description: 'The phase entered, e.g. "directSafety".' }),
    at: isoDateTime.meta({ description: 'When it was entered.' }),
  })
  .meta({ id: 'PhaseEntry', description: 'An entry into a phase (the family\'s phase history, oldest first).' });

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
    /** Extension: every entry into a phase, oldest first (the family page's phase track). */
    phaseHistory: z.array(phaseEntrySchema).meta({ description: 'Extension: every entry into a phase, oldest first.' }),
    /** Extension: the monitoring checks recorded, oldest first. */
    checks: z.array(checkViewSchema).meta({ description: 'Extension: the monitoring checks recorded, oldest first.' }),
    allowedEvents: z.array(userEventTypeSchema),
    blockedEvents: z.array(blockedEventSchema),
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
    /** Which deadline is overdue (the earliest passed one), or null. */
    overdueKind: z.string().nullable(),
    /** Extension: when that deadline fell due, or null. */
    overdueSince: isoDateTime.nullable(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FamilySummary' });
export type FamilySummary = z.infer<typeof familySummarySchema>;

export const familyListSchema = z
  .object({ items: z.array(familySummarySchema), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'FamilyList' });
export type FamilyList = z.infer<typeof familyListSchema>;

/** The columns GET /families sorts by; `-` before one reverses it. Ties: reference, then id. */
export const FAMILY_SORT_KEYS = ['nextDueAt', 'reportedAt', 'reference', 'municipality', 'phase'] as const;
type FamilySortKey = (typeof FAMILY_SORT_KEYS)[number];
const familySorts = FAMILY_SORT_KEYS.flatMap((k) => [k, `-${k}` as const]) as [
  FamilySortKey | `-${FamilySortKey}`,
  ...(FamilySortKey | `-${FamilySortKey}`)[],
];
export const familySortSchema = z.enum(familySorts);
export type FamilySort = z.infer<typeof familySortSchema>;
/** `offeredToMe`: handovers offered to the caller (the director's inbox); `pending`: every pending handover. */
export const familyHandoverQuerySchema = z.enum(['offeredToMe', 'pending']);

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
    handover: familyHandoverQuerySchema.optional(),
    escalated: z.literal('true').optional(),
    sort: familySortSchema.default('nextDueAt'),
    q: z.string().trim().min(1).max(100).optional(),
    page: pageQuery,
    pageSize: pageSizeQuery,
  })
  .strict();
export type FamilyListQuery = z.infer<typeof familyListQuerySchema>;
