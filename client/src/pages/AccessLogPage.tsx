import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { accessLogSchema } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { keys } from '../queries.ts';
import { TextField } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDateTime } from '../format.ts';
import { accessActionLabel, accessResultLabel, roleLabel } from '../labels.ts';
import {
  DateRangeFields,
  FilterForm,
  PagedTable,
  useAnnounceLoaded,
  useListFilters,
} from '../components/ListParts.tsx';

type Filters = { familyId: string; userId: string; from: string; to: string };
const PAGE_SIZE = 100;
const idPattern = /^[A-Za-z0-9_-]*$/;

export function AccessLogPage() {
  const { t } = useTranslation();
  usePageTitle(t('accessLog.title'));
  const { draft, setDraft, filters, setFilters, setPage } = useListFilters<Filters>({
    familyId: '',
    userId: '',
    from: '',
    to: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const log = useResource(keys.accessLog(filters), (signal) =>
    api.get(
      accessLogSchema,
      '/access-log',
      {
        familyId: filters.familyId.trim(),
        userId: filters.userId.trim(),
        from: filters.from,
        to: filters.to,
        page: filters.page,
        pageSize: PAGE_SIZE,
      },
      signal,
    ),
  );

  useAnnounceLoaded(log, t('accessLog.loaded', { count: log.data?.total ?? 0 }));

  function apply(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!idPattern.test(draft.familyId.trim())) found.familyId = t('validation.identifier');
    if (!idPattern.test(draft.userId.trim())) found.userId = t('validation.identifier');
    setErrors(found);
    if (Object.keys(found).length === 0) setFilters({ ...draft, page: 1 });
  }

  return (
    <section aria-labelledby="access-title" aria-busy={log.status === 'loading'}>
      <h1 id="access-title">{t('accessLog.title')}</h1>
      <p>{t('accessLog.intro')}</p>
      <FilterForm onSubmit={apply}>
        {(['familyId', 'userId'] as const).map((k) => (
          <TextField
            key={k}
            id={`log-${k}`}
            label={t(`accessLog.${k}`)}
            value={draft[k]}
            onChange={(v) => setDraft({ ...draft, [k]: v })}
            error={errors[k]}
            autoComplete="off"
          />
        ))}
        <DateRangeFields prefix="log" draft={draft} setDraft={setDraft} />
      </FilterForm>
      <PagedTable
        list={log}
        empty={t('accessLog.empty')}
        page={filters.page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        className="access-log"
        caption={(total) => t('accessLog.caption', { count: total })}
        columns={[
          t('accessLog.at'),
          t('accessLog.user'),
          t('accessLog.role'),
          t('accessLog.family'),
          t('accessLog.action'),
          t('accessLog.result'),
          t('accessLog.ip'),
        ]}
        row={(r) => (
          <tr key={r.id}>
            <td>{formatDateTime(r.at)}</td>
            <td>{r.username ?? r.userId ?? t('common.unknown')}</td>
            <td>{r.role ? roleLabel(t, r.role) : ''}</td>
            <td>
              {r.familyId ? <Link to={`/families/${encodeURIComponent(r.familyId)}`}>{r.familyId}</Link> : ''}
            </td>
            <td>{accessActionLabel(t, r.action)}</td>
            <td>{accessResultLabel(t, r.result)}</td>
            <td>{r.ip ?? ''}</td>
          </tr>
        )}
      />
    </section>
  );
}
