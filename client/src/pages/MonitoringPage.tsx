import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { problemText } from '../forms/errors.tsx';
import { statusLabel } from '../labels.ts';
import { syncServerClock } from '../serverClock.ts';
import type { Monitoring } from '../types.ts';

export function MonitoringPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('monitoring.title'));
  const list = useResource(async (signal) => {
    await syncServerClock();
    return api.get<Monitoring>('/monitoring', undefined, signal);
  }, 'monitoring');

  useEffect(() => {
    if (list.status === 'ready') announce(t('monitoring.loaded', { count: list.data.items.length }));
  }, [list.status, list.data, announce, t]);

  return (
    <section aria-labelledby="monitoring-title" aria-busy={list.status === 'loading'}>
      <h1 id="monitoring-title">{t('monitoring.title')}</h1>
      <p>{t('monitoring.intro')}</p>
      {list.status === 'loading' && !list.data ? <p className="loading">{t('common.loading')}</p> : null}
      {list.status === 'error' ? (
        <div className="form-error" role="alert">
          <p>{isApiError(list.error) ? problemText(list.error.problem, t) : t('errors.generic')}</p>
          <button type="button" onClick={list.reload}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
      {list.data && list.data.items.length === 0 ? <p>{t('monitoring.empty')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>{t('monitoring.caption', { count: list.data.items.length })}</caption>
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
                  <th scope="row">
                    <Link to={`/families/${encodeURIComponent(m.id)}`}>{m.reference}</Link>
                    <div className="muted">{m.municipality}</div>
                  </th>
                  <td>
                    <StateBadges state={m.state} />
                  </td>
                  <td>
                    {m.caseDirector?.displayName ?? t('family.noDirector')}
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
    </section>
  );
}
