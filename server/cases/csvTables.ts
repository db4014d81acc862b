import type { AccessLogPage, Kpi, Kpis, MunicipalityKpis } from '../../contract/index.ts';

/** A table for a CSV answer: its column names and its rows, cells as the JSON has them. */
export type CsvTable = { columns: readonly string[]; rows: readonly (readonly CsvCell[])[] };
export type CsvCell = string | number | boolean | null;

const isKpi = (v: unknown): v is Kpi => typeof v === 'object' && v !== null && 'unit' in v && 'definition' in v && 'basis' in v;

/**
 * The figures as a table, one row per figure, named by its path in the JSON (`assessmentWait.median`);
 * the period and the other plain values of the answer as rows with only a value.
 */
export function kpiTable(k: Kpis): CsvTable {
  const rows: CsvCell[][] = [];
  const walk = (value: unknown, path: string) => {
    if (isKpi(value)) {
      rows.push([path, value.value, value.unit, value.basis, value.target ?? null, value.definition.nl, value.definition.en]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) walk(v, path ? `${path}.${key}` : key);
    } else {
      rows.push([path, value as CsvCell, null, null, null, null, null]);
    }
  };
  walk(k, '');
  return { columns: ['figure', 'value', 'unit', 'basis', 'target', 'definition_nl', 'definition_en'], rows };
}

/** The comparison as a table: one row per municipality, the columns of the JSON rows. */
export function municipalityTable(m: MunicipalityKpis): CsvTable {
  const columns = [
    'municipality',
    'population',
    'waitingCount',
    'waitingOldestDays',
    'waitMedianDays',
    'waitP90Days',
    'waitBasis',
    'assessedWithinDeadline',
    'assessedBasis',
    'reports',
    'reportsPer10k',
  ] as const;
  return { columns, rows: m.municipalities.map((r) => columns.map((c) => r[c])) };
}

/** The page of the access log as a table: every field of the JSON rows. */
export function accessLogTable(page: AccessLogPage): CsvTable {
  const columns = [
    'id',
    'at',
    'userId',
    'username',
    'displayName',
    'role',
    'familyId',
    'familyReference',
    'action',
    'result',
    'assigned',
    'ip',
  ] as const;
  return { columns, rows: page.items.map((r) => columns.map((c) => r[c])) };
}
