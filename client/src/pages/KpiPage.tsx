import { lazy, Suspense, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { allMunicipalities } from '../../../machines/schemas/regions.ts';
import { kpisSchema, municipalityKpisSchema, type MunicipalityKpis } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { phaseLabel } from '../labels.ts';
import { keys } from '../queries.ts';
import { CsvDownload } from '../components/CsvDownload.tsx';
import { SelectField } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { currentLanguage } from '../i18n/index.ts';
import type { Kpi, Kpis } from '../types.ts';
import { DataTable, DateRangeFields, FilterForm, useAnnounceLoaded } from '../components/ListParts.tsx';
import { LoadState } from '../components/ListState.tsx';
import type { ChartBar } from '../components/KpiChart.tsx';

// The KPI dashboard (vt for its region, auditor): the figures of a period and municipality, each with
// its definition, a chart beside a table for the figures that compare, the target against the
// figures that have one, and the comparison of the municipalities ("how long do families wait, and
// where"). Period, municipality and view live in the URL. The charts (recharts) load lazily.

const KpiChart = lazy(() => import('../components/KpiChart.tsx'));

type Filters = { from: string; to: string; municipality: string };
type View = 'figures' | 'municipalities';

const escalationKey = (to: string) => (to === 'MDA++' ? 'MDAplusplus' : to);

function figureRows(k: Kpis): { key: string; kpi: Kpi; extra?: string }[] {
  return [
    { key: 'waitingListCount', kpi: k.waitingList.count },
    { key: 'waitingListOldest', kpi: k.waitingList.oldestDays, extra: k.waitingList.oldestSince ?? undefined },
    { key: 'assessmentWaitMedian', kpi: k.assessmentWait.median },
    { key: 'assessmentWaitP90', kpi: k.assessmentWait.p90 },
    { key: 'assessedWithinDeadline', kpi: k.assessedWithinDeadline },
    { key: 'investigationsWithinTenWeeks', kpi: k.investigationsWithinTenWeeks },
    { key: 'handoverAcceptanceMedian', kpi: k.handoverAcceptance.median },
    { key: 'handoverAcceptanceP90', kpi: k.handoverAcceptance.p90 },
    { key: 'reports', kpi: k.reports.count },
    { key: 'reportsPer10k', kpi: k.reports.per10k },
    ...(Object.entries(k.timePerPhase) as [string, Kpi][]).map(([phase, kpi]) => ({ key: `timePerPhase_${phase}`, kpi })),
    { key: 'incidentsAfterStableSafety', kpi: k.incidentsAfterStableSafety },
    { key: 'repeatReports', kpi: k.repeatReports },
    { key: 'escalations', kpi: k.escalations },
    ...(Object.entries(k.escalationsByDestination) as [string, Kpi][]).map(([to, kpi]) => ({
      key: `escalationTo_${escalationKey(to)}`,
      kpi,
    })),
    { key: 'stagnationSignals', kpi: k.stagnationSignals },
    // familyCase@2 (issue 14)
    { key: 'investigationStartMedian', kpi: k.investigationStartWait.median },
    { key: 'investigationStartP90', kpi: k.investigationStartWait.p90 },
    { key: 'reporterInformed', kpi: k.feedbackInTime.reporter },
    { key: 'householdInformed', kpi: k.feedbackInTime.household },
    { key: 'daysWithoutHelpMedian', kpi: k.daysWithoutHelp.median },
    { key: 'daysWithoutHelpP90', kpi: k.daysWithoutHelp.p90 },
    { key: 'incidentToConferenceMedian', kpi: k.incidentToConference.median },
    { key: 'incidentToConferenceP90', kpi: k.incidentToConference.p90 },
    ...(Object.entries(k.obstacles.escalations) as [string, Kpi][]).map(([o, kpi]) => ({ key: `escalationObstacle_${o}`, kpi })),
    ...(Object.entries(k.obstacles.stagnation) as [string, Kpi][]).map(([o, kpi]) => ({ key: `stagnationObstacle_${o}`, kpi })),
  ];
}

/** The familyCase@2 waits (median and 90th percentile): decision to investigation, days without help, incident to conference. */
function v2Waits(k: Kpis): { key: string; median: Kpi; p90: Kpi }[] {
  return [
    { key: 'investigationStart', median: k.investigationStartWait.median, p90: k.investigationStartWait.p90 },
    { key: 'daysWithoutHelp', median: k.daysWithoutHelp.median, p90: k.daysWithoutHelp.p90 },
    { key: 'incidentToConference', median: k.incidentToConference.median, p90: k.incidentToConference.p90 },
  ];
}

function useNumbers() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });
  const pct = (v: number) => `${nf.format(v * 100)} %`;
  function value(kpi: Pick<Kpi, 'value' | 'unit'>): string {
    if (kpi.value === null) return t('kpis.noValue');
    switch (kpi.unit) {
      case 'count':
        return nf.format(kpi.value);
      case 'days':
        return t('kpis.days', { value: nf.format(kpi.value) });
      case 'share':
        return pct(kpi.value);
      case 'workingDays':
        return t('kpis.workingDays', { value: nf.format(kpi.value) });
      case 'per10k':
        return t('kpis.per10k', { value: nf.format(kpi.value) });
    }
  }
  return { nf, pct, value, lang };
}

/** A chart and the table it pictures, side by side (stacked on a narrow screen). */
function ChartWithTable({ id, title, chart, children }: { id: string; title: string; chart: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="kpi-block" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="chart-and-table">
        <Suspense fallback={<p className="muted">{t('kpis.chartLoading')}</p>}>{chart}</Suspense>
        {children}
      </div>
    </section>
  );
}

export function KpiPage() {
  const { t } = useTranslation();
  usePageTitle(t('kpis.title'));
  const [params, setParams] = useSearchParams();
  const applied: Filters = { from: params.get('from') ?? '', to: params.get('to') ?? '', municipality: params.get('municipality') ?? '' };
  const view: View = params.get('view') === 'municipalities' ? 'municipalities' : 'figures';
  const urlOf = (f: Filters, v: View) => {
    const next = new URLSearchParams();
    for (const [k, value] of Object.entries(f)) if (value) next.set(k, value);
    if (v === 'municipalities') next.set('view', v);
    return next;
  };

  return (
    <section aria-labelledby="kpis-title">
      <h1 id="kpis-title">{t('kpis.title')}</h1>
      <p>{t('kpis.intro')}</p>
      <nav aria-label={t('kpis.views')} className="kpi-views">
        <ul>
          {(['figures', 'municipalities'] as const).map((v) => (
            <li key={v}>
              <Link to={`?${urlOf(applied, v).toString()}`} aria-current={v === view ? 'page' : undefined}>
                {t(`kpis.view_${v}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {/* Keyed by the URL: the form starts from the filters applied (also after back and forward). */}
      <KpiFilters key={params.toString()} applied={applied} view={view} onApply={(f) => setParams(urlOf(f, view))} />
      {view === 'figures' ? <Figures filters={applied} /> : <Municipalities filters={applied} />}
    </section>
  );
}

function KpiFilters({ applied, view, onApply }: { applied: Filters; view: View; onApply: (f: Filters) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(applied);
  function apply(e: FormEvent) {
    e.preventDefault();
    onApply(draft);
  }
  return (
    <FilterForm onSubmit={apply} noValidate={false} legend={view === 'figures' ? t('kpis.period') : t('kpis.periodOnly')} applyLabel={t('kpis.apply')}>
      <DateRangeFields prefix="kpi" draft={draft} setDraft={setDraft} />
      {view === 'figures' ? (
        <SelectField
          id="kpi-municipality"
          label={t('families.municipality')}
          value={draft.municipality}
          onChange={(municipality) => setDraft({ ...draft, municipality })}
          placeholder={t('families.anyMunicipality')}
          options={allMunicipalities.map((m) => ({ value: m, label: m }))}
        />
      ) : null}
    </FilterForm>
  );
}

function Figures({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const { value, pct, lang } = useNumbers();
  const query = { from: filters.from, to: filters.to, municipality: filters.municipality };
  const kpis = useResource(keys.kpis(query), (signal) => api.get(kpisSchema, '/kpis', query, signal));
  useAnnounceLoaded(kpis, t('kpis.loaded'));
  const k = kpis.data;
  const inTime = k
    ? [
        { key: 'assessedWithinDeadline', kpi: k.assessedWithinDeadline },
        { key: 'investigationsWithinTenWeeks', kpi: k.investigationsWithinTenWeeks },
      ]
    : [];
  const phases = k ? (Object.entries(k.timePerPhase) as [string, Kpi][]) : [];
  const escalations = k ? (Object.entries(k.escalationsByDestination) as [string, Kpi][]) : [];
  const definition = (kpi: Kpi) =>
    (kpi.definition[lang] || kpi.definition.nl).replace(
      /\b(fase|phase) (reported|assessment|investigation|directSafety|stableSafety|recovery|closed)\b/g,
      (_m, word: string, phase: string) => `${word} ‘${phaseLabel(t, phase)}’`,
    );
  const bars = (rows: { name: string; kpi: Kpi }[]): ChartBar[] => rows.map((r) => ({ name: r.name, value: r.kpi.value, second: r.kpi.target ?? null }));

  return (
    <div aria-busy={kpis.status === 'loading'}>
      <LoadState resource={kpis} />
      {k ? (
        <>
          <p>
            {t('kpis.range', { from: formatDate(k.from), to: formatDate(k.to) })}{' '}
            {k.municipality ? `(${k.municipality})` : `(${t('families.anyMunicipality')})`}.{' '}
            {t('kpis.generatedAt', { at: formatDateTime(k.generatedAt) })}
          </p>
          <CsvDownload path="/kpis" query={query} filename="kengetallen.csv" label={t('kpis.downloadCsv')} />

          <ChartWithTable
            id="kpi-in-time"
            title={t('kpis.inTimeTitle')}
            chart={
              <KpiChart
                percent
                bars={bars(inTime.map((r) => ({ name: t(`kpi.${r.key}`), kpi: r.kpi })))}
                valueLabel={t('kpis.measured')}
                secondLabel={t('kpis.target')}
                summary={t('kpis.inTimeSummary', {
                  assessed: value(k.assessedWithinDeadline),
                  investigations: value(k.investigationsWithinTenWeeks),
                })}
              />
            }
          >
            <DataTable captionId="kpi-in-time-caption" className="kpi-in-time" caption={t('kpis.inTimeTitle')} columns={[t('kpis.figure'), t('kpis.measured'), t('kpis.target'), t('kpis.verdict')]}>
              {inTime.map(({ key, kpi }) => (
                <tr key={key}>
                  <th scope="row">{t(`kpi.${key}`)}</th>
                  <td className="num">{value(kpi)}</td>
                  <td className="num">{kpi.target !== undefined ? pct(kpi.target) : ''}</td>
                  <td>
                    {kpi.value === null || kpi.target === undefined
                      ? t('kpis.noValue')
                      : kpi.value >= kpi.target
                        ? t('kpis.targetMet')
                        : t('kpis.targetMissed')}
                  </td>
                </tr>
              ))}
            </DataTable>
          </ChartWithTable>

          <ChartWithTable
            id="kpi-phases"
            title={t('kpis.phasesTitle')}
            chart={
              <KpiChart
                bars={phases.map(([p, kpi]) => ({ name: phaseLabel(t, p), value: kpi.value }))}
                valueLabel={t('kpis.medianDays')}
                summary={t('kpis.phasesSummary')}
              />
            }
          >
            <DataTable captionId="kpi-phases-caption" className="kpi-phases" caption={t('kpis.phasesTitle')} columns={[t('kpis.phase'), t('kpis.medianDays'), t('kpis.basis')]}>
              {phases.map(([p, kpi]) => (
                <tr key={p}>
                  <th scope="row">{phaseLabel(t, p)}</th>
                  <td className="num">{value(kpi)}</td>
                  <td className="num">{kpi.basis}</td>
                </tr>
              ))}
            </DataTable>
          </ChartWithTable>

          <ChartWithTable
            id="kpi-escalations"
            title={t('kpis.escalationsTitle')}
            chart={
              <KpiChart
                bars={escalations.map(([to, kpi]) => ({ name: to, value: kpi.value }))}
                valueLabel={t('kpis.count')}
                summary={t('kpis.escalationsSummary', { count: k.escalations.value ?? 0 })}
              />
            }
          >
            <DataTable captionId="kpi-escalations-caption" className="kpi-escalations" caption={t('kpis.escalationsTitle')} columns={[t('kpis.destination'), t('kpis.count')]}>
              {escalations.map(([to, kpi]) => (
                <tr key={to}>
                  <th scope="row">{t(`escalationTarget.${escalationKey(to)}`)}</th>
                  <td className="num">{value(kpi)}</td>
                </tr>
              ))}
            </DataTable>
          </ChartWithTable>

          <ChartWithTable
            id="kpi-help"
            title={t('kpis.helpTitle')}
            chart={
              <KpiChart
                bars={v2Waits(k).map((w) => ({ name: t(`kpi.${w.key}Median`), value: w.median.value, second: w.p90.value }))}
                valueLabel={t('kpis.median')}
                secondLabel={t('kpis.p90')}
                summary={t('kpis.helpSummary', {
                  withoutHelp: value(k.daysWithoutHelp.median),
                  reporter: value(k.feedbackInTime.reporter),
                  household: value(k.feedbackInTime.household),
                })}
              />
            }
          >
            <DataTable captionId="kpi-help-caption" className="kpi-help" caption={t('kpis.helpTitle')} columns={[t('kpis.figure'), t('kpis.median'), t('kpis.p90'), t('kpis.basis')]}>
              {v2Waits(k).map((w) => (
                <tr key={w.key}>
                  <th scope="row">{t(`kpi.${w.key}Median`)}</th>
                  <td className="num">{value(w.median)}</td>
                  <td className="num">{value(w.p90)}</td>
                  <td className="num">{w.median.basis}</td>
                </tr>
              ))}
              {(['reporterInformed', 'householdInformed'] as const).map((key) => {
                const kpi = key === 'reporterInformed' ? k.feedbackInTime.reporter : k.feedbackInTime.household;
                return (
                  <tr key={key}>
                    <th scope="row">{t(`kpi.${key}`)}</th>
                    <td className="num" colSpan={2}>
                      {value(kpi)}
                    </td>
                    <td className="num">{kpi.basis}</td>
                  </tr>
                );
              })}
            </DataTable>
          </ChartWithTable>

          <ChartWithTable
            id="kpi-obstacles"
            title={t('kpis.obstaclesTitle')}
            chart={
              <KpiChart
                bars={(Object.keys(k.obstacles.stagnation) as (keyof Kpis['obstacles']['stagnation'])[]).map((o) => ({
                  name: t(`kpi.obstacle_${o}`),
                  value: o === 'none' ? null : k.obstacles.escalations[o].value,
                  second: k.obstacles.stagnation[o].value,
                }))}
                valueLabel={t('kpis.col_escalations')}
                secondLabel={t('kpis.col_stagnation')}
                summary={t('kpis.obstaclesSummary')}
              />
            }
          >
            <DataTable captionId="kpi-obstacles-caption" className="kpi-obstacles" caption={t('kpis.obstaclesTitle')} columns={[t('kpis.obstacle'), t('kpis.col_escalations'), t('kpis.col_stagnation')]}>
              {(Object.keys(k.obstacles.stagnation) as (keyof Kpis['obstacles']['stagnation'])[]).map((o) => (
                <tr key={o}>
                  <th scope="row">{t(`kpi.obstacle_${o}`)}</th>
                  <td className="num">{o === 'none' ? '' : value(k.obstacles.escalations[o])}</td>
                  <td className="num">{value(k.obstacles.stagnation[o])}</td>
                </tr>
              ))}
            </DataTable>
          </ChartWithTable>

          <h2 id="kpi-all-title">{t('kpis.allTitle')}</h2>
          <DataTable
            captionId="kpis-caption"
            className="kpis"
            caption={t('kpis.caption')}
            columns={[t('kpis.figure'), t('kpis.value'), t('kpis.target'), t('kpis.basis'), t('kpis.definition')]}
          >
            {figureRows(k).map(({ key, kpi, extra }) => (
              <tr key={key} data-kpi={key}>
                <th scope="row">{t(`kpi.${key}`)}</th>
                <td className="num">
                  {value(kpi)}
                  {extra ? <div className="muted">{t('kpis.since', { date: formatDate(extra) })}</div> : null}
                </td>
                <td className="num">{kpi.target !== undefined ? pct(kpi.target) : ''}</td>
                <td className="num">{kpi.basis}</td>
                <td>{definition(kpi)}</td>
              </tr>
            ))}
          </DataTable>
          {k.reports.population === null ? <p className="muted">{t('kpis.populationUnknown')}</p> : null}
        </>
      ) : null}
    </div>
  );
}

function Municipalities({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const { nf, pct, lang } = useNumbers();
  const query = { from: filters.from, to: filters.to };
  const list = useResource(keys.kpis({ ...query, view: 'municipalities' }), (signal) =>
    api.get(municipalityKpisSchema, '/kpis/municipalities', query, signal),
  );
  useAnnounceLoaded(list, t('kpis.municipalitiesLoaded'));
  const m = list.data;
  const days = (v: number | null) => (v === null ? t('kpis.noValue') : t('kpis.days', { value: nf.format(v) }));
  const longest = m?.municipalities.find((r) => r.waitMedianDays !== null);
  const columns: { key: keyof MunicipalityKpis['definitions']; head: string }[] = [
    { key: 'waitingCount', head: t('kpis.col_waitingCount') },
    { key: 'waitingOldestDays', head: t('kpis.col_waitingOldestDays') },
    { key: 'waitMedianDays', head: t('kpis.col_waitMedianDays') },
    { key: 'waitP90Days', head: t('kpis.col_waitP90Days') },
    { key: 'assessedWithinDeadline', head: t('kpis.col_assessedWithinDeadline', { target: m ? pct(m.assessedTarget) : '' }) },
    { key: 'reports', head: t('kpis.col_reports') },
    { key: 'reportsPer10k', head: t('kpis.col_reportsPer10k') },
  ];
  return (
    <section aria-labelledby="kpi-where-title" aria-busy={list.status === 'loading'}>
      <h2 id="kpi-where-title">{t('kpis.whereTitle')}</h2>
      <LoadState resource={list} />
      {m ? (
        <>
          <p>
            {t('kpis.range', { from: formatDate(m.from), to: formatDate(m.to) })}.{' '}
            {longest
              ? t('kpis.whereAnswer', {
                  municipality: longest.municipality,
                  median: days(longest.waitMedianDays),
                  p90: days(longest.waitP90Days),
                })
              : t('kpis.whereNone')}
          </p>
          <CsvDownload path="/kpis/municipalities" query={query} filename="wachttijden-per-gemeente.csv" label={t('kpis.downloadCsv')} />
          <div className="chart-and-table">
            <Suspense fallback={<p className="muted">{t('kpis.chartLoading')}</p>}>
              <KpiChart
                horizontal
                bars={m.municipalities.map((r) => ({ name: r.municipality, value: r.waitMedianDays, second: r.waitP90Days }))}
                valueLabel={t('kpis.col_waitMedianDays')}
                secondLabel={t('kpis.col_waitP90Days')}
                summary={t('kpis.whereSummary')}
              />
            </Suspense>
            <DataTable captionId="municipalities-caption" className="municipalities" caption={t('kpis.whereCaption')} columns={[t('families.municipality'), ...columns.map((c) => c.head), t('kpis.col_population')]}>
              {m.municipalities.map((r) => (
                <tr key={r.municipality}>
                  <th scope="row">{r.municipality}</th>
                  <td className="num">{nf.format(r.waitingCount)}</td>
                  <td className="num">{days(r.waitingOldestDays)}</td>
                  <td className="num">{days(r.waitMedianDays)}</td>
                  <td className="num">{days(r.waitP90Days)}</td>
                  <td className="num">{r.assessedWithinDeadline === null ? t('kpis.noValue') : pct(r.assessedWithinDeadline)}</td>
                  <td className="num">{nf.format(r.reports)}</td>
                  <td className="num">{r.reportsPer10k === null ? t('kpis.noValue') : nf.format(r.reportsPer10k)}</td>
                  <td className="num">{r.population === null ? t('kpis.noValue') : nf.format(r.population)}</td>
                </tr>
              ))}
            </DataTable>
          </div>
          <h3>{t('kpis.definitionsTitle')}</h3>
          <dl className="definitions">
            {columns.map((c) => (
              <div key={c.key}>
                <dt>{c.head}</dt>
                <dd>{m.definitions[c.key][lang] || m.definitions[c.key].nl}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}
