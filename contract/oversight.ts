import { z } from 'zod';
import { isoDateTime } from '../machines/schemas/common.ts';
import { escalationTarget, obstacle, timerKind } from '../machines/schemas/events.ts';
import { booleanQuery, dateOrInstant, idSchema, municipalitySchema, pageQuery } from './common.ts';
import { conditionViewSchema, familyStateSchema, userRefSchema } from './families.ts';
import { explanationSchema } from './problem.ts';

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
    /** Extension: the offer a director declined, which put the family back with VT (work to do: offer again). */
    declinedHandover: z
      .object({
        declinedBy: userRefSchema,
        at: isoDateTime,
        reason: z.string().nullable().meta({ description: 'The reason the director gave for declining (the motivation of handover.declined).' }),
      })
      .nullable(),
    /**
     * Extension (familyCase@2): the deadlines the scheduler recorded as missed (`deadline.missed`) that
     * are still owed, earliest first; a missed first contact or first plan puts the family at the top.
     */
    missedDeadlines: z
      .array(z.object({ kind: timerKind, dueAt: isoDateTime }))
      .meta({
        description:
          'familyCase@2 deadlines recorded as missed and still owed (interim contact, feedback, first contact, first plan, conference agreements, next conference), earliest first. Families with a missed first contact or first plan are listed first.',
      }),
    overdue: z.boolean(),
  })
  .meta({ id: 'MonitoringItem' });

export type MonitoringItem = z.infer<typeof monitoringItemSchema>;

/** Extension: one page of the list (missed first contacts and first plans first, then by the earliest due date). */
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

export const kpiQuerySchema = z
  .object({ from: dateOrInstant.optional(), to: dateOrInstant.optional(), municipality: municipalitySchema.optional() })
  .strict();
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const kpiSchema = z
  .object({
    value: z.number().nullable(),
    unit: z.enum(['count', 'days', 'workingDays', 'share', 'per10k']),
    /** How many cases or events the figure is based on. */
    basis: z.int(),
    /** The national norm for the figure, where it has one (a share: 0.9 is 90 %). */
    target: z.number().optional(),
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
    /** Extension: working days from a handover offer to its acceptance, for acceptances in the period. */
    handoverAcceptance: z.object({ median: kpiSchema, p90: kpiSchema }),
    /** Extension: reports received in the period, and per 10,000 inhabitants where the population is known. */
    reports: z.object({ count: kpiSchema, per10k: kpiSchema, population: z.int().nullable() }),
    /** Extension: escalations raised in the period by destination. */
    escalationsByDestination: z.object(
      Object.fromEntries(escalationTarget.options.map((t) => [t, kpiSchema])) as Record<EscalationTarget, typeof kpiSchema>,
    ),
    investigationStartWait: z.object({ median: kpiSchema, p90: kpiSchema }).meta({
      description: 'familyCase@2: days from the decision to investigate to investigation.started (median and 90th percentile), for investigations started in the period.',
    }),
    feedbackInTime: z.object({ reporter: kpiSchema, household: kpiSchema }).meta({
      description: 'familyCase@2: shares of the feedback to the reporter and to the household given in the period within the norm (5 working days after the decision).',
    }),
    daysWithoutHelp: z.object({ median: kpiSchema, p90: kpiSchema }).meta({
      description: '"Dagen zonder hulp" (familyCase@2): working days from a local team accepting a handover to its first contact (median and 90th percentile), for first contacts in the period.',
    }),
    incidentToConference: z.object({ median: kpiSchema, p90: kpiSchema }).meta({
      description: 'familyCase@2: working days from a serious incident to the next case conference (median and 90th percentile), for conferences recorded in the period.',
    }),
    obstacles: z
      .object({
        escalations: z
          .object(Object.fromEntries(obstacle.options.map((o) => [o, kpiSchema])) as Record<Obstacle, typeof kpiSchema>)
          .meta({ description: 'Escalations raised in the period naming each obstacle (an escalation may name several).' }),
        stagnation: z
          .object(Object.fromEntries([...obstacle.options, 'none'].map((o) => [o, kpiSchema])) as Record<Obstacle | 'none', typeof kpiSchema>)
          .meta({ description: 'Stagnation signals in the period by the obstacles of the escalations open at the time; `none`: no escalation open.' }),
      })
      .meta({ description: 'familyCase@2: escalations and stagnation signals by obstacle ("belemmerende factoren").' }),
  })
  .meta({ id: 'Kpis' });
export type Kpis = z.infer<typeof kpisSchema>;

export const accessLogQuerySchema = z
  .object({
    familyId: idSchema.optional(),
    userId: idSchema.optional(),
    /** Part of the user name or display name the table shows, case-insensitive, literal (`%` and `_` are characters). */
    username: z.string().trim().min(1).max(100).optional(),
    /** A family reference (as the table shows it). */
    reference: z.string().trim().min(1).max(100).optional(),
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    /** `true`: only reads and writes by users never assigned to the family. */
    unassigned: booleanQuery.optional(),
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
    /** The user's display name (null for an attempt without a user). */
    displayName: z.string().nullable(),
    role: z.string().nullable(),
    familyId: z.string().nullable(),
    familyReference: z.string().nullable(),
    /**
     * Whether the user was ever the family's director, was offered it, or works in Veilig Thuis for its
     * region; null when the row names no family or no user.
     */
    assigned: z.boolean().nullable(),
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

type EscalationTarget = z.infer<typeof escalationTarget>;
type Obstacle = z.infer<typeof obstacle>;

/** Extension: GET /kpis/municipalities, the waiting figures of each municipality the caller may see. */
export const municipalityKpiQuerySchema = z.object({ from: dateOrInstant.optional(), to: dateOrInstant.optional() }).strict();
export type MunicipalityKpiQuery = z.infer<typeof municipalityKpiQuerySchema>;

export const municipalityFiguresSchema = z
  .object({
    municipality: z.string(),
    /** Inhabitants on 1 January 2024 (CBS), or null when unknown. */
    population: z.int().nullable(),
    waitingCount: z.int(),
    waitingOldestDays: z.number().nullable(),
    waitMedianDays: z.number().nullable(),
    waitP90Days: z.number().nullable(),
    /** How many assessments started in the period (the basis of the two waits). */
    waitBasis: z.int(),
    assessedWithinDeadline: z.number().nullable(),
    /** How many assessments were completed in the period (the basis of the share). */
    assessedBasis: z.int(),
    reports: z.int(),
    reportsPer10k: z.number().nullable(),
  })
  .meta({ id: 'MunicipalityFigures' });
export type MunicipalityFigures = z.infer<typeof municipalityFiguresSchema>;

export const municipalityColumns = [
  'waitingCount',
  'waitingOldestDays',
  'waitMedianDays',
  'waitP90Days',
  'assessedWithinDeadline',
  'reports',
  'reportsPer10k',
] as const satisfies readonly (keyof MunicipalityFigures)[];

export const municipalityKpisSchema = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    generatedAt: isoDateTime,
    /** One row per municipality of the caller's region (all regions for an auditor), longest wait first. */
    municipalities: z.array(municipalityFiguresSchema),
    /** What each column means (NL/EN). */
    definitions: z.object(Object.fromEntries(municipalityColumns.map((c) => [c, explanationSchema])) as Record<(typeof municipalityColumns)[number], typeof explanationSchema>),
    /** The norm of the share assessed in time. */
    assessedTarget: z.number(),
  })
  .meta({ id: 'MunicipalityKpis' });
export type MunicipalityKpis = z.infer<typeof municipalityKpisSchema>;
