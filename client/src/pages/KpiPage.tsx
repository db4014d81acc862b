import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { allMunicipalities } from '../../../machines/schemas/regions.ts';
import { kpisSchema } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { phaseLabel } from '../labels.ts';
import { keys } from '../queries.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { SelectField } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { currentLanguage } from '../i18n/index.ts';
import type { Kpi, Kpis } from '../types.ts';
import { DataTable, DateRangeFields, FilterForm } from '../components/ListParts.tsx';
import { LoadState } from '../components/ListState.tsx';

type Filters = { from: string; to: string; municipality: string };

function figureRows(k: Kpis): { key: string; kpi: Kpi; extra?: string }[] {
  return [
    { key: 'waitingListCount', kpi: k.waitingList.count },
    {
      key: 'waitingListOldest',
      kpi: k.waitingList.oldestDays,
      extra: k.waitingList.oldestSince ?? undefined,
    },
    { key: 'assessmentWaitMedian', kpi: k.assessmentWait.median },
    { key: 'assessmentWaitP90', kpi: k.assessmentWait.p90 },
    { key: 'assessedWithinDeadline', kpi: k.assessedWithinDeadline },
    { key: 'investigationsWithinTenWeeks', kpi: k.investigationsWithinTenWeeks },
    ...(Object.entries(k.timePerPhase) as [string, Kpi][]).map(([phase, kpi]) => ({
      key: `timePerPhase_${phase}`,
      kpi,
    })),
    { key: 'incidentsAfterStableSafety', kpi: k.incidentsAfterStableSafety },
    { key: 'repeatReports', kpi: k.repeatReports },
    { key: 'escalations', kpi: k.escalations },
    { key: 'stagnationSignals', kpi: k.stagnationSignals },
  ];
}

export function KpiPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('kpis.title'));
  const [draft, setDraft] = useState<Filters>({ from: '', to: '', municipality: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const kpis = useResource(keys.kpis(filters), (signal) =>
    api.get(
      kpisSchema,
      '/kpis',
      { from: filters.from, to: filters.to, municipality: filters.municipality },
      signal,
    ),
  );
  const lang = currentLanguage();
  const nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });

  useEffect(() => {
    if (kpis.status === 'ready') announce(t('kpis.loaded'));
  }, [kpis.status, announce, t]);

  function value(kpi: Kpi): string {
    if (kpi.value === null) return t('kpis.noValue');
    switch (kpi.unit) {
      case 'count':
        return nf.format(kpi.value);
      case 'days':
        return t('kpis.days', { value: nf.format(kpi.value) });
      case 'share':
        return `${nf.format(kpi.value * 100)} %`;
      case 'workingDays':
        return t('kpis.workingDays', { value: nf.format(kpi.value) });
      case 'per10k':
        return t('kpis.per10k', { value: nf.format(kpi.value) });
    }
  }

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  return (
    <section aria-labelledby="kpis-title" aria-busy={kpis.status === 'loading'}>
      <h1 id="kpis-title">{t('kpis.title')}</h1>
      <p>{t('kpis.intro')}</p>
      <FilterForm onSubmit={apply} noValidate={false} legend={t('kpis.period')} applyLabel={t('kpis.apply')}>
        <DateRangeFields prefix="kpi" draft={draft} setDraft={setDraft} />
        <SelectField
          id="kpi-municipality"
          label={t('families.municipality')}
          value={draft.municipality}
          onChange={(municipality) => setDraft({ ...draft, municipality })}
          placeholder={t('families.anyMunicipality')}
          options={allMunicipalities.map((m) => ({ value: m, label: m }))}
        />
      </FilterForm>
      <LoadState resource={kpis} />
      {kpis.data ? (
        <>
          <p>
            {t('kpis.range', { from: formatDate(kpis.data.from), to: formatDate(kpis.data.to) })}{' '}
            {kpis.data.municipality ? `(${kpis.data.municipality})` : `(${t('families.anyMunicipality')})`}.{' '}
            {t('kpis.generatedAt', { at: formatDateTime(kpis.data.generatedAt) })}
          </p>
          <DataTable
            className="kpis"
            caption={t('kpis.caption')}
            columns={[t('kpis.figure'), t('kpis.value'), t('kpis.basis'), t('kpis.definition')]}
          >
            {figureRows(kpis.data).map(({ key, kpi, extra }) => (
              <tr key={key} data-kpi={key}>
                <th scope="row">{t(`kpi.${key}`)}</th>
                <td className="num">
                  {value(kpi)}
                  {extra ? <div className="muted">{t('kpis.since', { date: formatDate(extra) })}</div> : null}
                </td>
                <td className="num">{kpi.basis}</td>
                <td>
                  {(kpi.definition[lang] || kpi.definition.nl).replace(
                    /\b(fase|phase) (reported|assessment|investigation|directSafety|stableSafety|recovery|closed)\b/g,
                    (_m, word: string, phase: string) => `${word} ‘${phaseLabel(t, phase)}’`,
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </section>
  );
}
