import {
  accessLogQuerySchema,
  accessLogSchema,
  kpiQuerySchema,
  kpisSchema,
  monitoringQuerySchema,
  monitoringSchema,
  municipalityKpiQuerySchema,
  municipalityKpisSchema,
} from '../../../contract/index.ts';
import { ACCESS_LOG_ROLES, accessLog } from '../../cases/accessLog.ts';
import { accessLogTable, kpiTable, municipalityTable } from '../../cases/csvTables.ts';
import { compareMunicipalities, KPI_ROLES, kpis } from '../../cases/kpis.ts';
import { jsonOrCsv } from '../csv.ts';
import { MONITORING_ROLES, monitoringList } from '../../cases/monitoringList.ts';
import { AppError } from '../../errors.ts';
import { defineRoute, requirePrincipal } from '../define.ts';

const DAY_MS = 86_400_000;

/** A bare date is its whole day in UTC: `to=2025-03-31` includes the 31st. */
function instant(value: string | undefined, endOfDay: boolean): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00.000Z`) + (endOfDay ? DAY_MS - 1 : 0));
  return new Date(value);
}

function period(fromRaw: string | undefined, toRaw: string | undefined, now: Date, defaultDays: number) {
  const to = instant(toRaw, true) ?? now;
  const from = instant(fromRaw, false) ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() > to.getTime()) {
    throw new AppError('validation', 'from lies after to', { errors: [{ path: 'query.from', message: 'must not lie after to' }] });
  }
  return { from, to };
}

export const oversightRoutes = [
  defineRoute({
    method: 'get',
    path: '/monitoring',
    operationId: 'monitoring',
    summary: 'Families under Veilig Thuis oversight after a handover, overdue first',
    description:
      'Oversight `monitoring`, plus `handoverPending` with its acceptance deadline. Ordered by the earliest of next ' +
      'check due and acceptance due (so overdue first), then by reference. Paged: `page` (from 1), `pageSize` ' +
      '(default 50, at most 200); `total` counts the whole list. Due dates follow the norms in force at the ' +
      "family's latest event.",
    tag: 'Oversight',
    access: 'session',
    roles: MONITORING_ROLES,
    auditDenied: 'monitoring',
    query: monitoringQuerySchema,
    success: { status: 200, description: 'One page of the monitoring list', schema: monitoringSchema },
    problems: [400, 401, 403],
    handler: ({ deps, principal, ip, query }) =>
      monitoringList(deps, { principal: requirePrincipal(principal), ip, page: query.page, pageSize: query.pageSize }),
  }),
  defineRoute({
    method: 'get',
    path: '/kpis',
    operationId: 'kpis',
    summary: 'Figures over a period, each with its definition (NL/EN)',
    description:
      'Default period: the 365 days up to now. Dates (YYYY-MM-DD) cover whole UTC days. Only families the caller ' +
      'may see count. An event counts in the period it was recorded in; deadlines are judged by the norms in force ' +
      'when they started.',
    tag: 'Oversight',
    access: 'session',
    roles: KPI_ROLES,
    auditDenied: 'kpis',
    query: kpiQuerySchema,
    success: {
      status: 200,
      description: 'The figures',
      schema: kpisSchema,
      csv: 'The same figures, one row per figure (figure, value, unit, basis, target, definition_nl, definition_en); the figure is its path in the JSON.',
    },
    problems: [400, 401, 403],
    handler: async ({ req, res, deps, principal, ip, query }) => {
      const { from, to } = period(query.from, query.to, deps.clock.now(), 365);
      const scope = { from, to, ...(query.municipality ? { municipality: query.municipality } : {}) };
      return jsonOrCsv(req, res, await kpis(deps, { principal: requirePrincipal(principal), ip, scope }), 'kengetallen.csv', kpiTable);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/kpis/municipalities',
    operationId: 'kpisByMunicipality',
    summary: 'How long families wait, and where: the waiting figures per municipality',
    description:
      "Per municipality of the caller's region (every region for an auditor): families waiting now and the oldest " +
      'wait, the median and 90th percentile of the wait from report to the start of the assessment, the share ' +
      'assessed within the deadline (against its 90 % target), reports and reports per 10,000 inhabitants. Longest ' +
      'median wait first. Default period: the 365 days up to now; dates cover whole UTC days.',
    tag: 'Oversight',
    access: 'session',
    roles: KPI_ROLES,
    auditDenied: 'kpis',
    query: municipalityKpiQuerySchema,
    success: {
      status: 200,
      description: 'One row per municipality',
      schema: municipalityKpisSchema,
      csv: 'The same rows, one per municipality, with the columns of the JSON rows.',
    },
    problems: [400, 401, 403],
    handler: async ({ req, res, deps, principal, ip, query }) => {
      const scope = period(query.from, query.to, deps.clock.now(), 365);
      const figures = await compareMunicipalities(deps, { principal: requirePrincipal(principal), ip, scope });
      return jsonOrCsv(req, res, figures, 'wachttijden-per-gemeente.csv', municipalityTable);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/access-log',
    operationId: 'accessLog',
    summary: 'The access log (NEN 7513), newest first',
    description:
      'Auditors only. Insert-only: no route changes or deletes rows. Reading it is itself logged (also as CSV). ' +
      '`username` matches part of the user name or display name (case-insensitive, literally); `reference` a family ' +
      'reference; `unassigned=true` keeps the rows on a family by users who were never its director, never offered it ' +
      'and do not work in Veilig Thuis for its region. Each row says so in `assigned`.',
    tag: 'Audit',
    access: 'session',
    roles: ACCESS_LOG_ROLES,
    auditDenied: 'access-log',
    query: accessLogQuerySchema,
    success: {
      status: 200,
      description: 'One page of rows',
      schema: accessLogSchema,
      csv: 'The same page of rows, with every field of the JSON rows as columns.',
    },
    problems: [400, 401, 403],
    handler: async ({ req, res, deps, principal, ip, query }) => {
      const from = instant(query.from, false);
      const to = instant(query.to, true);
      const page = await accessLog(deps, {
        principal: requirePrincipal(principal),
        ip,
        filter: {
          ...(query.familyId ? { familyId: query.familyId } : {}),
          ...(query.userId ? { userId: query.userId } : {}),
          ...(query.username ? { username: query.username } : {}),
          ...(query.reference ? { reference: query.reference } : {}),
          ...(query.unassigned === 'true' ? { unassigned: true } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          page: query.page,
          pageSize: query.pageSize,
        },
      });
      return jsonOrCsv(req, res, page, 'toegangslog.csv', accessLogTable);
    },
  }),
];
