import { addDays, addWorkingDays, type Norms } from '../../machines/index.ts';
import { kpiPhases, type Kpi, type Kpis } from '../../machines/schemas/api.ts';
import type { FamilyRecord } from '../engine/index.ts';
import type { KpiData, KpiEventRow } from '../db/queries.ts';

// The figures the alderman asked to be watched (waiting times first), computed from the event
// history: each event row carries the state after it, so phase entries and exits, waiting starts
// and decisions can be read off one ordered pass per family. Each figure carries its definition.

const DAY_MS = 86_400_000;

type Def = { nl: string; en: string };

export const definitions = {
  waitingCount: {
    nl: 'Aantal gezinnen dat nu op de wachtlijst staat: melding ontvangen, veiligheidsbeoordeling nog niet gestart.',
    en: 'Number of families on the waiting list now: report received, safety assessment not yet started.',
  },
  waitingOldest: {
    nl: 'Dagen dat het langst wachtende gezin op de wachtlijst staat, gerekend vanaf de ontvangst van de melding.',
    en: 'Days the longest-waiting family has been on the waiting list, counted from receipt of the report.',
  },
  waitMedian: {
    nl: 'Mediaan van de dagen tussen ontvangst van de melding en de start van de veiligheidsbeoordeling, voor beoordelingen gestart in de periode.',
    en: 'Median days between receipt of the report and the start of the safety assessment, for assessments started in the period.',
  },
  waitP90: {
    nl: '90e percentiel van de dagen tussen ontvangst van de melding en de start van de veiligheidsbeoordeling, voor beoordelingen gestart in de periode.',
    en: '90th percentile of the days between receipt of the report and the start of the safety assessment, for assessments started in the period.',
  },
  assessedInTime: {
    nl: 'Aandeel veiligheidsbeoordelingen afgerond in de periode binnen de termijn (5 werkdagen, acuut 24 uur, vanaf de eerste melding).',
    en: 'Share of safety assessments completed in the period within the deadline (5 working days, acute 24 hours, from the first report).',
  },
  investigationsInTime: {
    nl: 'Aandeel onderzoeken afgerond in de periode binnen 10 weken na het besluit tot onderzoek.',
    en: 'Share of investigations concluded in the period within 10 weeks of the decision to investigate.',
  },
  phase: (phase: string): Def => ({
    nl: `Mediaan van het aantal dagen in de fase ${phase}, voor verblijven in die fase die in de periode eindigden.`,
    en: `Median number of days in the phase ${phase}, for stays in that phase that ended in the period.`,
  }),
  incidentsAfterStable: {
    nl: 'Aantal incidenten gemeld in de periode bij gezinnen die in stabiele veiligheid of herstel waren.',
    en: 'Number of incidents reported in the period for families that were in stable safety or recovery.',
  },
  repeatReports: {
    nl: 'Aantal herhaalde meldingen in de periode: een nieuwe melding over een gezin waarvan de zaak al was afgesloten.',
    en: 'Number of repeat reports in the period: a new report about a family whose case had already been closed.',
  },
  escalations: {
    nl: 'Aantal escalaties (MDA++, Zorg- en Veiligheidshuis, Raad voor de Kinderbescherming) in de periode.',
    en: 'Number of escalations (MDA++, Safety House, Child Protection Board) raised in the period.',
  },
  stagnation: {
    nl: 'Aantal stagnatiesignalen in de periode: een fase duurde langer dan haar norm.',
    en: 'Number of stagnation signals in the period: a phase lasted longer than its norm.',
  },
} as const;

function kpi(value: number | null, unit: Kpi['unit'], basis: number, definition: Def): Kpi {
  return { value: value === null ? null : Math.round(value * 1000) / 1000, unit, basis, definition };
}

/** Nearest-rank percentile (the value at or below which p % of the sorted values lie). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const topPhase = (phase: string) => phase.split('.')[0] ?? phase;

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** The start of the current wait: the earliest report of the case's current cycle. */
function waitingSince(f: FamilyRecord): string {
  const ctx = f.snapshot.context;
  const reports = ctx.reports.filter((r) => r.cycle === ctx.cycle);
  return reports.reduce((min, r) => (r.receivedAt < min ? r.receivedAt : min), reports[0]?.receivedAt ?? f.reportedAt);
}

type Tally = {
  waits: number[];
  assessed: number;
  assessedInTime: number;
  investigations: number;
  investigationsInTime: number;
  phaseDays: Map<string, number[]>;
  incidentsAfterStable: number;
  repeatReports: number;
  escalations: number;
  stagnation: number;
};

function tallyFamily(events: readonly KpiEventRow[], from: number, to: number, norms: Norms, t: Tally): void {
  let prevPhase: string | null = null;
  let phaseSince: number | null = null;
  let waitStart: number | null = null;
  let assessmentDue: number | null = null;
  let investigationDue: number | null = null;
  for (const e of events) {
    const at = e.recordedAt.getTime();
    const inPeriod = at >= from && at <= to;
    const phase = topPhase(parseJson<{ phase: string }>(e.stateAfter)?.phase ?? prevPhase ?? 'reported');
    switch (e.type) {
      case 'report.received': {
        const received = (e.occurredAt ?? e.recordedAt).toISOString();
        if (phase === 'reported' && prevPhase !== 'reported') waitStart = Date.parse(received);
        if (inPeriod && prevPhase === 'closed') t.repeatReports++;
        // Reports received while waiting or in assessment join that assessment's deadline.
        if (phase === 'reported' || phase === 'assessment') {
          const acute = parseJson<{ acute?: boolean }>(e.payload)?.acute === true;
          const due = acute
            ? Date.parse(received) + norms.acuteAssessmentHours * 3_600_000
            : Date.parse(addWorkingDays(received, norms.assessmentWorkingDays, norms.holidays));
          assessmentDue = assessmentDue === null ? due : Math.min(assessmentDue, due);
        }
        break;
      }
      case 'assessment.started':
        if (inPeriod && waitStart !== null) t.waits.push((at - waitStart) / DAY_MS);
        waitStart = null;
        break;
      case 'assessment.completed':
        if (inPeriod && assessmentDue !== null) {
          t.assessed++;
          if (at <= assessmentDue) t.assessedInTime++;
        }
        assessmentDue = null;
        break;
      case 'investigation.completed':
        if (inPeriod && investigationDue !== null) {
          t.investigations++;
          if (at <= investigationDue) t.investigationsInTime++;
        }
        investigationDue = null;
        break;
      case 'incident.reported':
        if (inPeriod && (prevPhase === 'stableSafety' || prevPhase === 'recovery')) t.incidentsAfterStable++;
        break;
      case 'escalation.raised':
        if (inPeriod) t.escalations++;
        break;
      case 'stagnation.detected':
        if (inPeriod) t.stagnation++;
        break;
      default:
        break;
    }
    if (phase === 'closed' && prevPhase !== 'closed') assessmentDue = null;
    if (phase !== prevPhase) {
      if (prevPhase !== null && phaseSince !== null && inPeriod && prevPhase !== 'closed') {
        const list = t.phaseDays.get(prevPhase) ?? [];
        list.push((at - phaseSince) / DAY_MS);
        t.phaseDays.set(prevPhase, list);
      }
      if (phase === 'investigation') investigationDue = Date.parse(addDays(e.recordedAt.toISOString(), norms.investigationWeeks * 7));
      prevPhase = phase;
      phaseSince = at;
    }
  }
}

export function computeKpis(
  data: KpiData,
  scope: { from: Date; to: Date; municipality?: string },
  norms: Norms,
  now: Date,
): Kpis {
  const t: Tally = {
    waits: [],
    assessed: 0,
    assessedInTime: 0,
    investigations: 0,
    investigationsInTime: 0,
    phaseDays: new Map(),
    incidentsAfterStable: 0,
    repeatReports: 0,
    escalations: 0,
    stagnation: 0,
  };
  const from = scope.from.getTime();
  const to = scope.to.getTime();
  let start = 0;
  for (let i = 1; i <= data.events.length; i++) {
    if (i === data.events.length || data.events[i]!.familyId !== data.events[start]!.familyId) {
      tallyFamily(data.events.slice(start, i), from, to, norms, t);
      start = i;
    }
  }

  const oldest = data.waiting.map(waitingSince).sort()[0] ?? null;
  const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  return {
    from: scope.from.toISOString(),
    to: scope.to.toISOString(),
    municipality: scope.municipality ?? null,
    generatedAt: now.toISOString(),
    waitingList: {
      count: kpi(data.waiting.length, 'count', data.waiting.length, definitions.waitingCount),
      oldestDays: kpi(oldest ? Math.max(0, (now.getTime() - Date.parse(oldest)) / DAY_MS) : null, 'days', data.waiting.length, definitions.waitingOldest),
      oldestSince: oldest,
    },
    assessmentWait: {
      median: kpi(median(t.waits), 'days', t.waits.length, definitions.waitMedian),
      p90: kpi(percentile(t.waits, 90), 'days', t.waits.length, definitions.waitP90),
    },
    assessedWithinDeadline: kpi(share(t.assessedInTime, t.assessed), 'share', t.assessed, definitions.assessedInTime),
    investigationsWithinTenWeeks: kpi(
      share(t.investigationsInTime, t.investigations),
      'share',
      t.investigations,
      definitions.investigationsInTime,
    ),
    timePerPhase: Object.fromEntries(
      kpiPhases.map((p) => {
        const days = t.phaseDays.get(p) ?? [];
        return [p, kpi(median(days), 'days', days.length, definitions.phase(p))];
      }),
    ) as Kpis['timePerPhase'],
    incidentsAfterStableSafety: kpi(t.incidentsAfterStable, 'count', t.incidentsAfterStable, definitions.incidentsAfterStable),
    repeatReports: kpi(t.repeatReports, 'count', t.repeatReports, definitions.repeatReports),
    escalations: kpi(t.escalations, 'count', t.escalations, definitions.escalations),
    stagnationSignals: kpi(t.stagnation, 'count', t.stagnation, definitions.stagnation),
  };
}
