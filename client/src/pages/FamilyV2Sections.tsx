import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { columnHeads } from '../components/ListParts.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import type { FamilyView } from '../types.ts';

// The family page's familyCase@2 sections (issue 14): triage and waiting, feedback after decisions,
// first contact after a handover, the latest case conference with its agreements, risk factors with
// their status, trauma screenings per member. Words only: no ids, codes or JSON; dates in the reader's
// language. A v1 family has none of these facts, and none of these sections.

type Fact = { term: string; value: ReactNode; testId?: string };

function Facts({ facts }: { facts: (Fact | null)[] }) {
  return (
    <dl className="facts">
      {facts
        .filter((f): f is Fact => f !== null)
        .map((f) => (
          <div key={f.term}>
            <dt>{f.term}</dt>
            <dd data-testid={f.testId}>{f.value}</dd>
          </div>
        ))}
    </dl>
  );
}

function Section({ id, title, wide, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className={wide ? 'wide' : undefined} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

const dueText = (t: TFunction, at: string, now: number) =>
  Date.parse(at) < now ? t('v2page.overdueSince', { date: formatDate(at) }) : t('v2page.dueBy', { date: formatDate(at) });

export function FamilyV2Sections({ data, now }: { data: FamilyView; now: number }) {
  const { t } = useTranslation();
  if (data.feedback === null) return null;
  const alias = (id: string) => data.members.find((m) => m.id === id)?.alias ?? t('v2page.formerMember');
  const born = data.members.filter((m) => m.kind !== 'unborn');
  const { triage, interimContact, investigation, feedback, firstContact, conference } = data;
  const screened = new Map(data.screenings.map((s) => [s.memberId, s]));
  const excused = new Map(data.screeningExcused.map((x) => [x.memberId, x.reason]));
  const screeningPhase = ['stableSafety', 'recovery', 'closed'].includes(data.state.phase.split('.')[0]!);

  return (
    <>
      {triage || interimContact || investigation ? (
        <Section id="v2-waiting" title={t('v2page.waiting')}>
          <Facts
            facts={[
              triage
                ? {
                    term: t('v2.urgency'),
                    testId: 'triage-urgency',
                    value: [
                      t(`v2.urgencyOpt.${triage.urgency}`),
                      triage.instrument ? t(`v2.instrumentOpt.${triage.instrument}`) : null,
                      triage.score !== null ? t('v2page.score', { score: triage.score }) : null,
                    ]
                      .filter(Boolean)
                      .join(' · '),
                  }
                : null,
              triage
                ? {
                    term: t('v2page.triagedAt'),
                    value: triage.by ? t('v2page.atBy', { date: formatDateTime(triage.at), who: triage.by.displayName }) : formatDateTime(triage.at),
                  }
                : null,
              triage?.notes ? { term: t('v2.notes'), value: triage.notes } : null,
              interimContact
                ? {
                    term: t('v2page.lastInterim'),
                    testId: 'interim-last',
                    value: interimContact.lastAt
                      ? t('v2page.contactWith', {
                          date: formatDate(interimContact.lastAt),
                          with: interimContact.with ? t(`v2.withOpt.${interimContact.with}`).toLowerCase() : '',
                        })
                      : t('v2page.noInterim'),
                  }
                : null,
              interimContact?.dueAt ? { term: t('v2page.nextInterim'), value: dueText(t, interimContact.dueAt, now) } : null,
              investigation
                ? {
                    term: t('v2page.investigation'),
                    testId: 'investigation-status',
                    value: investigation.startedAt
                      ? t('v2page.investigationStarted', { date: formatDate(investigation.startedAt) })
                      : t('v2page.investigationWaiting'),
                  }
                : null,
            ]}
          />
        </Section>
      ) : null}

      {feedback.reporter || feedback.household || feedback.owed.length > 0 ? (
        <Section id="v2-feedback" title={t('v2page.feedback')}>
          <Facts
            facts={[
              feedback.reporter
                ? {
                    term: t('v2page.reporterInformed'),
                    value: t('v2page.given', { date: formatDate(feedback.reporter.at), how: t(`v2.channelOpt.${feedback.reporter.channel}`).toLowerCase() }),
                  }
                : null,
              feedback.household
                ? {
                    term: t('v2page.householdInformed'),
                    value: t('v2page.given', { date: formatDate(feedback.household.at), how: t(`v2.channelOpt.${feedback.household.channel}`).toLowerCase() }),
                  }
                : null,
              ...feedback.owed.map((o, i) => ({
                term: t(o.to === 'reporter' ? 'v2page.reporterOwed' : 'v2page.householdOwed') + (i > 0 ? ` (${i + 1})` : ''),
                testId: 'feedback-owed',
                value: o.missed ? t('v2page.missedSince', { date: formatDate(o.dueAt) }) : dueText(t, o.dueAt, now),
              })),
            ]}
          />
        </Section>
      ) : null}

      {firstContact ? (
        <Section id="v2-first-contact" title={t('v2page.firstContact')}>
          <Facts
            facts={[
              { term: t('v2page.acceptedAt'), value: formatDate(firstContact.acceptedAt) },
              {
                term: t('v2page.firstContact'),
                testId: 'first-contact',
                value: firstContact.at
                  ? t(firstContact.warm ? 'v2page.firstContactWarm' : 'v2page.firstContactDone', {
                      date: formatDate(firstContact.at),
                      names: firstContact.with.map(alias).join(', '),
                    })
                  : firstContact.dueAt
                    ? dueText(t, firstContact.dueAt, now)
                    : t('v2page.notYet'),
              },
              {
                term: t('v2page.firstPlan'),
                value: firstContact.firstPlanAt
                  ? t('v2page.agreedOn', { date: formatDate(firstContact.firstPlanAt) })
                  : firstContact.firstPlanDueAt
                    ? dueText(t, firstContact.firstPlanDueAt, now)
                    : t('v2page.notYet'),
              },
            ]}
          />
        </Section>
      ) : null}

      {conference ? (
        <Section id="v2-conference" title={t('v2page.conference')} wide>
          <p>
            {t('v2page.conferenceHeld', { kind: t(`v2.conferenceKindOpt.${conference.kind}`), date: formatDate(conference.heldAt) })}{' '}
            {conference.withMandate ? t('v2page.withMandate') : t('v2page.withoutMandate')}
          </p>
          {conference.agreements.length === 0 ? (
            <p>{t('v2page.noAgreements')}</p>
          ) : (
            <table data-testid="conference-agreements">
              {columnHeads([t('v2.agreementDescription'), t('v2.responsible'), t('v2.agreementDueAt')])}
              <tbody>
                {conference.agreements.map((a, i) => (
                  <tr key={i}>
                    <th scope="row">{a.description}</th>
                    <td>{a.responsible}</td>
                    <td>{a.dueAt ? formatDate(a.dueAt) : t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p data-testid="conference-next">
            {conference.nextAt ? t('v2page.nextConference', { date: formatDate(conference.nextAt) }) : t('v2page.noNextConference')}
          </p>
        </Section>
      ) : null}

      {data.riskFactors.length > 0 ? (
        <Section id="v2-risk-factors" title={t('v2page.riskFactors')}>
          <table data-testid="risk-factors">
            {columnHeads([t('v2.factorKind'), t('v2.factorStatus'), t('v2.notes')])}
            <tbody>
              {data.riskFactors.map((r) => (
                <tr key={r.kind}>
                  <th scope="row">{t(`v2.rfKind.${r.kind}`)}</th>
                  <td>{t('v2page.statusSince', { status: t(`v2.rfStatus.${r.status}`), date: formatDate(r.at) })}</td>
                  <td>{r.notes ?? t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}

      {screeningPhase || data.screenings.length > 0 ? (
        <Section id="v2-screenings" title={t('v2page.screenings')}>
          <table data-testid="screenings">
            {columnHeads([t('v2.screenedMember'), t('v2.outcome')])}
            <tbody>
              {born.map((m) => {
                const s = screened.get(m.id);
                const reason = excused.get(m.id);
                return (
                  <tr key={m.id}>
                    <th scope="row">{m.alias}</th>
                    <td>
                      {s
                        ? t('v2page.screenedOn', { outcome: t(`v2.outcomeOpt.${s.outcome}`), by: s.by, date: formatDate(s.at) })
                        : reason
                          ? t('v2page.excused', { reason })
                          : t('v2page.notScreened')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Section>
      ) : null}
    </>
  );
}
