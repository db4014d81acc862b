import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../audit/audit.css';
import { Link, useParams, useSearchParams } from 'react-router';
import { familyViewSchema, historySchema } from '../../../contract/index.ts';
import { decisionEventTypes } from '../../../machines/schemas/events.ts';
import { api } from '../api.ts';
import { ExportPanel } from '../audit/ExportPanel.tsx';
import { namesOf } from '../audit/names.ts';
import { eventKinds, eventSentence, kindOf } from '../audit/sentences.ts';
import { keys } from '../queries.ts';
import { EventFacts, StateAfter } from '../components/HistoryBits.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { formatDateTime } from '../format.ts';
import { serverNow } from '../serverClock.ts';
import { useResource } from '../components/useResource.ts';
import { VerifyPanel } from '../components/VerifyPanel.tsx';
import { eventName } from '../labels.ts';
import { hasRole, useUser } from '../session.tsx';
import { LoadState } from '../components/ListState.tsx';

// Issue 13, decision history: every event as a line of the family's timeline — what happened in a
// sentence, who (name and role), when it was recorded and when it happened, the motivation, the state
// afterwards — filtered by kind of event (kept in the URL, so back and reload keep it).

const decisions: readonly string[] = decisionEventTypes;

export function HistoryPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  usePageTitle(t('history.title'));
  const history = useResource(keys.history(id), (signal) =>
    api.get(historySchema, `/families/${encodeURIComponent(id)}/history`, undefined, signal),
  );
  const family = useResource(keys.family(id), (signal) =>
    api.get(familyViewSchema, `/families/${encodeURIComponent(id)}`, undefined, signal),
  );
  const familyPath = `/families/${encodeURIComponent(id)}`;
  // The filter answers at once; the URL follows (replace), and back/forward bring it back.
  const fromUrl = useMemo(
    () => ({
      kind: eventKinds.find((k) => k === params.get('kind')) ?? null,
      onlyDecisions: params.get('decisions') === '1',
    }),
    [params],
  );
  const [filter, setFilterState] = useState(fromUrl);
  useEffect(() => setFilterState(fromUrl), [fromUrl]);
  const { kind, onlyDecisions } = filter;
  const names = useMemo(() => namesOf(t, history.data?.people, family.data), [t, history.data, family.data]);
  const events = history.data?.events ?? [];
  const shown = events.filter(
    (e) => (!kind || kindOf(e.type) === kind) && (!onlyDecisions || decisions.includes(e.type)),
  );

  function setFilter(name: 'kind' | 'decisions', value: string | null) {
    setFilterState((f) =>
      name === 'kind'
        ? { ...f, kind: eventKinds.find((k) => k === value) ?? null }
        : { ...f, onlyDecisions: value === '1' },
    );
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  return (
    <section aria-labelledby="history-title" aria-busy={history.status === 'loading'}>
      <p className="breadcrumb">
        <Link to={familyPath}>{t('history.backToFamily')}</Link>
      </p>
      <h1 id="history-title">
        {family.data ? t('history.titleOf', { reference: family.data.reference }) : t('history.title')}
      </h1>
      <p>{t('history.intro')}</p>
      {/* Only on paper: when and by whom the report was printed. */}
      <p className="print-only" data-testid="printed-by">
        {t('export.printedAt', { date: formatDateTime(serverNow().toISOString()), name: user.displayName })}
      </p>
      {hasRole(user, 'auditor') ? (
        <p>
          <Link to={`${familyPath}/replay`}>{t('family.replay')}</Link>
        </p>
      ) : null}
      <LoadState resource={history} />
      {history.data ? (
        <>
          <form
            className="filters history-filters"
            onSubmit={(e) => e.preventDefault()}
            aria-labelledby="history-filter-title"
          >
            <h2 id="history-filter-title" className="visually-hidden">
              {t('history.filterTitle')}
            </h2>
            <div className="field">
              <label htmlFor="history-kind">{t('history.kindFilter')}</label>
              <select
                id="history-kind"
                value={kind ?? ''}
                onChange={(e) => setFilter('kind', e.target.value || null)}
              >
                <option value="">{t('history.kindAll')}</option>
                {eventKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`history.kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field checkbox">
              <input
                id="history-decisions"
                type="checkbox"
                checked={onlyDecisions}
                onChange={(e) => setFilter('decisions', e.target.checked ? '1' : null)}
              />
              <label htmlFor="history-decisions">{t('history.onlyDecisions')}</label>
            </div>
          </form>
          <p role="status" data-testid="history-count">
            {shown.length === events.length
              ? t('history.caption', { count: events.length })
              : t('history.shown', { shown: shown.length, count: events.length })}
          </p>
          <ol className="history timeline" data-testid="history-timeline">
            {shown.map((e) => (
              <li
                key={e.seq}
                className={`timeline-item kind-${kindOf(e.type)}${decisions.includes(e.type) ? ' decision' : ''}`}
                data-testid="history-event"
                data-type={e.type}
              >
                <h2 className="timeline-title">
                  <span className="seq">{t('history.seqOf', { seq: e.seq })}</span> {eventName(t, e.type)}
                  {decisions.includes(e.type) ? (
                    <span className="tag">{t('history.decisionTag')}</span>
                  ) : null}
                </h2>
                <p className="sentence" data-testid="history-sentence">
                  {eventSentence(e, t, names)}
                </p>
                <EventFacts event={e} names={names} variant="history" className="timeline-facts">
                  <div>
                    <dt>{t('history.stateAfter')}</dt>
                    <dd>
                      <StateAfter value={e.stateAfter} />
                    </dd>
                  </div>
                </EventFacts>
              </li>
            ))}
          </ol>
          {shown.length === 0 ? <p>{t('history.noneOfKind')}</p> : null}
        </>
      ) : null}
      {hasRole(user, 'auditor') ? <VerifyPanel familyId={id} /> : null}
      {hasRole(user, 'auditor') && family.data ? (
        <ExportPanel familyId={id} reference={family.data.reference} />
      ) : null}
    </section>
  );
}
