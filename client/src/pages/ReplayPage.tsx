import { useMachine } from '@xstate/react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { historySchema } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { keys } from '../queries.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { actorText, eventDetail, PayloadDetails } from '../components/HistoryBits.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { VerifyPanel } from '../components/VerifyPanel.tsx';
import { formatDateTime } from '../format.ts';
import { problemText } from '../forms/errors.tsx';
import { eventAction, eventName, roleLabel } from '../labels.ts';
import { replayMachine } from '../replayMachine.ts';
import type { HistoryEvent } from '../types.ts';
import { LoadState } from '../components/ListState.tsx';

export function ReplayPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  usePageTitle(t('replay.title'));
  const history = useResource(keys.history(id), (signal) =>
    api.get(historySchema, `/families/${encodeURIComponent(id)}/history`, undefined, signal),
  );
  const familyPath = `/families/${encodeURIComponent(id)}`;
  return (
    <section aria-labelledby="replay-title">
      <p className="breadcrumb">
        <Link to={familyPath}>{t('history.backToFamily')}</Link> ·{' '}
        <Link to={`${familyPath}/history`}>{t('family.history')}</Link>
      </p>
      <h1 id="replay-title">{t('replay.title')}</h1>
      <p>{t('replay.intro')}</p>
      <LoadState resource={history} busy />
      {history.data && history.data.events.length > 0 ? (
        <Stepper familyId={id} events={history.data.events} />
      ) : null}
      {history.data && history.data.events.length === 0 ? <p>{t('replay.empty')}</p> : null}
      <VerifyPanel familyId={id} />
    </section>
  );
}

function Stepper({ familyId, events }: { familyId: string; events: HistoryEvent[] }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const total = events.length;
  const [snapshot, send] = useMachine(replayMachine, { input: { familyId, total } });
  const { seq, steps, error } = snapshot.context;
  const loading = snapshot.matches('loading');
  const [gotoValue, setGotoValue] = useState('1');
  const step = steps[seq];
  const before = seq > 1 ? steps[seq - 1] : undefined;
  const event = events.find((e) => e.seq === seq);

  useEffect(() => {
    setGotoValue(String(seq));
  }, [seq]);

  useEffect(() => {
    if (snapshot.matches('ready') && event) {
      announce(t('replay.stepAnnounce', { seq, total, event: eventName(t, event.type) }));
    }
  }, [snapshot, seq, total, event, announce, t]);

  function goto(e: FormEvent) {
    e.preventDefault();
    const n = Number(gotoValue);
    if (Number.isInteger(n)) send({ type: 'GOTO', seq: n });
  }

  return (
    <section className="stepper" aria-labelledby="step-title">
      <div className="stepper-controls" role="group" aria-label={t('replay.controls')}>
        <button type="button" onClick={() => send({ type: 'FIRST' })} disabled={seq <= 1}>
          {t('replay.first')}
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'PREV' })}
          disabled={seq <= 1}
          data-testid="replay-prev"
        >
          {t('replay.prev')}
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'NEXT' })}
          disabled={seq >= total}
          data-testid="replay-next"
        >
          {t('replay.next')}
        </button>
        <button type="button" onClick={() => send({ type: 'LAST' })} disabled={seq >= total}>
          {t('replay.last')}
        </button>
        <form onSubmit={goto} className="inline-form">
          <label htmlFor="replay-goto">{t('replay.goto')}</label>
          <input
            id="replay-goto"
            type="number"
            min={1}
            max={total}
            value={gotoValue}
            onChange={(e) => setGotoValue(e.target.value)}
            inputMode="numeric"
          />
          <button type="submit">{t('replay.go')}</button>
        </form>
      </div>
      <p className="progress-line">
        <progress value={seq} max={total} aria-labelledby="step-title" />
      </p>
      <div
        aria-busy={loading}
        className="step"
        data-testid="replay-step"
        data-seq={seq}
        data-state={loading ? 'loading' : 'ready'}
      >
        <h2 id="step-title" tabIndex={-1}>
          {t('replay.step', { seq, total })}
        </h2>
        {loading ? (
          <p className="loading">
            <progress aria-label={t('replay.loading', { seq })} /> {t('replay.loading', { seq })}
          </p>
        ) : null}
        {snapshot.matches('failed') ? (
          <div className="form-error" role="alert">
            <p>{isApiError(error) ? problemText(error.problem, t) : t('errors.generic')}</p>
            <button type="button" onClick={() => send({ type: 'RETRY' })}>
              {t('common.retry')}
            </button>
          </div>
        ) : null}
        {event ? (
          <dl className="facts step-facts">
            <div>
              <dt>{t('replay.event')}</dt>
              <dd>
                <span data-testid="replay-event">{eventName(t, event.type)}</span>
                {eventDetail(event.type, event.payload, t) ? (
                  <span className="event-detail"> ({eventDetail(event.type, event.payload, t)})</span>
                ) : null}
              </dd>
            </div>
            <div>
              <dt>{t('replay.decidedBy')}</dt>
              <dd>{actorText(event.actor, t)}</dd>
            </div>
            <div>
              <dt>{t('replay.when')}</dt>
              <dd>{formatDateTime(event.recordedAt)}</dd>
            </div>
            <div>
              <dt>{t('replay.reason')}</dt>
              <dd data-testid="replay-reason">{event.reason ?? t('history.noReason')}</dd>
            </div>
          </dl>
        ) : null}
        {event ? <PayloadDetails payload={event.payload} label={t('history.payload')} /> : null}
        {step ? (
          <>
            <h3>{t('replay.stateAfter')}</h3>
            <p data-testid="replay-state">
              <StateBadges state={step.state} />
            </p>
          </>
        ) : null}
        <h3>{t('replay.alternatives')}</h3>
        {seq === 1 ? (
          <p>{t('replay.firstStep')}</p>
        ) : before ? (
          <>
            {before.allowedFor ? (
              <p className="hint">
                {t('replay.allowedFor', {
                  who:
                    event && 'id' in event.actor && event.actor.id === before.allowedFor.id
                      ? actorText(event.actor, t)
                      : roleLabel(t, before.allowedFor.role),
                })}
              </p>
            ) : null}
            <ul className="alternatives" data-testid="replay-alternatives">
              {before.allowedEvents.map((type) => (
                <li key={type} className={event?.type === type ? 'chosen' : undefined}>
                  {eventAction(t, type)}
                  {event?.type === type ? <strong> – {t('replay.chosen')}</strong> : null}
                </li>
              ))}
              {before.allowedEvents.length === 0 ? <li>{t('common.none')}</li> : null}
            </ul>
          </>
        ) : null}
        {step ? (
          <details>
            <summary>{t('replay.allowedAfter')}</summary>
            <ul>
              {step.allowedEvents.map((type) => (
                <li key={type}>{eventAction(t, type)}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {step ? <PayloadDetails payload={step.context} label={t('replay.context')} /> : null}
      </div>
    </section>
  );
}
