import { kpiPhases, type Kpi, type Kpis, type MunicipalityFigures, type MunicipalityKpis } from '../../contract/index.ts';
import { escalationTarget, obstacle } from '../../machines/schemas/events.ts';
import type { MunicipalityData } from '../db/kpiFacts.ts';
import type { KpiData, KpiSeries } from '../db/kpiFacts.ts';
import { escalationFactKind, escalationObstacleKind, phaseFactKind, stagnationObstacleKind, type KpiFactKind } from '../engine/projections.ts';

// The figures the alderman asked to be watched (waiting times first). They are aggregated from KPI
// facts, which the KPI fold (server/engine/projections.ts) derives from each event when it is
// written: a fact counts in a period when its event was recorded in it. Deadlines in the facts
// (assessment, investigation) are those of the norms in force when the report came in or the
// investigation started. Each figure carries its definition.

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
    nl: 'Aandeel veiligheidsbeoordelingen afgerond in de periode binnen de termijn (5 werkdagen, acuut 24 uur, vanaf de eerste melding; de norm die gold toen de melding binnenkwam).',
    en: 'Share of safety assessments completed in the period within the deadline (5 working days, acute 24 hours, from the first report; the norm in force when the report came in).',
  },
  investigationsInTime: {
    nl: 'Aandeel onderzoeken afgerond in de periode binnen 10 weken na het besluit tot onderzoek (de norm die gold bij de start van het onderzoek).',
    en: 'Share of investigations concluded in the period within 10 weeks of the decision to investigate (the norm in force when the investigation started).',
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
  handoverMedian: {
    nl: 'Mediaan van het aantal werkdagen tussen het aanbieden van een gezin aan een casusregisseur en de aanvaarding, voor aanvaardingen in de periode (weekend en feestdagen tellen niet).',
    en: 'Median working days between offering a family to a case director and the acceptance, for acceptances in the period (weekends and public holidays do not count).',
  },
  handoverP90: {
    nl: '90e percentiel van het aantal werkdagen tussen het aanbieden van een gezin aan een casusregisseur en de aanvaarding, voor aanvaardingen in de periode.',
    en: '90th percentile of the working days between offering a family to a case director and the acceptance, for acceptances in the period.',
  },
  reports: {
    nl: 'Aantal meldingen ontvangen in de periode (eerste en latere meldingen over een gezin).',
    en: 'Number of reports received in the period (first and later reports about a family).',
  },
  reportsPer10k: {
    nl: 'Meldingen in de periode per 10.000 inwoners (inwoners op 1 januari 2024, CBS); alleen waar het inwonertal bekend is.',
    en: 'Reports in the period per 10,000 inhabitants (inhabitants on 1 January 2024, CBS); only where the population is known.',
  },
  escalationTo: (to: string): Def => ({
    nl: `Aantal escalaties naar ${escalationNames[to]?.nl ?? to} in de periode.`,
    en: `Number of escalations to ${escalationNames[to]?.en ?? to} raised in the period.`,
  }),
  investigationStartMedian: {
    nl: 'Mediaan van de dagen tussen het besluit tot onderzoek en de start van het onderzoek, voor onderzoeken gestart in de periode (werkwijze versie 2).',
    en: 'Median days between the decision to investigate and the start of the investigation, for investigations started in the period (version 2 of the approach).',
  },
  investigationStartP90: {
    nl: '90e percentiel van de dagen tussen het besluit tot onderzoek en de start van het onderzoek, voor onderzoeken gestart in de periode.',
    en: '90th percentile of the days between the decision to investigate and the start of the investigation, for investigations started in the period.',
  },
  reporterInformed: {
    nl: 'Aandeel terugkoppelingen aan de melder in de periode die binnen de norm kwamen (5 werkdagen na het besluit van de veiligheidsbeoordeling of het onderzoek; bij meer openstaande besluiten telt het oudste). Anonieme meldingen krijgen geen terugkoppeling.',
    en: 'Share of the feedback to the reporter given in the period within the norm (5 working days after the decision of the safety assessment or investigation; with several decisions owed, the oldest counts). Anonymous reports get no feedback.',
  },
  householdInformed: {
    nl: 'Aandeel terugkoppelingen aan het gezin in de periode die binnen de norm kwamen (5 werkdagen na het besluit van de veiligheidsbeoordeling of het onderzoek; bij meer openstaande besluiten telt het oudste).',
    en: 'Share of the feedback to the household given in the period within the norm (5 working days after the decision of the safety assessment or investigation; with several decisions owed, the oldest counts).',
  },
  daysWithoutHelpMedian: {
    nl: 'Dagen zonder hulp: mediaan van het aantal werkdagen tussen de aanvaarding van een overdracht door het lokale team en het eerste contact met het gezin, voor eerste contacten in de periode.',
    en: 'Days without help: median working days between a local team accepting a handover and its first contact with the family, for first contacts in the period.',
  },
  daysWithoutHelpP90: {
    nl: 'Dagen zonder hulp: 90e percentiel van het aantal werkdagen tussen de aanvaarding van een overdracht en het eerste contact, voor eerste contacten in de periode.',
    en: 'Days without help: 90th percentile of the working days between accepting a handover and the first contact, for first contacts in the period.',
  },
  incidentToConferenceMedian: {
    nl: 'Mediaan van het aantal werkdagen tussen een ernstig incident en het eerstvolgende casusoverleg (zoals MDA++-overleg), voor overleggen vastgelegd in de periode.',
    en: 'Median working days between a serious incident and the next case conference (such as MDA++), for conferences recorded in the period.',
  },
  incidentToConferenceP90: {
    nl: '90e percentiel van het aantal werkdagen tussen een ernstig incident en het eerstvolgende casusoverleg, voor overleggen vastgelegd in de periode.',
    en: '90th percentile of the working days between a serious incident and the next case conference, for conferences recorded in the period.',
  },
  escalationObstacle: (o: string): Def => ({
    nl: `Aantal escalaties in de periode met de belemmerende factor ${obstacleNames[o]?.nl ?? o} (een escalatie kan meer factoren noemen).`,
    en: `Number of escalations raised in the period naming the obstacle ${obstacleNames[o]?.en ?? o} (an escalation may name several).`,
  }),
  stagnationObstacle: (o: string): Def =>
    o === 'none'
      ? {
          nl: 'Aantal stagnatiesignalen in de periode zonder open escalatie (geen belemmerende factor bekend).',
          en: 'Number of stagnation signals in the period without an open escalation (no obstacle known).',
        }
      : {
          nl: `Aantal stagnatiesignalen in de periode terwijl een escalatie met de belemmerende factor ${obstacleNames[o]?.nl ?? o} openstond.`,
          en: `Number of stagnation signals in the period while an escalation naming the obstacle ${obstacleNames[o]?.en ?? o} was open.`,
        },
} as const;

const obstacleNames: Record<string, Def> = {
  waitingList: { nl: 'wachtlijst', en: 'waiting list' },
  noCapacity: { nl: 'geen capaciteit', en: 'no capacity' },
  noConsent: { nl: 'geen toestemming', en: 'no consent' },
  familyDeclines: { nl: 'gezin weigert hulp', en: 'family declines help' },
  legal: { nl: 'juridische belemmering', en: 'legal obstacle' },
  other: { nl: 'anders', en: 'other' },
};

/** The stagnation signals' obstacles: those an escalation names, and `none` (no escalation open). */
export const stagnationObstacles = [...obstacle.options, 'none'] as const;

const escalationNames: Record<string, Def> = {
  'MDA++': { nl: 'MDA++ (multidisciplinaire aanpak)', en: 'MDA++ (multidisciplinary approach)' },
  ZVH: { nl: 'het Zorg- en Veiligheidshuis', en: 'the Safety House' },
  RvdK: { nl: 'de Raad voor de Kinderbescherming', en: 'the Child Protection Board' },
};

/** National norms: 90 % of assessments in time, 80 % of investigations (DOMAIN.md, the norms' sources). */
export const targets = { assessedInTime: 0.9, investigationsInTime: 0.8 } as const;

const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

function kpi(value: number | null, unit: Kpi['unit'], basis: number, definition: Def, target?: number): Kpi {
  return { value: round(value), unit, basis, ...(target !== undefined ? { target } : {}), definition };
}

/** 0-based index of the nearest-rank percentile in n ascending values (n > 0). */
export function percentileIndex(n: number, p: number): number {
  return Math.max(1, Math.ceil((p / 100) * n)) - 1;
}

/** 0-based indexes whose values make the median of n ascending values (n > 0): one, or two to average. */
export function medianIndexes(n: number): number[] {
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? [mid] : [mid - 1, mid];
}

/** Nearest-rank percentile (the value at or below which p % of the sorted values lie). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[percentileIndex(sorted.length, p)]!;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const [a, b] = medianIndexes(sorted.length);
  return b === undefined ? sorted[a!]! : (sorted[a!]! + sorted[b]!) / 2;
}

/** Every fact kind a figure reads (the query names them, so it can use the (kind, at) index). */
export const kpiFactKinds: readonly KpiFactKind[] = [
  'wait',
  'assessed',
  'investigation',
  'incidentAfterStable',
  'repeatReport',
  'escalation',
  'stagnation',
  'report',
  'handoverAcceptance',
  ...escalationTarget.options.map(escalationFactKind),
  ...kpiPhases.map(phaseFactKind),
  // familyCase@2 (issue 14)
  ...(['investigationStartWait', 'reporterInformed', 'householdInformed', 'daysWithoutHelp', 'incidentToConference'] as const),
  ...obstacle.options.map(escalationObstacleKind),
  ...stagnationObstacles.map(stagnationObstacleKind),
];

/** The fact series whose order statistics the figures need, and which ones (the database finds them). */
export const kpiSeries: readonly KpiSeries[] = [
  { kind: 'wait', indexes: (n) => [...medianIndexes(n), percentileIndex(n, 90)] },
  { kind: 'handoverAcceptance', indexes: (n) => [...medianIndexes(n), percentileIndex(n, 90)] },
  { kind: 'investigationStartWait', indexes: (n) => [...medianIndexes(n), percentileIndex(n, 90)] },
  { kind: 'daysWithoutHelp', indexes: (n) => [...medianIndexes(n), percentileIndex(n, 90)] },
  { kind: 'incidentToConference', indexes: (n) => [...medianIndexes(n), percentileIndex(n, 90)] },
  ...kpiPhases.map((p) => ({ kind: phaseFactKind(p), indexes: medianIndexes })),
];

function medianOf(data: KpiData, kind: string): number | null {
  const n = data.facts.get(kind)?.count ?? 0;
  if (n === 0) return null;
  const values = medianIndexes(n).map((i) => valueAt(data, kind, i));
  return values.length === 1 ? values[0]! : (values[0]! + values[1]!) / 2;
}

function percentileOf(data: KpiData, kind: string, p: number): number | null {
  const n = data.facts.get(kind)?.count ?? 0;
  return n === 0 ? null : valueAt(data, kind, percentileIndex(n, p));
}

function valueAt(data: KpiData, kind: string, index: number): number {
  const value = data.ranks.get(kind)?.get(index);
  if (value === undefined) throw new Error(`KPI series ${kind}: value ${index} was not read`);
  return value;
}

/** Reports per 10,000 inhabitants, or null without a population. */
export const per10k = (reports: number, population: number | null) => (population ? (reports / population) * 10_000 : null);

export function computeKpis(
  data: KpiData,
  scope: { from: Date; to: Date; municipality?: string },
  now: Date,
  /** The inhabitants of the municipalities the figures cover, when known. */
  population: number | null = null,
): Kpis {
  const count = (kind: KpiFactKind) => data.facts.get(kind)?.count ?? 0;
  const sum = (kind: KpiFactKind) => data.facts.get(kind)?.sum ?? 0;
  const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  const waiting = data.waiting.count;
  const oldest = data.waiting.oldestSince ? data.waiting.oldestSince.toISOString() : null;
  /** A series' median and 90th percentile. */
  const spread = (kind: KpiFactKind, unit: Kpi['unit'], medianDef: Def, p90Def: Def) => ({
    median: kpi(medianOf(data, kind), unit, count(kind), medianDef),
    p90: kpi(percentileOf(data, kind, 90), unit, count(kind), p90Def),
  });
  return {
    from: scope.from.toISOString(),
    to: scope.to.toISOString(),
    municipality: scope.municipality ?? null,
    generatedAt: now.toISOString(),
    waitingList: {
      count: kpi(waiting, 'count', waiting, definitions.waitingCount),
      oldestDays: kpi(oldest ? Math.max(0, (now.getTime() - Date.parse(oldest)) / DAY_MS) : null, 'days', waiting, definitions.waitingOldest),
      oldestSince: oldest,
    },
    assessmentWait: spread('wait', 'days', definitions.waitMedian, definitions.waitP90),
    assessedWithinDeadline: kpi(share(sum('assessed'), count('assessed')), 'share', count('assessed'), definitions.assessedInTime, targets.assessedInTime),
    investigationsWithinTenWeeks: kpi(
      share(sum('investigation'), count('investigation')),
      'share',
      count('investigation'),
      definitions.investigationsInTime,
      targets.investigationsInTime,
    ),
    timePerPhase: Object.fromEntries(
      kpiPhases.map((p) => {
        const kind = phaseFactKind(p);
        return [p, kpi(medianOf(data, kind), 'days', count(kind), definitions.phase(p))];
      }),
    ) as Kpis['timePerPhase'],
    incidentsAfterStableSafety: kpi(count('incidentAfterStable'), 'count', count('incidentAfterStable'), definitions.incidentsAfterStable),
    repeatReports: kpi(count('repeatReport'), 'count', count('repeatReport'), definitions.repeatReports),
    escalations: kpi(count('escalation'), 'count', count('escalation'), definitions.escalations),
    stagnationSignals: kpi(count('stagnation'), 'count', count('stagnation'), definitions.stagnation),
    handoverAcceptance: spread('handoverAcceptance', 'workingDays', definitions.handoverMedian, definitions.handoverP90),
    reports: {
      count: kpi(count('report'), 'count', count('report'), definitions.reports),
      per10k: kpi(per10k(count('report'), population), 'per10k', population === null ? 0 : count('report'), definitions.reportsPer10k),
      population,
    },
    escalationsByDestination: Object.fromEntries(
      escalationTarget.options.map((t) => {
        const n = count(escalationFactKind(t));
        return [t, kpi(n, 'count', n, definitions.escalationTo(t))];
      }),
    ) as Kpis['escalationsByDestination'],
    investigationStartWait: spread('investigationStartWait', 'days', definitions.investigationStartMedian, definitions.investigationStartP90),
    feedbackInTime: {
      reporter: kpi(share(sum('reporterInformed'), count('reporterInformed')), 'share', count('reporterInformed'), definitions.reporterInformed),
      household: kpi(share(sum('householdInformed'), count('householdInformed')), 'share', count('householdInformed'), definitions.householdInformed),
    },
    daysWithoutHelp: spread('daysWithoutHelp', 'workingDays', definitions.daysWithoutHelpMedian, definitions.daysWithoutHelpP90),
    incidentToConference: spread('incidentToConference', 'workingDays', definitions.incidentToConferenceMedian, definitions.incidentToConferenceP90),
    obstacles: {
      escalations: Object.fromEntries(
        obstacle.options.map((o) => {
          const n = count(escalationObstacleKind(o));
          return [o, kpi(n, 'count', n, definitions.escalationObstacle(o))];
        }),
      ) as Kpis['obstacles']['escalations'],
      stagnation: Object.fromEntries(
        stagnationObstacles.map((o) => {
          const n = count(stagnationObstacleKind(o));
          return [o, kpi(n, 'count', n, definitions.stagnationObstacle(o))];
        }),
      ) as Kpis['obstacles']['stagnation'],
    },
  };
}

/** What each column of the municipality comparison means. */
export const municipalityDefinitions: MunicipalityKpis['definitions'] = {
  waitingCount: definitions.waitingCount,
  waitingOldestDays: definitions.waitingOldest,
  waitMedianDays: definitions.waitMedian,
  waitP90Days: definitions.waitP90,
  assessedWithinDeadline: definitions.assessedInTime,
  reports: definitions.reports,
  reportsPer10k: definitions.reportsPer10k,
};

/** The fact kinds the comparison counts, and those whose values it orders. */
export const municipalityFactKinds = ['wait', 'assessed', 'report'] as const;
export const municipalityValueKinds = ['wait'] as const;

/** One municipality's row of the comparison, from its data (absent: nothing happened there). */
export function municipalityFigures(
  municipality: string,
  d: MunicipalityData | undefined,
  population: number | null,
  now: Date,
): MunicipalityFigures {
  const waits = d?.values.get('wait') ?? [];
  const assessed = d?.facts.get('assessed');
  const reports = d?.facts.get('report')?.count ?? 0;
  const oldest = d?.waiting.oldestSince ?? null;
  return {
    municipality,
    population,
    waitingCount: d?.waiting.count ?? 0,
    waitingOldestDays: round(oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / DAY_MS) : null),
    waitMedianDays: round(median(waits)),
    waitP90Days: round(percentile(waits, 90)),
    waitBasis: waits.length,
    assessedWithinDeadline: round(assessed && assessed.count > 0 ? assessed.sum / assessed.count : null),
    assessedBasis: assessed?.count ?? 0,
    reports,
    reportsPer10k: round(per10k(reports, population)),
  };
}
