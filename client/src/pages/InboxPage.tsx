import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '@utrecht/button-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { familyViewSchema, type FamilySummary } from '../../../contract/index.ts';
import { inboxQuery, loadInbox } from '../inbox.ts';
import { longText } from '../../../machines/schemas/common.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { TextArea } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { problemText, zodErrors } from '../forms/errors.tsx';
import { invalidateAfterWrite, keys } from '../queries.ts';
import { Countdown } from '../components/Countdown.tsx';
import { serverNow } from '../serverClock.ts';

export function InboxPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('inbox.title'));
  const list = useResource(keys.families(inboxQuery), loadInbox);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  function finished(message: string) {
    setDone(message);
    announce(message);
    void invalidateAfterWrite();
  }

  const now = serverNow().getTime();
  return (
    <section aria-labelledby="inbox-title" aria-busy={list.status === 'loading'}>
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      <p className="hint">{t('inbox.intro')}</p>
      {done ? (
        <p className="notice success" role="status" tabIndex={-1} ref={doneRef} data-testid="inbox-done">
          {done}
        </p>
      ) : null}
      {list.status === 'error' ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('inbox.empty')}</p>
        ) : (
          <ul className="inbox">
            {list.data.items.map((f) => (
              <Offer key={f.id} family={f} now={now} onDone={finished} />
            ))}
          </ul>
        )
      ) : list.status === 'loading' ? (
        <p className="loading">{t('common.loading')}</p>
      ) : null}
    </section>
  );
}

type Decision = 'handover.accepted' | 'handover.declined';

/** One offer: accept (the main decision) or decline, inline, each with its reason (both are decisions). */
function Offer({ family, now, onDone }: { family: FamilySummary; now: number; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `reason-${family.id}`;
  const refusalRef = useRef<HTMLDivElement>(null);
  const accepting = deciding === 'handover.accepted';

  useEffect(() => {
    if (refusal) refusalRef.current?.focus();
  }, [refusal]);
  useEffect(() => {
    if (deciding) document.getElementById(reasonId)?.focus();
  }, [deciding, reasonId]);

  async function send(type: Decision, why: string) {
    setBusy(true);
    setRefusal(null);
    try {
      await api.post(familyViewSchema, `/families/${encodeURIComponent(family.id)}/events`, {
        type,
        expectedVersion: family.version,
        payload: {},
        reason: why,
      });
      onDone(t(type === 'handover.accepted' ? 'inbox.accepted' : 'inbox.declined', { reference: family.reference }));
    } catch (e) {
      setBusy(false);
      setRefusal(
        isApiError(e) ? (e.status === 409 ? t('inbox.conflict') : problemText(e.problem, t)) : t('errors.generic'),
      );
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!deciding) return;
    const trimmed = reason.trim();
    const parsed = longText.safeParse(reason);
    const label = t(accepting ? 'inbox.acceptReason' : 'inbox.reason');
    const problem = !trimmed
      ? t('inbox.reasonRequired', { field: label })
      : parsed.success
        ? undefined
        : `${label}: ${zodErrors(parsed.error, t)[''] ?? t('validation.invalid')}`;
    setError(problem);
    if (problem) {
      document.getElementById(reasonId)?.focus();
      return;
    }
    void send(deciding, trimmed);
  }

  const due = family.nextDueKind === 'handoverAcceptance' ? family.nextDueAt : null;
  return (
    <li className="offer" aria-labelledby={`offer-${family.id}`}>
      <h2 id={`offer-${family.id}`}>
        <Link to={`/families/${encodeURIComponent(family.id)}`}>{family.reference}</Link>
      </h2>
      <p>
        {family.municipality} · {t('inbox.reported', { date: formatDate(family.reportedAt) })}
        {due ? (
          <>
            {' '}
            · {t('inbox.acceptBefore', { date: formatDateTime(due) })} <Countdown dueAt={due} now={now} />
          </>
        ) : null}
      </p>
      {refusal ? (
        <div className="form-error" role="alert" tabIndex={-1} ref={refusalRef}>
          <p>{refusal}</p>
        </div>
      ) : null}
      {deciding ? (
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <TextArea
            id={reasonId}
            label={t(accepting ? 'inbox.acceptReason' : 'inbox.reason')}
            hint={t(accepting ? 'inbox.acceptReasonHint' : 'inbox.reasonHint')}
            value={reason}
            onChange={setReason}
            error={error}
            required
            rows={3}
          />
          <div className="button-row">
            <Button type="submit" appearance="primary-action-button" disabled={busy}>
              {t(accepting ? 'inbox.confirmAccept' : 'inbox.confirmDecline')}
            </Button>
            <Button type="button" appearance="subtle-button" onClick={() => setDeciding(null)} disabled={busy}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="button-row">
          <Button type="button" appearance="primary-action-button" onClick={() => setDeciding('handover.accepted')}>
            {t('inbox.accept')}
          </Button>
          <Button type="button" appearance="secondary-action-button" onClick={() => setDeciding('handover.declined')}>
            {t('inbox.decline')}
          </Button>
        </div>
      )}
    </li>
  );
}
