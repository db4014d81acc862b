import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { historySchema } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { keys } from '../queries.ts';
import { actorText, eventDetail, PayloadDetails, StateAfter } from '../components/HistoryBits.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { VerifyPanel } from '../components/VerifyPanel.tsx';
import { formatDateTime } from '../format.ts';
import { eventName } from '../labels.ts';
import { hasRole, useUser } from '../session.tsx';
import { DataTable } from '../components/ListParts.tsx';
import { LoadState } from '../components/ListState.tsx';

export function HistoryPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useUser();
  usePageTitle(t('history.title'));
  const history = useResource(keys.history(id), (signal) =>
    api.get(historySchema, `/families/${encodeURIComponent(id)}/history`, undefined, signal),
  );
  const familyPath = `/families/${encodeURIComponent(id)}`;

  return (
    <section aria-labelledby="history-title" aria-busy={history.status === 'loading'}>
      <p className="breadcrumb">
        <Link to={familyPath}>{t('history.backToFamily')}</Link>
      </p>
      <h1 id="history-title">{t('history.title')}</h1>
      <p>{t('history.intro')}</p>
      {hasRole(user, 'auditor') ? (
        <p>
          <Link to={`${familyPath}/replay`}>{t('family.replay')}</Link>
        </p>
      ) : null}
      <LoadState resource={history} />
      {history.data ? (
        <DataTable
          className="history"
          caption={t('history.caption', { count: history.data.events.length })}
          columns={[
            t('history.seq'),
            t('history.event'),
            t('history.actor'),
            t('history.recordedAt'),
            t('history.reason'),
            t('history.stateAfter'),
            t('history.hash'),
          ]}
        >
          {history.data.events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <th scope="row">
                {eventName(t, e.type)}
                {eventDetail(e.type, e.payload, t) ? (
                  <div className="event-detail">{eventDetail(e.type, e.payload, t)}</div>
                ) : null}
                <PayloadDetails payload={e.payload} label={t('history.payload')} />
              </th>
              <td>{actorText(e.actor, t)}</td>
              <td>
                {formatDateTime(e.recordedAt)}
                {e.occurredAt && e.occurredAt !== e.recordedAt ? (
                  <div className="muted">
                    {t('history.occurredAt', { date: formatDateTime(e.occurredAt) })}
                  </div>
                ) : null}
              </td>
              <td>{e.reason ?? <span className="muted">{t('history.noReason')}</span>}</td>
              <td>
                <StateAfter value={e.stateAfter} />
              </td>
              <td>
                <code className="hash" title={e.hash}>
                  {e.hash.slice(0, 12)}
                </code>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {hasRole(user, 'auditor') ? <VerifyPanel familyId={id} /> : null}
    </section>
  );
}
