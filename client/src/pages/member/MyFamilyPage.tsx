import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { planResponseRequestSchema, type PlanResponseRequest } from '../../../../contract/index.ts';
import { isApiError } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { FocusedNotice } from '../../components/FocusedNotice.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { BRadio, BTextArea, FormFrame, useRequestForm } from '../../forms/bound.tsx';
import { fieldId, problemText } from '../../forms/errors.tsx';
import { requestFormSchema } from '../../forms/requestSchema.ts';
import { formatDate } from '../../format.ts';
import { keys, queryClient } from '../../queries.ts';
import {
  MEMBER_LOG,
  audienceTexts,
  respondToPlan,
  useMyFamily,
  type AudienceTexts,
  type MyFamily,
} from './myFamily.ts';

// "Ons veiligheidsplan" (issue 15): a family member's own page. Where the family stands, the plan
// and its agreements, the conditions and how they stand, the next dates and who is involved, in
// plain Dutch (B1) or English, and a simpler version for a child (the server says which: `audience`).
// Only what the server sends: it has already left out whatever is hidden from this member. One
// column that reads on a 320 px phone; sentences rather than tables.

type W = AudienceTexts;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="member-section" data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

export function MyFamilyPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const family = useMyFamily();
  const data = family.data;
  const audience = data?.audience ?? 'adult';
  const w = audienceTexts(t, audience);
  usePageTitle(w('title'));

  const loaded = family.isSuccess && !family.isFetching;
  useEffect(() => {
    if (loaded) announce(audienceTexts(t, audience)('loaded'));
  }, [loaded, announce, t, audience]);

  return (
    <article aria-labelledby="my-family-title" aria-busy={family.isFetching} className="member-page">
      <h1 id="my-family-title">{w('title')}</h1>
      {data ? (
        <FamilyDetails data={data} w={w} />
      ) : family.isError ? (
        <LoadError error={family.error} onRetry={() => void family.refetch()} />
      ) : (
        <p className="loading">{t('common.loading')}</p>
      )}
    </article>
  );
}

function FamilyDetails({ data, w }: { data: MyFamily; w: W }) {
  const { t } = useTranslation();
  const plan = data.plan;
  // The director has a sentence of their own above the others involved.
  const others = data.involved.filter((p) => !(data.director && p.name === data.director.displayName));
  return (
    <>
      <p className="member-intro">{w('intro')}</p>

      <Section id="member-now" title={w('now')}>
        <p className="member-what" data-testid="member-phase">
          {data.phase.text}
        </p>
        <p>{data.phase.explanation}</p>
      </Section>

      <Section id="member-plan" title={w('plan')}>
        {plan ? (
          <>
            <p data-testid="member-plan-version">
              {w(plan.revisedAt ? 'planRevised' : 'planVersion', {
                version: plan.version,
                date: formatDate(plan.revisedAt ?? plan.agreedAt),
              })}
            </p>
            <h3>{w('agreements')}</h3>
            {plan.agreements.length === 0 ? (
              <p>{w('noAgreements')}</p>
            ) : (
              <ul className="member-list" data-testid="member-agreements">
                {plan.agreements.map((a, i) => (
                  <li key={i}>
                    <span className="member-what">{a.description}</span>
                    <span className="member-who">{w('responsible', { who: a.responsible })}</span>
                  </li>
                ))}
              </ul>
            )}
            {plan.childPerspectives.length > 0 ? (
              <>
                <h3>{w('childPerspectives')}</h3>
                <ul className="member-list" data-testid="member-perspectives">
                  {plan.childPerspectives.map((c, i) => (
                    <li key={i}>
                      <span className="member-what">{c.alias}</span>
                      <span className="member-who">{c.perspective}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : (
          <p>{w('noPlan')}</p>
        )}
      </Section>

      {plan ? <Answer plan={plan} w={w} /> : null}

      <Section id="member-conditions" title={w('conditions')}>
        {data.conditions.length === 0 ? (
          <p>{w('noConditions')}</p>
        ) : (
          <>
            <p>{w('conditionsIntro')}</p>
            <ul className="member-list" data-testid="member-conditions-list">
              {data.conditions.map((c, i) => (
                <li key={i}>
                  <span className="member-what">{c.description}</span>
                  <span className={`member-status status-${c.status}`}>{c.statusText}</span>
                  {c.dueAt && c.status === 'open' ? (
                    <span className="member-who">{w('dueBy', { date: formatDate(c.dueAt) })}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>

      <Section id="member-dates" title={w('nextDates')}>
        {data.nextDates.length === 0 ? (
          <p>{w('noDates')}</p>
        ) : (
          <ul className="member-list" data-testid="member-next-dates">
            {data.nextDates.map((d, i) => (
              <li key={i}>
                <time className="member-when" dateTime={d.at}>
                  {formatDate(d.at)}
                </time>
                <span className="member-what">{d.what}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="member-people" title={w('people')}>
        <p data-testid="member-director">
          {data.director ? w('director', { name: data.director.displayName }) : w('noDirector')}
        </p>
        {others.length > 0 ? (
          <ul className="member-list" data-testid="member-involved">
            {others.map((p, i) => (
              <li key={i}>
                {p.name ? (
                  <>
                    <span className="member-what">{p.name}</span> ({p.role})
                  </>
                ) : (
                  <span className="member-what">{p.role}</span>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {data.members.length > 0 ? (
          <>
            <h3>{w('membersTitle')}</h3>
            <ul className="member-list" data-testid="member-members">
              {data.members.map((m, i) => (
                <li key={i}>
                  {m.alias}{' '}
                  <span className="muted">({m.me ? w('thatIsYou') : t(`member.kind.${m.kind}`)})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      <p className="member-more">
        <Link to={MEMBER_LOG}>{w('logLink')}</Link>
      </p>
    </>
  );
}

type Plan = NonNullable<MyFamily['plan']>;
type AnswerDraft = { response: string; comment: string };

/**
 * The member's answer to this plan version: the form until they answered, their answer after (which
 * they may change while the case is open: a later answer replaces the earlier one).
 */
function Answer({ plan, w }: { plan: Plan; w: W }) {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const prefix = 'member-answer';
  const [changing, setChanging] = useState(false);
  // The answer takes focus only right after it was sent, never when the page opens.
  const [sent, setJustSent] = useState(false);
  // Checked with the very schema the server parses the answer with.
  const schema = useMemo(
    () =>
      requestFormSchema<AnswerDraft, PlanResponseRequest>(planResponseRequestSchema, (d) => ({
        planVersion: plan.version,
        response: d.response || undefined,
        comment: d.comment.trim() ? d.comment : undefined,
      })),
    [plan.version],
  );
  const mine = plan.myResponse;
  const { form, errors, showProblem, setSent } = useRequestForm<AnswerDraft, PlanResponseRequest>(
    prefix,
    schema,
    { response: mine?.response ?? '', comment: mine?.comment ?? '' },
    { response: w('answerChoose') },
  );
  if (!mine && !plan.canRespond) return null;

  if (mine && !changing) {
    const given = (
      <>
        <p>{w(mine.response === 'agree' ? 'youAgreed' : 'youDisagreed', { version: plan.version })}</p>
        {mine.comment ? <p>{w('yourComment', { comment: mine.comment })}</p> : null}
        <p className="muted">{w('answeredAt', { date: formatDate(mine.at) })}</p>
      </>
    );
    return (
      <Section id="member-answer" title={w('answerTitle')}>
        {sent ? (
          <FocusedNotice
            as="div"
            className="notice member-answer-given"
            focusKey={mine.at}
            testId="member-my-answer"
          >
            {given}
          </FocusedNotice>
        ) : (
          <div className="notice member-answer-given" data-testid="member-my-answer">
            {given}
          </div>
        )}
        {plan.canRespond ? (
          <p>
            <button
              type="button"
              onClick={() => {
                setChanging(true);
                requestAnimationFrame(() => document.getElementById(fieldId(prefix, 'response'))?.focus());
              }}
            >
              {w('answerChange')}
            </button>
          </p>
        ) : null}
      </Section>
    );
  }

  const submit = form.handleSubmit(
    async (request) => {
      setSent({});
      try {
        const next = await respondToPlan(request);
        queryClient.setQueryData(keys.myFamily(i18n.language), next);
        setChanging(false);
        setJustSent(true);
        announce(w('answerSent'));
      } catch (err) {
        if (isApiError(err) && err.status === 400 && err.problem.errors?.length) showProblem(err.problem);
        else setSent({ '': isApiError(err) ? problemText(err.problem, t) : t('errors.generic') });
        announce(t('errors.summaryTitle'));
      }
    },
    () => announce(t('errors.summaryTitle')),
  );

  return (
    <Section id="member-answer" title={w('answerTitle')}>
      <p>{w('answerIntro')}</p>
      <FormFrame
        form={form}
        prefix={prefix}
        errors={errors}
        onSubmit={submit}
        busy={form.formState.isSubmitting}
        data-testid="member-answer-form"
      >
        <BRadio
          name="response"
          legend={w('answerLegend', { version: plan.version })}
          options={[
            { value: 'agree', label: w('agree') },
            { value: 'disagree', label: w('disagree') },
          ]}
          required
        />
        <BTextArea name="comment" label={w('comment')} hint={w('commentHint')} rows={4} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? t('common.saving') : w('answerSubmit')}
          </button>
          {changing ? (
            <button type="button" onClick={() => setChanging(false)} disabled={form.formState.isSubmitting}>
              {t('common.cancel')}
            </button>
          ) : null}
        </div>
      </FormFrame>
    </Section>
  );
}
