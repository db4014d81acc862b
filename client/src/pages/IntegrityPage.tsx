import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { verificationSchema, verificationStartedSchema, type Verification } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { problemText } from '../forms/errors.tsx';

const POLL_MS = 500;

/**
 * The auditor checks every family's hash chain at once (POST /verifications): the server works through
 * the families in the background without holding up anyone else; this page follows it with a
 * progress bar and names each family whose chain is broken, with the first broken event.
 */
export function IntegrityPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('integrity.title'));
  const [job, setJob] = useState<{ id: string; progress: Verification | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const done = job?.progress && job.progress.status !== 'running' ? job.progress : null;

  // Follow the running check until it is done or failed.
  useEffect(() => {
    if (!job || done) return;
    let stopped = false;
    const timer = setTimeout(() => {
      api
        .get(verificationSchema, `/verifications/${encodeURIComponent(job.id)}`)
        .then((progress) => {
          if (!stopped) setJob({ id: job.id, progress });
        })
        .catch((e: unknown) => {
          if (!stopped) setError(isApiError(e) ? problemText(e.problem, t) : t('errors.generic'));
        });
    }, job.progress ? POLL_MS : 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job, done, t]);

  useEffect(() => {
    if (!done) return;
    announce(done.status === 'failed' ? t('integrity.failed') : summary(done));
    resultRef.current?.focus();
    // Once per finished check (announce and summary follow the language, not the check).
  }, [done]);

  function summary(v: Verification): string {
    return v.broken.length === 0
      ? t('integrity.allIntact', { count: v.total })
      : t('integrity.someBroken', { count: v.broken.length, total: v.total });
  }

  async function start() {
    setError(null);
    try {
      const started = await api.post(verificationStartedSchema, '/verifications', {});
      setJob({ id: started.id, progress: null });
      announce(t('integrity.started'));
    } catch (e) {
      setError(isApiError(e) ? problemText(e.problem, t) : t('errors.generic'));
    }
  }

  const running = job !== null && !done && !error;
  return (
    <section aria-labelledby="integrity-title">
      <h1 id="integrity-title">{t('integrity.title')}</h1>
      <p>{t('integrity.intro')}</p>
      <button type="button" onClick={() => void start()} disabled={running} data-testid="verify-all">
        {t('integrity.button')}
      </button>
      {running ? (
        <div className="progress-block" aria-live="polite">
          <label htmlFor="integrity-progress">{t('integrity.running')}</label>{' '}
          <progress
            id="integrity-progress"
            max={job.progress?.total || 1}
            value={job.progress?.checked ?? 0}
            data-testid="verify-all-progress"
          />{' '}
          <span>
            {job.progress
              ? t('integrity.progress', { checked: job.progress.checked, total: job.progress.total })
              : t('integrity.starting')}
          </span>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {done ? (
        <div
          ref={resultRef}
          tabIndex={-1}
          className={done.status === 'done' && done.broken.length === 0 ? 'notice success' : 'notice warning'}
          data-testid="verify-all-result"
        >
          <p>{done.status === 'failed' ? t('integrity.failed') : summary(done)}</p>
          {done.broken.length > 0 ? (
            <ul>
              {done.broken.map((b) => (
                <li key={b.familyId}>
                  <Link to={`/families/${encodeURIComponent(b.familyId)}/history`}>{b.reference}</Link>:{' '}
                  {t('integrity.brokenAt', { seq: b.brokenAt })}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
