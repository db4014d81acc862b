import { useMachine } from '@xstate/react';
import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import '../audit/audit.css';
import { Link, useParams } from 'react-router';
import { historySchema } from '../../../contract/index.ts';
import { familyContextSchema } from '../../../machines/schemas/audit.ts';
import { changesBetween } from '../audit/diff.ts';
import { actorText, namesOf, type People } from '../audit/names.ts';
import { eventSentence } from '../audit/sentences.ts';
import { Statechart } from '../components/statechart/Statechart.tsx';
import { api, isApiError } from '../api.ts';
import { keys } from '../queries.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { EventFacts } from '../components/HistoryBits.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { VerifyPanel } from '../components/VerifyPanel.tsx';
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
        <Stepper familyId={id} events={history.data.events} people={history.data.people} />
      ) : null}
      {history.data && history.data.events.length === 0 ? <p>{t('replay.empty')}</p> : null}
      <VerifyPanel familyId={id} />
    </section>
  );
}

function Stepper({
  familyId,
  events,
  people,
}: {
  familyId: string;
  events: HistoryEvent[];
  people: People | undefined;
}) {
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

  // The case as recomputed after this step and the one before: for naming and for what changed.
  const after = useMemo(() => (step ? familyContextSchema.safeParse(step.context) : null), [step]);
  const previous = useMemo(() => (before ? familyContextSchema.safeParse(before.context) : null), [before]);
  const names = useMemo(
    () =>
      namesOf(t, { ...people, ...before?.people, ...step?.people }, after?.success ? after.data : undefined),
    [t, people, before, step, after],
  );
  const changes = useMemo(() => {
    if (!step || !after?.success) return null;
    if (seq > 1 && !(before && previous?.success)) return null;
    return changesBetween(
      before && previous?.success ? { state: before.state, context: previous.data } : null,
      { state: step.state, context: after.data },
      t,
      names,
    );
  }, [step, before, after, previous, seq, t, names]);

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

  // ← → Home End step through the history anywhere in the stepper except while typing a number.
  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    const target = e.target as HTMLElement;
    if (target.closest('input, select, textarea, .statechart-canvas')) return;
    const type =
      e.key === 'ArrowRight'
        ? 'NEXT'
        : e.key === 'ArrowLeft'
          ? 'PREV'
          : e.key === 'Home'
            ? 'FIRST'
            : e.key === 'End'
              ? 'LAST'
              : null;
    if (!type) return;
    e.preventDefault();
    send({ type });
  }

  return (
    <section className="stepper" aria-labelledby="step-title" onKeyDown={onKeyDown}>
      <div
        className="stepper-controls"
        role="group"
        aria-label={t('replay.controls')}
        aria-describedby="replay-keys"
      >
        <button
          type="button"
          onClick={() => send({ type: 'FIRST' })}
          disabled={seq <= 1}
          data-testid="replay-first"
        >
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
        <button
          type="button"
          onClick={() => send({ type: 'LAST' })}
          disabled={seq >= total}
          data-testid="replay-last"
        >
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
      <p className="hint" id="replay-keys">
        {t('replay.keys')}
      </p>
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
          {event ? (
            <>
              {': '}
              <span data-testid="replay-event">{eventName(t, event.type)}</span>
            </>
          ) : null}
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
          <>
            <p className="sentence" data-testid="replay-sentence">
              {eventSentence(event, t, names)}
            </p>
            <EventFacts event={event} names={names} variant="replay" className="step-facts" />
          </>
        ) : null}
        {step?.currentRules && event ? (
          <>
            <h3>{t('replay.todaysRules')}</h3>
            <p
              className={step.currentRules.allowed ? 'notice success' : 'notice warning'}
              data-testid="replay-current-rules"
              data-allowed={String(step.currentRules.allowed)}
            >
              {step.currentRules.allowed
                ? t('replay.todaysRulesAllow', { version: step.currentRules.version })
                : t('replay.todaysRulesRefuse', {
                    version: step.currentRules.version,
                    message: step.currentRules.message ?? t('replay.todaysRulesNoReason'),
                  })}
            </p>
          </>
        ) : null}
        {step ? (
          <>
            <h3>{t('replay.stateAfter')}</h3>
            <p data-testid="replay-state">
              <StateBadges state={step.state} />
            </p>
          </>
        ) : null}
        <h3>{t('replay.changes')}</h3>
        {changes ? (
          <ul data-testid="replay-changes">
            {changes.length === 0 ? <li>{t('diff.nothing')}</li> : null}
            {changes.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        ) : step && !loading ? (
          <p>{t('diff.unreadable')}</p>
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
                      ? actorText(event.actor, t, names)
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
        {step && event ? (
          <Statechart
            machineVersion={event.machineVersion}
            state={step.state}
            allowed={step.allowedEvents}
            level={3}
            idPrefix="replay-chart"
          />
        ) : null}
      </div>
    </section>
  );
}
