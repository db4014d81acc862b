import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { UserEventType } from '../../../machines/schemas/events.ts';
import { familyViewSchema } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { currentLanguage } from '../i18n/index.ts';
import { keys } from '../queries.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { columnHeads } from '../components/ListParts.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { daysBetween, formatDate, formatDateTime } from '../format.ts';
import { Countdown } from '../components/Countdown.tsx';
import { PhaseTrack } from '../components/PhaseTrack.tsx';
import { FamilyStatechart } from '../components/statechart/FamilyStatechart.tsx';
import { EventForm, isDecision, type EventOutcome } from '../forms/EventForm.tsx';
import { problemText } from '../forms/errors.tsx';
import { deadlineKindLabel, eventAction, measureKindLabel, statusLabel } from '../labels.ts';
import { serverNow, syncServerClock } from '../serverClock.ts';
import { hasRole, useUser } from '../session.tsx';
import type { FamilyView } from '../types.ts';
import { FamilyAccessPanel } from './FamilyAccessPanel.tsx';
import { FamilyV2Sections } from './FamilyV2Sections.tsx';

/**
 * The actions of the family page: what the reader may do now and what a rule refuses now (shown
 * disabled, with the sentence why), decisions first so the main one leads.
 */
function actionsOf(data: FamilyView): { type: UserEventType; blocked: FamilyView['blockedEvents'][number] | null }[] {
  const blocked = new Map(data.blockedEvents.map((b) => [b.type, b]));
  const types = [...new Set<UserEventType>([...data.allowedEvents, ...blocked.keys()])];
  return types
    .map((type) => ({ type, blocked: blocked.get(type) ?? null }))
    .sort((a, b) => Number(a.blocked !== null) - Number(b.blocked !== null) || Number(isDecision(b.type)) - Number(isDecision(a.type)));
}


/** Stable safety still lies ahead: the date it becomes possible means something (not in stable safety, recovery or closed). */
function stableSafetyAhead(data: FamilyView): boolean {
  return data.state.phase.startsWith('directSafety');
}

/** Said beside an agreement, condition or child perspective the director keeps out of the family's own view. */
function HiddenFromFamily({ visible }: { visible: boolean }) {
  const { t } = useTranslation();
  return visible ? null : (
    <span className="tag hidden-from-family" data-testid="hidden-from-family">
      {t('familyView.hidden')}
    </span>
  );
}

export function FamilyPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useUser();
  const announce = useAnnounce();
  const family = useResource(keys.family(id), async (signal) => {
    await syncServerClock();
    return api.get(familyViewSchema, `/families/${encodeURIComponent(id)}`, undefined, signal);
  });
  const [active, setActive] = useState<UserEventType | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const actionsRef = useRef<HTMLHeadingElement>(null);
  const data = family.data;
  usePageTitle(data ? t('family.title', { reference: data.reference }) : t('family.titleLoading'));

  useEffect(() => {
    if (family.status === 'ready') announce(t('family.loaded'));
  }, [family.status, announce, t]);

  // If a reload shows the open action is no longer allowed, close its form rather than send a doomed event.
  useEffect(() => {
    if (active && data && !data.allowedEvents.includes(active)) {
      setActive(null);
      setNotice({ kind: 'warning', text: t('family.actionGone', { event: eventAction(t, active) }) });
      announce(t('family.actionGone', { event: eventAction(t, active) }));
    }
  }, [active, data, t, announce]);

  const onDone = useCallback(
    (outcome: EventOutcome) => {
      if (outcome.kind === 'accepted') {
        family.set(outcome.family);
        setNotice({
          kind: 'success',
          text: t('eventForm.savedNotice', {
            event: eventAction(t, active ?? ''),
            version: outcome.family.version,
          }),
        });
        setActive(null);
        requestAnimationFrame(() => actionsRef.current?.focus());
      } else {
        family.reload();
      }
    },
    [family, active, t],
  );

  // One article and one h1 whether loading or loaded: route focus set on the h1 survives the load.
  return (
    <article aria-labelledby="family-title" aria-busy={family.status === 'loading'}>
      <p className="breadcrumb">
        <Link to="/">{t('family.back')}</Link>
      </p>
      <h1 id="family-title">
        {data ? t('family.title', { reference: data.reference }) : t('family.titleLoading')}
      </h1>
      {data ? (
        renderDetails(data)
      ) : family.status === 'error' ? (
        <div className="form-error" role="alert">
          <p>{isApiError(family.error) ? problemText(family.error.problem, t) : t('errors.generic')}</p>
        </div>
      ) : (
        <p className="loading">{t('common.loading')}</p>
      )}
    </article>
  );

  // A plain function, not a component: a component declared here would remount on every render.
  function renderDetails(data: FamilyView) {
    const now = serverNow().getTime();
    const isOverdue = (d: { dueAt: string; status: string }) =>
      d.status === 'missed' || (d.status === 'open' && new Date(d.dueAt).getTime() < now);
    /** Open deadlines soonest first, with their countdown; past ones (met or missed) in the folded table. */
    const deadlineTable = (list: FamilyView['deadlines'], testId: string) =>
      list.length === 0 ? (
        <p>{t('family.noOpenDeadlines')}</p>
      ) : (
        <table data-testid={testId}>
          {columnHeads([t('family.deadlineKind'), t('family.dueAt'), t('family.status')])}
          <tbody>
            {[...list]
              .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
              .map((d, i) => {
                const overdue = isOverdue(d);
                return (
                  <tr key={`${d.kind}-${d.ref}-${i}`} className={overdue ? 'overdue' : undefined}>
                    <th scope="row">{deadlineKindLabel(t, d.kind)}</th>
                    <td>
                      {formatDateTime(d.dueAt)}
                      {d.status === 'open' ? (
                        <>
                          {' '}
                          <Countdown dueAt={d.dueAt} now={now} />
                        </>
                      ) : null}
                    </td>
                    <td>{statusLabel(t, d.status)}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      );
    const incidentFreeText = (d: FamilyView) => {
      const f = d.incidentFree;
      if (f.days === null) return t('common.none');
      if (stableSafetyAhead(d) && f.since && f.stableSafetyFrom)
        return t('family.incidentFreeOf', { days: f.days, of: daysBetween(f.since, f.stableSafetyFrom) });
      return t('family.incidentFreeCount', { count: f.days });
    };
    const memberAlias = (memberId: string) => data.members.find((m) => m.id === memberId)?.alias ?? memberId;
    const handoverDue = data.deadlines.find((d) => d.kind === 'handoverAcceptance' && d.status === 'open') ?? null;
    const agreements = data.safetyPlan?.agreements ?? [];
    const coveringAgreements = (conditionId: string) => agreements.filter((a) => a.coversConditionIds.includes(conditionId));
    const conditionText = (conditionId: string) => data.conditions.find((c) => c.id === conditionId)?.description ?? null;

    return (
      <>
        <div className="family-summary">
          <StateBadges state={data.state} />
          <dl className="facts">
            <div>
              <dt>{t('family.municipality')}</dt>
              <dd>{data.municipality}</dd>
            </div>
            <div>
              <dt>{t('family.director')}</dt>
              <dd data-testid="case-director">
                {data.caseDirector
                  ? `${data.caseDirector.displayName} (${data.caseDirector.username})`
                  : t('family.noDirector')}
              </dd>
            </div>
            {data.pendingDirector ? (
              <div>
                <dt>{t('family.pendingDirector')}</dt>
                <dd>{`${data.pendingDirector.displayName} (${data.pendingDirector.username})`}</dd>
              </div>
            ) : null}
            {data.pendingDirector && handoverDue ? (
              <div>
                <dt>{t('family.handoverDue')}</dt>
                <dd data-testid="handover-due">
                  {formatDateTime(handoverDue.dueAt)} <Countdown dueAt={handoverDue.dueAt} now={now} />
                </dd>
              </div>
            ) : null}
            <div>
              <dt>{t('family.reportedAt')}</dt>
              <dd>{formatDateTime(data.reportedAt)}</dd>
            </div>
            <div>
              <dt>{t('family.version')}</dt>
              <dd data-testid="family-version">{data.version}</dd>
            </div>
          </dl>
          <p className="links">
            <Link to={`/families/${encodeURIComponent(data.id)}/history`}>{t('family.history')}</Link>
            {hasRole(user, 'auditor') ? (
              <Link to={`/families/${encodeURIComponent(data.id)}/replay`}>{t('family.replay')}</Link>
            ) : null}
          </p>
        </div>

        <PhaseTrack data={data} now={now} />

        {data.planDisagreement ? (
          <p className="notice warning" data-testid="plan-disagreement">
            {t('familyView.disagreement')} <a href="#member-access-title">{t('familyView.disagreementLink')}</a>
          </p>
        ) : null}

        {notice ? (
          <p className={`notice ${notice.kind}`} data-testid="notice">
            {notice.text}
          </p>
        ) : null}

        <section aria-labelledby="actions-title" className="actions">
          <h2 id="actions-title" tabIndex={-1} ref={actionsRef}>
            {t('family.actions')}
          </h2>
          {data.allowedEvents.length === 0 && data.blockedEvents.length === 0 ? (
            <p>{t('family.noActions')}</p>
          ) : (
            <ul className="action-list">
              {actionsOf(data).map(({ type, blocked }) => {
                const whyId = `blocked-${type.replace(/\./g, '-')}`;
                return (
                  <li key={type} className={blocked ? 'blocked' : undefined}>
                    <button
                      type="button"
                      className={isDecision(type) ? 'action decision' : 'action'}
                      aria-expanded={blocked ? undefined : active === type}
                      aria-controls={active === type ? `ev-${type.replace(/\./g, '-')}-title` : undefined}
                      aria-describedby={blocked ? whyId : undefined}
                      disabled={blocked !== null}
                      data-event={type}
                      onClick={() => {
                        setNotice(null);
                        setActive(active === type ? null : type);
                      }}
                    >
                      {eventAction(t, type)}
                    </button>
                    {blocked ? (
                      <p className="blocked-why" id={whyId} data-testid="blocked-why">
                        {currentLanguage() === 'en' ? blocked.message.en : blocked.message.nl}
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
          {active ? (
            <EventForm
              key={active}
              type={active}
              family={data}
              onDone={onDone}
              onCancel={() => {
                const type = active;
                setActive(null);
                requestAnimationFrame(() =>
                  document.querySelector<HTMLElement>(`button[data-event="${type}"]`)?.focus(),
                );
              }}
            />
          ) : null}
        </section>

        <div className="family-grid">
          <section aria-labelledby="deadlines-title">
            <h2 id="deadlines-title">{t('family.deadlines')}</h2>
            {data.deadlines.length === 0 ? (
              <p>{t('family.noDeadlines')}</p>
            ) : (
              <>
                {deadlineTable(data.deadlines.filter((d) => d.status === 'open'), 'open-deadlines')}
                {data.deadlines.some((d) => d.status !== 'open') ? (
                  <details className="past-deadlines" data-testid="past-deadlines">
                    <summary>
                      {t('family.pastDeadlines', { count: data.deadlines.filter((d) => d.status !== 'open').length })}
                    </summary>
                    {deadlineTable(data.deadlines.filter((d) => d.status !== 'open'), 'closed-deadlines')}
                  </details>
                ) : null}
              </>
            )}
          </section>

          <section aria-labelledby="incident-free-title">
            <h2 id="incident-free-title">{t('family.incidentFree')}</h2>
            <dl className="facts">
              <div>
                <dt>{t('family.incidentFreeSince')}</dt>
                <dd>{data.incidentFree.since ? formatDate(data.incidentFree.since) : t('common.none')}</dd>
              </div>
              <div>
                <dt>{t('family.incidentFreeDays')}</dt>
                <dd data-testid="incident-free-days">{incidentFreeText(data)}</dd>
              </div>
              {stableSafetyAhead(data) && data.incidentFree.stableSafetyFrom ? (
                <div>
                  <dt>{t('family.stableSafetyFrom')}</dt>
                  <dd data-testid="stable-safety-from">{formatDate(data.incidentFree.stableSafetyFrom)}</dd>
                </div>
              ) : null}
            </dl>
          </section>

          <FamilyV2Sections data={data} now={now} />

          <section aria-labelledby="members-title">
            <h2 id="members-title">{t('family.members')}</h2>
            {data.members.length === 0 ? (
              <p>{t('common.none')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('members.alias')}</th>
                    <th scope="col">{t('members.kind')}</th>
                    <th scope="col">{t('members.birthYear')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.members.map((m) => (
                    <tr key={m.id}>
                      <th scope="row" data-testid="member-alias">
                        {m.alias}
                      </th>
                      <td>{t(`memberKind.${m.kind}`)}</td>
                      <td>{m.kind === 'unborn' && m.expectedMonth ? t('v2.expectedIn', { month: m.expectedMonth }) : m.birthYear}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="conditions-title">
            <h2 id="conditions-title">{t('family.conditions')}</h2>
            {data.conditions.length === 0 ? (
              <p>{t('family.noConditions')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('family.conditionDescription')}</th>
                    <th scope="col">{t('family.dueAt')}</th>
                    <th scope="col">{t('family.status')}</th>
                    <th scope="col">{t('family.lastCheck')}</th>
                    {data.safetyPlan ? <th scope="col">{t('family.coveredBy')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {data.conditions.map((c) => {
                    const overdue =
                      c.status === 'open' && c.dueAt !== null && new Date(c.dueAt).getTime() < now;
                    return (
                      <tr key={c.id} className={overdue ? 'overdue' : undefined}>
                        <th scope="row">
                          {c.description}
                          <HiddenFromFamily visible={c.visibleToFamily} />
                        </th>
                        <td>
                          {c.dueAt ? formatDateTime(c.dueAt) : t('common.none')}
                          {overdue ? <span className="tag overdue">{t('deadline.overdue')}</span> : null}
                        </td>
                        <td>{statusLabel(t, c.status)}</td>
                        <td>
                          {c.lastCheckedAt
                            ? `${formatDate(c.lastCheckedAt)}: ${c.lastResult ? t('monitoringCheck.met') : t('monitoringCheck.notMet')}`
                            : t('common.none')}
                        </td>
                        {data.safetyPlan ? (
                          <td data-testid="covered-by">
                            {coveringAgreements(c.id).length > 0
                              ? coveringAgreements(c.id).map((a) => a.description).join('; ')
                              : t('family.notCovered')}
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>

          {data.checks.length > 0 || data.state.oversight === 'monitoring' ? (
            <section aria-labelledby="checks-title">
              <h2 id="checks-title">{t('family.checks')}</h2>
              {data.checks.length === 0 ? (
                <p>{t('family.noChecks')}</p>
              ) : (
                <table data-testid="checks">
                  {columnHeads([t('family.checkDate'), t('family.checkBy'), t('family.checkResult'), t('family.checkNotes')])}
                  <tbody>
                    {[...data.checks].reverse().map((k) => (
                      <tr key={k.id}>
                        <th scope="row">{formatDate(k.recordedAt)}</th>
                        <td>{k.by ? k.by.displayName : t('history.system')}</td>
                        <td>
                          {k.results.length === 0
                            ? t('family.checkNotesOnly')
                            : t('family.checkMet', { met: k.results.filter((r) => r.met).length, total: k.results.length })}
                          {k.recoveryAttention ? <> · {t('v2.recoveryAttention')}</> : null}
                        </td>
                        <td>{k.notes ?? t('common.none')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ) : null}

          <section aria-labelledby="plan-title" className="wide">
            <h2 id="plan-title">{t('family.plan')}</h2>
            {data.planRevisionRequired ? (
              <p className="notice warning">{t('family.planRevisionRequired')}</p>
            ) : null}
            {!data.safetyPlan ? (
              <p>{t('family.noPlan')}</p>
            ) : (
              <>
                <p>
                  {t('family.planVersion', {
                    version: data.safetyPlan.version,
                    date: formatDate(data.safetyPlan.revisedAt ?? data.safetyPlan.agreedAt),
                  })}
                </p>
                <h3>{t('plan.agreements')}</h3>
                <ul>
                  {data.safetyPlan.agreements.map((a) => (
                    <li key={a.id}>
                      {a.description}{' '}
                      <span className="muted">({t('plan.responsibleShort', { who: a.responsible })})</span>
                      <HiddenFromFamily visible={a.visibleToFamily} />
                      {a.coversConditionIds.some((id) => conditionText(id) !== null) ? (
                        <span className="muted">
                          {' '}
                          – {t('family.covers', { conditions: a.coversConditionIds.map(conditionText).filter((x) => x !== null).join('; ') })}
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                <h3>{t('plan.participants')}</h3>
                <ul>
                  {data.safetyPlan.participants.map((p, i) => (
                    <li key={i}>{'memberId' in p ? memberAlias(p.memberId) : p.professional}</li>
                  ))}
                </ul>
                {data.safetyPlan.childPerspectives.length > 0 ? (
                  <>
                    <h3>{t('plan.childPerspectives')}</h3>
                    <dl>
                      {data.safetyPlan.childPerspectives.map((c) => (
                        <div key={c.memberId}>
                          <dt>{memberAlias(c.memberId)}</dt>
                          <dd>
                            {c.perspective}
                            <HiddenFromFamily visible={c.visibleToFamily} />
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </>
                ) : null}
              </>
            )}
          </section>

          <section aria-labelledby="incidents-title">
            <h2 id="incidents-title">{t('family.incidents')}</h2>
            {data.incidents.length === 0 ? (
              <p>{t('family.noIncidents')}</p>
            ) : (
              <ul className="plain">
                {data.incidents.map((i) => (
                  <li key={i.id}>
                    <strong>{formatDateTime(i.occurredAt)}</strong> – {t(`severity.${i.severity}`)}:{' '}
                    {i.description}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="measures-title">
            <h2 id="measures-title">{t('family.measures')}</h2>
            {data.measures.length === 0 ? (
              <p>{t('family.noMeasures')}</p>
            ) : (
              <ul className="plain">
                {data.measures.map((m) => (
                  <li key={m.id}>
                    <strong>{measureKindLabel(t, m.kind)}</strong>: {formatDateTime(m.startsAt)} –{' '}
                    {formatDateTime(m.endsAt)} ({statusLabel(t, m.status)})
                  </li>
                ))}
              </ul>
            )}
          </section>

          <FamilyAccessPanel family={data} onFamily={family.set} onReload={family.reload} />

          {data.escalations.length > 0 ? (
            <section aria-labelledby="escalations-title">
              <h2 id="escalations-title">{t('family.escalations')}</h2>
              <ul className="plain">
                {data.escalations.map((e) => (
                  <li key={e.id}>
                    {t(`escalationTarget.${e.to.replace(/\+/g, 'plus')}`)}: {formatDate(e.raisedAt)}
                    {e.resolvedAt ? ` – ${formatDate(e.resolvedAt)}` : ` (${t('family.escalationOpen')})`}
                    {e.obstacles.length > 0
                      ? ` · ${t('v2.obstacles')}: ${e.obstacles.map((o) => t(`v2.obstacleOpt.${o}`).toLowerCase()).join(', ')}`
                      : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        <FamilyStatechart family={data} />
      </>
    );
  }
}
