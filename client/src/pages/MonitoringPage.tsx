import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { monitoringSchema } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { keys } from '../queries.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { deadlineKindLabel, statusLabel } from '../labels.ts';
import { syncServerClock } from '../serverClock.ts';

/** Families per page: the server's default (at most 200). */
const PAGE_SIZE = 50;

export function MonitoringPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('monitoring.title'));
  // In memory only, like the family list's filters: never in the URL.
  const [page, setPage] = useState(1);
  const list = useResource(keys.monitoring(page), async (signal) => {
    await syncServerClock();
    return api.get(monitoringSchema, '/monitoring', { page, pageSize: PAGE_SIZE }, signal);
  });
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);
  const tableRef = useRef<HTMLTableElement>(null);
  const moved = useRef(false);

  // A page beyond the end (the list shrank meanwhile): go to the last one.
  useEffect(() => {
    if (list.status === 'ready' && list.data.items.length === 0 && page > 1)
      setPage(Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)));
  }, [list.status, list.data, page]);

  useEffect(() => {
    if (list.status !== 'ready') return;
    announce(
      list.data.total > PAGE_SIZE
        ? t('monitoring.loadedPage', { count: list.data.total, page, pages })
        : t('monitoring.loaded', { count: list.data.total }),
    );
    // After a page change, start reading at the new page's table rather than at the pager.
    if (moved.current) tableRef.current?.focus();
    moved.current = false;
  }, [list.status, list.data, page, pages, announce, t]);

  function goTo(next: number) {
    moved.current = true;
    setPage(next);
  }

  return (
    <section aria-labelledby="monitoring-title" aria-busy={list.status === 'loading'}>
      <h1 id="monitoring-title">{t('monitoring.title')}</h1>
      <p>{t('monitoring.intro')}</p>
      {list.status === 'loading' && !list.data ? <p className="loading">{t('common.loading')}</p> : null}
      {list.status === 'error' ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.items.length === 0 ? <p>{t('monitoring.empty')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table ref={tableRef} tabIndex={-1}>
            <caption>
              {total > PAGE_SIZE
                ? t('monitoring.captionRange', { first, last, count: total })
                : t('monitoring.caption', { count: total })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('families.reference')}</th>
                <th scope="col">{t('families.state')}</th>
                <th scope="col">{t('families.director')}</th>
                <th scope="col">{t('monitoring.conditions')}</th>
                <th scope="col">{t('monitoring.lastCheck')}</th>
                <th scope="col">{t('monitoring.nextCheck')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((m) => (
                <tr key={m.id} className={m.overdue ? 'overdue' : undefined}>
                  <th scope="row" className="reference">
                    <Link to={`/families/${encodeURIComponent(m.id)}`}>{m.reference}</Link>
                    <div className="muted">{m.municipality}</div>
                  </th>
                  <td>
                    <StateBadges state={m.state} />
                  </td>
                  <td>
                    {m.caseDirector?.displayName ?? t('family.noDirector')}
                    {m.declinedHandover ? (
                      <div className="declined" data-testid="declined">
                        <strong>{t('monitoring.declinedTodo')}</strong>{' '}
                        {t('monitoring.declined', {
                          name: m.declinedHandover.declinedBy.displayName,
                          date: formatDateTime(m.declinedHandover.at),
                        })}
                        {m.declinedHandover.reason ? (
                          <>
                            {' '}
                            {t('monitoring.declinedReason', { reason: m.declinedHandover.reason })}
                          </>
                        ) : null}
                      </div>
                    ) : null}
                    {m.missedDeadlines.length > 0 ? (
                      <div className="missed" data-testid="missed">
                        <strong>{t('monitoring.missedTodo')}</strong>
                        <ul className="plain">
                          {m.missedDeadlines.map((d) => (
                            <li key={`${d.kind} ${d.dueAt}`}>
                              {t('monitoring.missed', { what: deadlineKindLabel(t, d.kind), date: formatDateTime(d.dueAt) })}
                            </li>
                          ))}
                        </ul>
                      </div>
                    ) : null}
                    {m.pendingDirector ? (
                      <div className="muted">
                        {t('monitoring.pending', { name: m.pendingDirector.displayName })}
                        {m.acceptanceDue
                          ? ` – ${t('monitoring.acceptBy', { date: formatDateTime(m.acceptanceDue) })}`
                          : ''}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {m.conditions.length === 0 ? (
                      t('common.none')
                    ) : (
                      <ul className="plain">
                        {m.conditions.map((c) => (
                          <li key={c.id}>
                            {c.description} ({statusLabel(t, c.status)}
                            {c.dueAt ? `, ${t('monitoringCheck.due', { date: formatDate(c.dueAt) })}` : ''})
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{m.lastCheckAt ? formatDateTime(m.lastCheckAt) : t('common.none')}</td>
                  <td>
                    {m.nextCheckDue ? formatDateTime(m.nextCheckDue) : t('common.none')}
                    {m.overdue ? <span className="tag overdue">{t('deadline.overdue')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.data && total > PAGE_SIZE ? (
        <nav className="pager" aria-label={t('monitoring.paging')}>
          <button
            type="button"
            disabled={page <= 1 || list.status === 'loading'}
            onClick={() => goTo(page - 1)}
          >
            {t('monitoring.previous')}
          </button>
          <span>{t('monitoring.pageOf', { page, pages })}</span>
          <button
            type="button"
            disabled={page >= pages || list.status === 'loading'}
            onClick={() => goTo(page + 1)}
          >
            {t('monitoring.next')}
          </button>
        </nav>
      ) : null}
    </section>
  );
}
