import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { accessLogSchema, type AccessLogRow } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { keys } from '../queries.ts';
import { CsvDownload } from '../components/CsvDownload.tsx';
import { CheckboxField, TextField } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDateTime } from '../format.ts';
import { accessActionLabel, accessResultLabel, roleLabel } from '../labels.ts';
import { DateRangeFields, FilterForm, PagedTable, useAnnounceLoaded, useListFilters } from '../components/ListParts.tsx';

// The access review (NEN 7513): who read or changed which family when, filtered by the name the
// table shows, the family's reference and the period; reads by users never assigned to the family
// stand out, in words and by their look, and the page downloads as CSV.

type Filters = { username: string; reference: string; from: string; to: string; unassigned: boolean };
const PAGE_SIZE = 100;

function Assigned({ row }: { row: AccessLogRow }) {
  const { t } = useTranslation();
  if (row.assigned === null) return <>{t('accessLog.assignedNone')}</>;
  return row.assigned ? (
    <>{t('accessLog.assignedYes')}</>
  ) : (
    <strong className="unassigned-flag">
      <span aria-hidden="true">⚠ </span>
      {t('accessLog.assignedNo')}
    </strong>
  );
}

export function AccessLogPage() {
  const { t } = useTranslation();
  usePageTitle(t('accessLog.title'));
  const { draft, setDraft, filters, apply, setPage } = useListFilters<Filters>({
    username: '',
    reference: '',
    from: '',
    to: '',
    unassigned: false,
  });
  const query = {
    username: filters.username.trim(),
    reference: filters.reference.trim(),
    from: filters.from,
    to: filters.to,
    unassigned: filters.unassigned ? 'true' : undefined,
    page: filters.page,
    pageSize: PAGE_SIZE,
  };
  const log = useResource(keys.accessLog(query), (signal) => api.get(accessLogSchema, '/access-log', query, signal));

  useAnnounceLoaded(log, t('accessLog.loaded', { count: log.data?.total ?? 0 }));

  return (
    <section aria-labelledby="access-title" aria-busy={log.status === 'loading'}>
      <h1 id="access-title">{t('accessLog.title')}</h1>
      <p>{t('accessLog.intro')}</p>
      <FilterForm onSubmit={apply}>
        <TextField
          id="log-username"
          label={t('accessLog.username')}
          hint={t('accessLog.usernameHint')}
          value={draft.username}
          onChange={(username) => setDraft({ ...draft, username })}
          autoComplete="off"
        />
        <TextField
          id="log-reference"
          label={t('accessLog.reference')}
          value={draft.reference}
          onChange={(reference) => setDraft({ ...draft, reference })}
          autoComplete="off"
        />
        <DateRangeFields prefix="log" draft={draft} setDraft={setDraft} />
        <CheckboxField
          id="log-unassigned"
          label={t('accessLog.unassignedOnly')}
          hint={t('accessLog.unassignedHint')}
          checked={draft.unassigned}
          onChange={(unassigned) => setDraft({ ...draft, unassigned })}
        />
      </FilterForm>
      <CsvDownload path="/access-log" query={query} filename="toegangslog.csv" label={t('accessLog.downloadCsv')} />
      <PagedTable
        list={log}
        empty={t('accessLog.empty')}
        page={filters.page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        captionId="access-log-caption"
        className="access-log"
        caption={(total) => t('accessLog.caption', { count: total })}
        columns={[
          t('accessLog.at'),
          t('accessLog.user'),
          t('accessLog.role'),
          t('accessLog.family'),
          t('accessLog.action'),
          t('accessLog.result'),
          t('accessLog.assigned'),
          t('accessLog.ip'),
        ]}
        row={(r) => (
          <tr key={r.id} className={r.assigned === false ? 'unassigned' : undefined}>
            <td>{formatDateTime(r.at)}</td>
            <td>
              {r.displayName ?? r.username ?? t('accessLog.noUser')}
              {r.displayName && r.username ? <div className="muted">{r.username}</div> : null}
            </td>
            <td>{r.role ? r.role.split(',').map((role) => roleLabel(t, role)).join(', ') : ''}</td>
            <td>
              {r.familyId && r.familyReference ? (
                <Link to={`/families/${encodeURIComponent(r.familyId)}`}>{r.familyReference}</Link>
              ) : r.familyId ? (
                t('accessLog.familyUnknown')
              ) : (
                t('accessLog.noFamily')
              )}
            </td>
            <td>{accessActionLabel(t, r.action)}</td>
            <td>{accessResultLabel(t, r.result)}</td>
            <td>
              <Assigned row={r} />
            </td>
            <td>{r.ip ?? ''}</td>
          </tr>
        )}
      />
    </section>
  );
}
