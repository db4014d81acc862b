import { z } from 'zod';

// Timer norms are regional/protocol choices, configurable by the admin and passed to the timer
// functions; they never change what the machine accepts (legal limits do: see legalLimits.ts).

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const stagnationNormsSchema = z.object({
  /** Waiting list: the assessment deadline itself is the sharper signal; this catches what it misses. */
  reported: z.int().min(1).max(3650).default(10),
  assessment: z.int().min(1).max(3650).default(10),
  /** Ten weeks is the legal norm; two weeks later a person should look at it. */
  investigation: z.int().min(1).max(3650).default(84),
  /** The seed's timeline: direct safety and a plan from month 0, stable safety organised by month 6–7. */
  directSafety: z.int().min(1).max(3650).default(92),
  /** Six months incident-free plus time for the joint assessment. */
  stableSafety: z.int().min(1).max(3650).default(274),
  /** The whole route takes 1.5–2 years on average. */
  recovery: z.int().min(1).max(3650).default(548),
});

export const normsSchema = z.object({
  assessmentWorkingDays: z.int().min(1).max(60).default(5),
  acuteAssessmentHours: z.int().min(1).max(240).default(24),
  investigationWeeks: z.int().min(1).max(52).default(10),
  handoverAcceptanceWorkingDays: z.int().min(1).max(60).default(5),
  /** Monitoring after a handover: a check at least every N calendar months until stable safety. */
  monitoringIntervalMonths: z.int().min(1).max(24).default(3),
  /** A check at a condition's due date may be recorded up to N working days after it. */
  conditionCheckGraceWorkingDays: z.int().min(0).max(30).default(2),
  /** In stable safety: a review reminder N calendar months after the latest incident (or report). */
  stabilityReviewMonths: z.int().min(1).max(60).default(6),
  // familyCase@2 (timersV2.ts)
  /** While a family waits (`reported`): interim contact at least every N working days. */
  interimContactWorkingDays: z.int().min(1).max(60).default(5),
  /** Feedback to the reporter and to the household within N working days after a decision. */
  feedbackWorkingDays: z.int().min(1).max(60).default(5),
  /** After an accepted handover: the new director's first contact within N working days. */
  firstContactWorkingDays: z.int().min(1).max(60).default(5),
  /** After an accepted handover: the first safety plan within N weeks. */
  firstPlanWeeks: z.int().min(1).max(52).default(6),
  /** Days a phase may last before the engine signals stagnation. */
  stagnationDays: stagnationNormsSchema.prefault({}),
  holidays: z
    .object({
      goodFriday: z.boolean().default(false),
      liberationDay: z.enum(['everyYear', 'lustrum']).default('everyYear'),
      extra: z.array(localDate).max(200).default([]),
    })
    .prefault({}),
});

/**
 * The norms in force now, and (`previous`) those an administrator has since replaced: before
 * `until`, `norms` applied. A deadline takes the norms in force when it started (`normsAt`), so a
 * change applies to deadlines started after it and never moves one already running.
 */
export type Norms = z.output<typeof normsSchema> & { readonly previous?: readonly NormsPeriod[] };
export type NormsPeriod = { readonly until: string; readonly norms: Norms };

/** The norms in force at `at` (an instant): the first replaced period that ends after it, else the current ones. */
export function normsAt(norms: Norms, at: string): Norms {
  if (!norms.previous || norms.previous.length === 0) return norms;
  const t = Date.parse(at);
  for (const p of norms.previous) if (t < Date.parse(p.until)) return p.norms;
  return norms;
}
export type NormsInput = z.input<typeof normsSchema>;

export const defaultNorms: Norms = normsSchema.parse({});
