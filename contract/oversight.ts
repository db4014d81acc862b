import { z } from 'zod';
import { isoDateTime } from '../machines/schemas/common.ts';
import { dateOrInstant, idSchema, municipalitySchema, pageQuery } from './common.ts';
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
    declinedHandover: z.object({ declinedBy: userRefSchema, at: isoDateTime }).nullable(),
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
