import { z } from 'zod';
import { isoDateTime, localId, longText, phaseNameSchema, shortText, type PhaseName } from '../schemas/common.ts';
export { phaseNames, phaseNameSchema, type PhaseName } from '../schemas/common.ts';
import {
  closeReason,
  decision,
  escalationTarget,
  measureKind,
  memberKind,
  reportSource,
  severity,
  timerKind,
} from '../schemas/events.ts';

// The case's facts besides the state value. Plain JSON only (the database stores it as is), instants
// normalised to UTC, ids from a counter so that replaying a history reproduces them exactly.


const userId = z.string().min(1).max(100);

export const memberSchema = z.object({
  id: localId,
  alias: z.string(),
  kind: memberKind,
  birthYear: z.int(),
  addedAt: isoDateTime,
});

export const reportSchema = z.object({
  id: localId,
  cycle: z.int(),
  source: reportSource,
  acute: z.boolean(),
  summary: longText,
  violenceForms: z.array(shortText),
  /** The report date: when VT received it (may precede recording). */
  receivedAt: isoDateTime,
  recordedAt: isoDateTime,
  /** Received while the case waited for or was in its safety assessment (it joins that assessment's deadline). */
  intake: z.boolean(),
});

export const decisionRecordSchema = z.object({
  id: localId,
  cycle: z.int(),
  kind: z.enum(['assessment', 'investigation']),
  decision,
  acute: z.boolean(),
  structural: z.boolean(),
  at: isoDateTime,
  by: userId,
  directorId: userId.nullable(),
});

export const conditionSchema = z.object({
  id: localId,
  cycle: z.int(),
  description: shortText,
  dueAt: isoDateTime.nullable(),
  /** `withdrawn`: still open when the case closed. */
  status: z.enum(['open', 'met', 'withdrawn']),
  setAt: isoDateTime,
  lastCheckedAt: isoDateTime.nullable(),
  lastResult: z.boolean().nullable(),
  /** v2: `false` when the director keeps it out of the family's own view (absent: shown). */
  visibleToFamily: z.boolean().optional(),
});

export const safetyPlanSchema = z.object({
  version: z.int().min(1),
  agreedAt: isoDateTime,
  revisedAt: isoDateTime.nullable(),
  agreements: z.array(
    z.object({
      id: localId,
      description: shortText,
      responsible: shortText,
      coversConditionIds: z.array(localId),
      /** v2: `false` when kept out of the family's own view (absent: shown). */
      visibleToFamily: z.boolean().optional(),
    }),
  ),
  participants: z.array(z.union([z.object({ memberId: localId }), z.object({ professional: shortText })])),
  childPerspectives: z.array(
    z.object({ memberId: localId, perspective: longText, visibleToFamily: z.boolean().optional() }),
  ),
});

export const incidentSchema = z.object({
  id: localId,
  occurredAt: isoDateTime,
  recordedAt: isoDateTime,
  severity,
  description: longText,
  phase: phaseNameSchema,
});

export const measureSchema = z.object({
  id: localId,
  kind: measureKind,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  /** The end set at imposition; `endsAt` moves with extensions. */
  initialEndsAt: isoDateTime,
  extensions: z.array(z.object({ endsAt: isoDateTime, recordedAt: isoDateTime })),
  status: z.enum(['active', 'ended', 'expired']),
  endedAt: isoDateTime.nullable(),
});

export const handoverSchema = z.object({
  id: localId,
  /** `team`: Veilig Thuis hands over to a local-team director; `director`: one director to another. */
  kind: z.enum(['team', 'director']),
  fromId: userId.nullable(),
  toId: userId,
  offeredBy: userId,
  offeredAt: isoDateTime,
  outcome: z.enum(['pending', 'accepted', 'declined', 'cancelled']),
  respondedAt: isoDateTime.nullable(),
});

export const checkSchema = z.object({
  id: localId,
  recordedAt: isoDateTime,
  by: userId,
  results: z.array(z.object({ conditionId: localId, met: z.boolean() })),
  notes: longText.nullable(),
});

export const escalationSchema = z.object({
  id: localId,
  to: escalationTarget,
  raisedAt: isoDateTime,
  raisedBy: userId,
  reason: longText.nullable(),
  resolvedAt: isoDateTime.nullable(),
});

export const stabilityConfirmationSchema = z.object({
  id: localId,
  at: isoDateTime,
  recordedAt: isoDateTime,
  /** Start of the incident-free period that was assessed. */
  since: isoDateTime,
  participants: z.array(z.object({ memberId: localId, absentReason: shortText.optional() })),
  professionals: z.array(shortText),
});

export const familyContextSchema = z.object({
  /** Counter for ids inside the case (m1, c2, x3, …). */
  nextId: z.int().min(1),
  /** How often the case was opened: 1 after the first report, +1 per reopening after closure. */
  cycle: z.int().min(0),
  /** Every entry into a phase (the last one is the current phase): time per phase and stagnation. */
  phaseHistory: z.array(z.object({ phase: phaseNameSchema, at: isoDateTime })),
  members: z.array(memberSchema),
  reports: z.array(reportSchema),
  assessmentsStarted: z.array(z.object({ cycle: z.int(), at: isoDateTime, by: userId })),
  decisions: z.array(decisionRecordSchema),
  conditions: z.array(conditionSchema),
  safetyPlan: safetyPlanSchema.nullable(),
  planRevisionRequired: z.boolean(),
  incidents: z.array(incidentSchema),
  measures: z.array(measureSchema),
  /** The one case director. A second person can only be a pending handover's receiver, never a director. */
  caseDirectorId: userId.nullable(),
  handovers: z.array(handoverSchema),
  /** When follow-up of the conditions (re)started: the anchor of periodic monitoring checks. */
  followUpStarts: z.array(isoDateTime),
  checks: z.array(checkSchema),
  escalations: z.array(escalationSchema),
  stabilityConfirmations: z.array(stabilityConfirmationSchema),
  closures: z.array(
    z.object({
      cycle: z.int(),
      at: isoDateTime,
      by: userId,
      reasonCode: z.union([closeReason, z.literal('decision'), z.literal('recoveryCompleted')]),
    }),
  ),
  signals: z.object({
    missed: z.array(
      z.object({ kind: timerKind, ref: z.string(), dueAt: isoDateTime, recordedAt: isoDateTime }),
    ),
    reviewsDue: z.array(z.object({ dueAt: isoDateTime, recordedAt: isoDateTime })),
    stagnation: z.array(
      z.object({ phase: z.string(), since: isoDateTime, dueAt: isoDateTime, recordedAt: isoDateTime }),
    ),
  }),
});

export type FamilyContext = z.infer<typeof familyContextSchema>;
export type Member = z.infer<typeof memberSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type Handover = z.infer<typeof handoverSchema>;

export function emptyContext(): FamilyContext {
  return {
    nextId: 1,
    cycle: 0,
    phaseHistory: [],
    members: [],
    reports: [],
    assessmentsStarted: [],
    decisions: [],
    conditions: [],
    safetyPlan: null,
    planRevisionRequired: false,
    incidents: [],
    measures: [],
    caseDirectorId: null,
    handovers: [],
    followUpStarts: [],
    checks: [],
    escalations: [],
    stabilityConfirmations: [],
    closures: [],
    signals: { missed: [], reviewsDue: [], stagnation: [] },
  };
}

export function currentPhase(ctx: FamilyContext): PhaseName {
  return ctx.phaseHistory.at(-1)?.phase ?? 'reported';
}

export function pendingHandover(ctx: FamilyContext): Handover | null {
  const last = ctx.handovers.at(-1);
  return last && last.outcome === 'pending' ? last : null;
}

export function openConditions(ctx: FamilyContext): Condition[] {
  return ctx.conditions.filter((c) => c.status === 'open');
}
