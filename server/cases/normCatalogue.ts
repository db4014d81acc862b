import { z } from 'zod';
import { defaultNorms, type Norms } from '../../machines/index.ts';
import type { NormUnit } from '../../contract/index.ts';
import type { Db } from '../db/index.ts';
import { DEFAULT_ABSOLUTE_HOURS, DEFAULT_IDLE_MINUTES, SESSION_ABSOLUTE_NORM, SESSION_IDLE_NORM } from '../auth/sessions.ts';
import { loadNorms, normValue } from '../engine/norms.ts';

// Every norm an administrator may set (DOMAIN.md "Legal and protocol timers", the stagnation signals,
// the holidays and the session timeouts): its key in the Norm table, unit, bounds, source and how to
// read its value from the machine's norms. Keys with a dot set one field of a nested norm
// (`stagnationDays.investigation`); engine/norms.ts merges them over the defaults.

export type NormValue = number | boolean | string | string[];

export type NormDefinition = {
  key: string;
  unit: NormUnit;
  source: string;
  /** The value's schema (bounds and type as the machine's normsSchema has them). */
  schema: z.ZodType<NormValue>;
  min: number | null;
  max: number | null;
  options: string[] | null;
  defaultValue: NormValue;
  /** The value in force, from the merged norms (machine norms) or the stored row (session norms). */
  current: (norms: Norms, stored: string | null) => NormValue;
};

const int = (min: number, max: number) => z.int().min(min).max(max);

function machineNorm(
  key: string,
  unit: NormUnit,
  source: string,
  min: number,
  max: number,
  read: (n: Norms) => number,
): NormDefinition {
  return { key, unit, source, schema: int(min, max), min, max, options: null, defaultValue: read(defaultNorms), current: (n) => read(n) };
}

const PROTOCOL = 'Handelingsprotocol Veilig Thuis';
const REGIONAL = 'Regional norm (configurable)';

const stagnation = (phase: keyof Norms['stagnationDays'], source: string) =>
  machineNorm(`stagnationDays.${phase}`, 'calendarDays', source, 1, 3650, (n) => n.stagnationDays[phase]);

/** Reads a stored session norm (a positive number), else the default. */
function sessionNorm(key: string, unit: NormUnit, min: number, max: number, fallback: number): NormDefinition {
  return {
    key,
    unit,
    source: 'Security baseline (BIO): sessions end when idle and after a working day',
    schema: int(min, max),
    min,
    max,
    options: null,
    defaultValue: fallback,
    current: (_n, stored) => {
      if (stored === null) return fallback;
      try {
        // As auth/sessions.ts reads it: any positive number counts.
        const v = Number(JSON.parse(stored));
        return Number.isFinite(v) && v > 0 ? v : fallback;
      } catch {
        return fallback;
      }
    },
  };
}

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a date');

export const normCatalogue: readonly NormDefinition[] = [
  machineNorm('assessmentWorkingDays', 'workingDays', `${PROTOCOL}; national target 90 % in time`, 1, 60, (n) => n.assessmentWorkingDays),
  machineNorm('acuteAssessmentHours', 'hours', PROTOCOL, 1, 240, (n) => n.acuteAssessmentHours),
  machineNorm('investigationWeeks', 'weeks', 'Uitvoeringsbesluit Wmo 2015 art. 4.1.7; target 80 % in time', 1, 52, (n) => n.investigationWeeks),
  machineNorm('handoverAcceptanceWorkingDays', 'workingDays', PROTOCOL, 1, 60, (n) => n.handoverAcceptanceWorkingDays),
  machineNorm('monitoringIntervalMonths', 'months', `${PROTOCOL} (frequency regional)`, 1, 24, (n) => n.monitoringIntervalMonths),
  machineNorm('conditionCheckGraceWorkingDays', 'workingDays', REGIONAL, 0, 30, (n) => n.conditionCheckGraceWorkingDays),
  machineNorm('stabilityReviewMonths', 'months', 'Gefaseerd samenwerken aan veiligheid (seed 001): ≥ 6 months without incidents', 1, 60, (n) => n.stabilityReviewMonths),
  // familyCase@2 (issue 14)
  machineNorm('interimContactWorkingDays', 'workingDays', `${REGIONAL}; seed 000: nobody waits without contact`, 1, 60, (n) => n.interimContactWorkingDays),
  machineNorm('feedbackWorkingDays', 'workingDays', `${PROTOCOL}: feedback to the reporter and the household`, 1, 60, (n) => n.feedbackWorkingDays),
  machineNorm('firstContactWorkingDays', 'workingDays', `${REGIONAL}; seed 001 §3.1`, 1, 60, (n) => n.firstContactWorkingDays),
  machineNorm('firstPlanWeeks', 'weeks', `${REGIONAL}; seed 001 §3.1`, 1, 52, (n) => n.firstPlanWeeks),
  stagnation('reported', `${REGIONAL}; the assessment deadline is the sharper signal`),
  stagnation('assessment', REGIONAL),
  stagnation('investigation', 'Ten weeks (Wmo 2015) plus two'),
  stagnation('directSafety', 'Seed 001 timeline: stable safety organised by month 6–7'),
  stagnation('stableSafety', 'Seed 001: six months incident-free plus the joint assessment'),
  stagnation('recovery', 'Seed 001: the whole route takes 1.5–2 years on average'),
  {
    key: 'holidays.goodFriday',
    unit: 'yesNo',
    source: 'Algemene termijnenwet (Good Friday is not a general holiday)',
    schema: z.boolean(),
    min: null,
    max: null,
    options: null,
    defaultValue: defaultNorms.holidays.goodFriday,
    current: (n) => n.holidays.goodFriday,
  },
  {
    key: 'holidays.liberationDay',
    unit: 'choice',
    source: 'Algemene termijnenwet; collective agreements (every year or every fifth year)',
    schema: z.enum(['everyYear', 'lustrum']),
    min: null,
    max: null,
    options: ['everyYear', 'lustrum'],
    defaultValue: defaultNorms.holidays.liberationDay,
    current: (n) => n.holidays.liberationDay,
  },
  {
    key: 'holidays.extra',
    unit: 'dates',
    source: REGIONAL,
    schema: z.array(localDate).max(200),
    min: null,
    max: null,
    options: null,
    defaultValue: defaultNorms.holidays.extra,
    current: (n) => n.holidays.extra,
  },
  sessionNorm(SESSION_IDLE_NORM, 'minutes', 5, 240, DEFAULT_IDLE_MINUTES),
  sessionNorm(SESSION_ABSOLUTE_NORM, 'hours', 1, 24, DEFAULT_ABSOLUTE_HOURS),
];

export function normDefinition(key: string): NormDefinition | undefined {
  return normCatalogue.find((n) => n.key === key);
}

/** Every norm's value in force now (through the norms cache). */
export async function currentNormValues(db: Db): Promise<Map<string, NormValue>> {
  const norms = await loadNorms(db);
  const out = new Map<string, NormValue>();
  for (const def of normCatalogue) out.set(def.key, def.current(norms, await normValue(db, def.key)));
  return out;
}
