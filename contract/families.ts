import { z } from 'zod';
import { checkRequest, isoDateTime, localId, longText, roleSchema, shortText } from '../machines/schemas/common.ts';
import {
  conferenceKind,
  contactInterimPayload,
  escalationTarget,
  informChannel,
  measureKind,
  memberInput,
  memberKind,
  obstacle,
  planResponse,
  reportSource,
  riskFactorKind,
  riskFactorStatus,
  severity,
  traumaScreenedPayload,
  triageInstrument,
  urgency,
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
  .object({
    id: localId,
    alias: z.string(),
    kind: memberKind,
    birthYear: z.int(),
    expectedMonth: z
      .string()
      .nullable()
      .meta({ description: 'v2: for an unborn member the month the birth is expected (YYYY-MM); null for a born one.' }),
  })
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

/** A condition on the family's page: also whether the family's own view shows it. */
export const familyConditionViewSchema = conditionViewSchema
  .extend({
    visibleToFamily: z
      .boolean()
      .meta({ description: "v2: whether the family's own view shows it (false when the director kept it out); true for v1." }),
  })
  .meta({ id: 'FamilyCondition' });

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
        visibleToFamily: z.boolean().meta({ description: "Whether the family's own view shows it (v2)." }),
      }),
    ),
    participants: z.array(z.union([z.object({ memberId: localId }), z.object({ professional: z.string() })])),
    childPerspectives: z.array(
      z.object({
        memberId: localId,
        perspective: z.string(),
        visibleToFamily: z.boolean().meta({ description: "Whether the family's own view shows it (v2)." }),
      }),
    ),
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
    obstacles: z
      .array(obstacle)
      .meta({ description: 'v2: what stands in the way ("belemmerende factoren"); empty for a v1 family or when none were named.' }),
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
    recoveryAttention: z
      .boolean()
      .nullable()
      .meta({ description: 'v2: whether the check paid attention to recovery; null when not said (and for a v1 family).' }),
  })
  .meta({ id: 'MonitoringCheck', description: 'A monitoring check: per condition checked whether it was met, and notes.' });

export const phaseEntrySchema = z
  .object({
    phase: z.string().meta({ description: 'The phase entered, e.g. "directSafety".' }),
    at: isoDateTime.meta({ description: 'When it was entered.' }),
  })
  .meta({ id: 'PhaseEntry', description: 'An entry into a phase (the family\'s phase history, oldest first).' });

// ------------------------------------------------------------------ familyCase@2 facts (issue 14)
// Read from the v2 flat context (never from the history); a v1 family gives null or an empty list.

const d = (description: string) => ({ description });

export const triageViewSchema = z
  .object({
    urgency: urgency.meta(d('acute (24 hours), high or regular: orders the waiting list.')),
    instrument: triageInstrument.nullable().meta(d('The triage instrument used, or null.')),
    score: z.number().nullable().meta(d("The instrument's score, or null.")),
    notes: z.string().nullable().meta(d('The notes of the triage, or null.')),
    at: isoDateTime.meta(d('When the triage was recorded.')),
    by: userRefSchema.nullable().meta(d('Who recorded it.')),
  })
  .meta({ id: 'Triage', description: 'v2: the triage of the current report.' });

export const interimContactViewSchema = z
  .object({
    lastAt: isoDateTime.nullable().meta(d('When the latest interim contact was recorded, or null.')),
    with: contactInterimPayload.shape.with.nullable().meta(d('With whom that contact was, or null.')),
    dueAt: isoDateTime
      .nullable()
      .meta(d('While the family waits on the waiting list: when the next interim contact is due; otherwise null.')),
  })
  .meta({ id: 'InterimContact', description: 'v2: contact with a family waiting on the waiting list.' });

export const investigationViewSchema = z
  .object({
    status: z.enum(['waiting', 'ongoing']).meta(d('waiting: decided, not yet started; ongoing: started.')),
    startedAt: isoDateTime.nullable().meta(d('When Veilig Thuis started the investigation, or null while it waits.')),
  })
  .meta({ id: 'InvestigationProgress', description: "v2: Veilig Thuis's own investigation, while the family is in it." });

const givenSchema = z
  .object({
    at: isoDateTime.meta(d('When the feedback was given.')),
    channel: informChannel.meta(d('How it was given.')),
  })
  .meta({ id: 'FeedbackGiven', description: 'Feedback given after a decision.' });

export const feedbackViewSchema = z
  .object({
    reporter: givenSchema.nullable().meta(d('The latest feedback given to the reporter, or null.')),
    household: givenSchema.nullable().meta(d('The latest feedback given to the household, or null.')),
    owed: z
      .array(
        z
          .object({
            to: z.enum(['reporter', 'household']).meta(d('Who is owed feedback.')),
            dueAt: isoDateTime.meta(d('Until when it is due.')),
            missed: z.boolean().meta(d('Whether the deadline has passed unmet (a deadline.missed was recorded).')),
          })
          .meta({ id: 'FeedbackOwed', description: 'Feedback still owed after a decision.' }),
      )
      .meta(d('Feedback still owed after decisions, earliest first.')),
  })
  .meta({ id: 'Feedback', description: 'v2: feedback to the reporter and the household after decisions.' });

export const firstContactViewSchema = z
  .object({
    acceptedAt: isoDateTime.meta(d('When the local-team director accepted the handover.')),
    at: isoDateTime.nullable().meta(d('When the first contact was recorded, or null while it is owed.')),
    with: z.array(localId).meta(d("The members met (ids of this family's members); empty while owed.")),
    warm: z.boolean().nullable().meta(d('Whether it was together with Veilig Thuis (a warm handover); null while owed.')),
    dueAt: isoDateTime.nullable().meta(d('While owed: when the first contact is due; otherwise null.')),
    firstPlanAt: isoDateTime.nullable().meta(d('When the first safety plan after the handover was agreed, or null.')),
    firstPlanDueAt: isoDateTime.nullable().meta(d('While owed: when the first plan is due (6 weeks after acceptance); otherwise null.')),
  })
  .meta({ id: 'FirstContact', description: 'v2: after a handover, first contact and the first plan.' });

export const conferenceViewSchema = z
  .object({
    kind: conferenceKind.meta(d('The kind of case conference.')),
    heldAt: isoDateTime.meta(d('When it was held.')),
    withMandate: z.boolean().meta(d('Whether a professional with mandate took part.')),
    agreements: z
      .array(
        z
          .object({
            description: z.string().meta(d('What was agreed.')),
            responsible: z.string().meta(d('Who is responsible.')),
            dueAt: isoDateTime.nullable().meta(d('When it is due, or null.')),
          })
          .meta({ id: 'ConferenceAgreement', description: 'An agreement of a case conference.' }),
      )
      .meta(d('The agreements of the conference.')),
    nextAt: isoDateTime.nullable().meta(d('When the next conference is planned, or null.')),
  })
  .meta({ id: 'Conference', description: 'v2: the latest case conference.' });

export const riskFactorViewSchema = z
  .object({
    kind: riskFactorKind.meta(d('The kind of risk factor.')),
    status: riskFactorStatus.meta(d('present, reduced or resolved.')),
    notes: z.string().nullable().meta(d('Notes, or null.')),
    at: isoDateTime.meta(d('When the status was last recorded.')),
  })
  .meta({ id: 'RiskFactor', description: 'v2: a risk factor with its current status.' });

export const screeningViewSchema = z
  .object({
    memberId: localId.meta(d('The member screened.')),
    outcome: traumaScreenedPayload.shape.outcome.meta(d('The outcome of the screening.')),
    by: z.string().meta(d('Who screened: a professional or organisation, in words.')),
    at: isoDateTime.meta(d('When it was recorded.')),
  })
  .meta({ id: 'TraumaScreening', description: "v2: a member's latest trauma screening." });

export const excusedViewSchema = z
  .object({
    memberId: localId.meta(d('The member excused from a screening.')),
    reason: z.string().meta(d('Why.')),
  })
  .meta({ id: 'ScreeningExcused', description: 'v2: a member recovery was completed without a screening for.' });

export const memberAccessViewSchema = z
  .object({
    memberId: localId.meta(d('The member.')),
    eligible: z
      .boolean()
      .meta(d('Whether the member may get a code now: an adult, or a child of 12 or older (by birth year).')),
    access: z
      .object({
        grantedAt: isoDateTime.meta(d('When the latest code was issued.')),
        expiresAt: isoDateTime.meta(d('Until when that code opens (once).')),
        revokedAt: isoDateTime.nullable().meta(d('When the access was revoked or ended with the case; null while it lasts.')),
      })
      .nullable()
      .meta(d('The latest access given to the member, or null when none was ever given.')),
    shieldedFrom: z
      .array(localId)
      .meta(d("The members from whom this member's data is hidden in the family's view (member.shielded).")),
    response: z
      .object({
        planVersion: z.int().meta(d('The plan version answered.')),
        response: planResponse.meta(d('agree or disagree.')),
        comment: z.string().nullable().meta(d('The comment, or null.')),
        at: isoDateTime.meta(d('When the member answered.')),
      })
      .nullable()
      .meta(d("The member's latest answer to the safety plan (of any version), or null.")),
  })
  .meta({ id: 'MemberAccess', description: "v2: one member's access to the family's own view, shield and answer." });

export const familyAccessViewSchema = z
  .object({
    canManage: z
      .boolean()
      .meta(d("Whether the reader may give and revoke access and shield members now (the family's director, case open).")),
    members: z.array(memberAccessViewSchema).meta(d('Per member, in the order of the members.')),
  })
  .meta({ id: 'FamilyAccess', description: "v2: the family's own view as the director manages it (issue 15)." });

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
    conditions: z.array(familyConditionViewSchema),
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
    // familyCase@2 (issue 14): additive; a v1 family gives null or [].
    triage: triageViewSchema.nullable().meta(d('v2: the triage of the current report, or null.')),
    interimContact: interimContactViewSchema
      .nullable()
      .meta(d('v2: interim contact while waiting (the latest, the next due), or null when none applies.')),
    investigation: investigationViewSchema
      .nullable()
      .meta(d('v2: whether the investigation waits or has started, while the family is in it; otherwise null.')),
    feedback: feedbackViewSchema.nullable().meta(d('v2: feedback to the reporter and household; null for a v1 family.')),
    firstContact: firstContactViewSchema
      .nullable()
      .meta(d('v2: first contact and first plan after a handover to a local team, or null.')),
    conference: conferenceViewSchema.nullable().meta(d('v2: the latest case conference of the open case, or null.')),
    riskFactors: z.array(riskFactorViewSchema).meta(d('v2: the risk factors with their status; empty for v1.')),
    screenings: z.array(screeningViewSchema).meta(d('v2: the latest trauma screening per member; empty for v1.')),
    screeningExcused: z
      .array(excusedViewSchema)
      .meta(d('v2: members excused from a screening when recovery was completed; empty otherwise.')),
    familyAccess: familyAccessViewSchema
      .nullable()
      .meta(d("v2: members' access to the family's own view, shields and answers to the plan; null for a v1 family.")),
    planDisagreement: z
      .boolean()
      .meta(d('v2: a member disagrees with the current version of the safety plan (a signal; it never blocks the plan).')),
    allowedEvents: z
      .array(userEventTypeSchema)
      .meta(d("What the reader may send now through POST /families/{id}/events (the family's own view's events excepted: see familyAccess).")),
    blockedEvents: z.array(blockedEventSchema),
    nextDueAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FamilyView' });
export type FamilyView = z.infer<typeof familyViewSchema>;

/**
 * Extension: the answer to a write sent with `Prefer: return=minimal` (RFC 7240; an event, or a new
 * report): the family's new version and state, without the view (no names, allowed events, deadlines
 * or history), for a sender that does not show the family after its write. The same fields as in the view.
 */
export const familyReceiptSchema = z
  .object({
    id: z.string(),
    version: z.int(),
    machineVersion: z.int(),
    state: familyStateSchema,
    updatedAt: isoDateTime,
  })
  .meta({
    id: 'FamilyReceipt',
    description:
      'Extension: the family after a write sent with `Prefer: return=minimal` (its version, for the next `expectedVersion`, and its state); the same fields as in FamilyView.',
  });
export type FamilyReceipt = z.infer<typeof familyReceiptSchema>;

/** The familyCase@2 facts of the view (issue 14). */
export type FamilyV2Facts = Pick<
  FamilyView,
  | 'triage'
  | 'interimContact'
  | 'investigation'
  | 'feedback'
  | 'firstContact'
  | 'conference'
  | 'riskFactors'
  | 'screenings'
  | 'screeningExcused'
  | 'familyAccess'
  | 'planDisagreement'
>;

/** The familyCase@2 facts of a v1 family's view: nothing of v2 recorded. */
export const v1FamilyV2Facts = (): FamilyV2Facts => ({
  triage: null,
  interimContact: null,
  investigation: null,
  feedback: null,
  firstContact: null,
  conference: null,
  riskFactors: [],
  screenings: [],
  screeningExcused: [],
  familyAccess: null,
  planDisagreement: false,
});

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
    /** Extension (familyCase@2): the triage urgency, `acute` for an untriaged acute report, null when untriaged. */
    urgency: urgency.nullable().meta({
      description: 'The triage urgency (familyCase@2 triage.recorded); acute for an untriaged acute report; null when untriaged.',
    }),
    /** Extension: while the family waits (phase reported), since when (the earliest report of the current cycle). */
    waitingSince: isoDateTime.nullable().meta({ description: 'While the family is on the waiting list: the start of its wait.' }),
    /** Extension (issue 15): a member disagrees with the current safety plan. */
    planDisagreement: z.boolean().meta({
      description: "Extension (familyCase@2): a member disagrees with the current version of the safety plan (plan.responded); a signal, it never blocks the plan.",
    }),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FamilySummary' });
export type FamilySummary = z.infer<typeof familySummarySchema>;

export const familyListSchema = z
  .object({ items: z.array(familySummarySchema), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'FamilyList' });
export type FamilyList = z.infer<typeof familyListSchema>;

/**
 * The columns GET /families sorts by; `-` before one reverses it. Ties: reference, then id.
 * `waiting` is the waiting list's order (familyCase@2): waiting families first, by urgency (acute,
 * high, regular, untriaged), then the longest wait first.
 */
export const FAMILY_SORT_KEYS = ['nextDueAt', 'reportedAt', 'reference', 'municipality', 'phase', 'waiting'] as const;
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
