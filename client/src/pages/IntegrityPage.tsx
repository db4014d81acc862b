import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { verificationSchema, verificationStartedSchema, type Verification } from '../../../contract/index.ts';
import { JobState } from '../components/JobState.tsx';
import { useJob } from '../components/useJob.ts';
import { usePageTitle } from '../components/usePageTitle.ts';
import { problemText } from '../forms/errors.tsx';

/**
 * The auditor checks every family's hash chain at once (POST /verifications): the server works through
 * the families in the background without holding up anyone else; this page follows it with a
 * progress bar and names each family whose chain is broken, with the first broken event.
 */
export function IntegrityPage() {
  const { t } = useTranslation();
  usePageTitle(t('integrity.title'));
  const { progress, done, error, setError, running, resultRef, start: post } = useJob(
    verificationSchema,
    (id) => `/verifications/${encodeURIComponent(id)}`,
    (v) => (v.status === 'failed' ? t('integrity.failed') : summary(v)),
  );

  function summary(v: Verification): string {
    return v.broken.length === 0
      ? t('integrity.allIntact', { count: v.total })
      : t('integrity.someBroken', { count: v.broken.length, total: v.total });
  }

  async function start() {
    const refused = await post(verificationStartedSchema, '/verifications', {}, t('integrity.started'));
    if (refused) setError(problemText(refused.problem, t));
  }

  return (
    <section aria-labelledby="integrity-title">
      <h1 id="integrity-title">{t('integrity.title')}</h1>
      <p>{t('integrity.intro')}</p>
      <button type="button" onClick={() => void start()} disabled={running} data-testid="verify-all">
        {t('integrity.button')}
      </button>
      <JobState
        id="verify-all"
        running={running}
        label={t('integrity.running')}
        max={progress?.total ?? 0}
        value={progress?.checked ?? 0}
        text={progress ? t('integrity.progress', { checked: progress.checked, total: progress.total }) : t('integrity.starting')}
        error={error}
        result={
          done && {
            ref: resultRef,
            ok: done.status === 'done' && done.broken.length === 0,
            summary: done.status === 'failed' ? t('integrity.failed') : summary(done),
            children:
              done.broken.length > 0 ? (
                <ul>
                  {done.broken.map((b) => (
                    <li key={b.familyId}>
                      <Link to={`/families/${encodeURIComponent(b.familyId)}/history`}>{b.reference}</Link>:{' '}
                      {t('integrity.brokenAt', { seq: b.brokenAt })}
                    </li>
                  ))}
                </ul>
              ) : null,
          }
        }
      />
    </section>
  );
}
