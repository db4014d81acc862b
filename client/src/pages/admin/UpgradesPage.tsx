import { useMemo } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { upgradeSchema, upgradeStartedSchema, type Upgrade } from '../../../../contract/index.ts';
import { RadioGroup } from '../../components/fields.tsx';
import { FormTextArea, SubmitRow, useZodForm } from '../../components/formFields.tsx';
import { JobState } from '../../components/JobState.tsx';
import { useJob } from '../../components/useJob.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { ErrorSummary, fieldId } from '../../forms/errors.tsx';
import { queryClient } from '../../queries.ts';

const prefix = 'upgrade';

/** The references typed in the list, one per line (commas and semicolons separate too). */
const referencesOf = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((r) => r.trim())
    .filter((r) => r !== '');

/**
 * The administrator moves families still on the old way of working to the new one (POST /upgrades):
 * all of them or a list of references, with a reason each family's history keeps. The server works
 * family by family without holding up anyone; this page follows it with a progress bar and shows
 * how many moved, how many were left as they are, and which could not move.
 */
export function UpgradesPage() {
  const { t } = useTranslation();
  usePageTitle(t('upgrades.title'));
  const { progress, done, error, running, resultRef, start } = useJob(
    upgradeSchema,
    (id) => `/upgrades/${encodeURIComponent(id)}`,
    (u) => (u.status === 'failed' ? t('upgrades.failed') : summary(u)),
  );
  const schema = useMemo(
    () =>
      z
        .object({
          which: z.enum(['all', 'list']),
          references: z.string(),
          reason: z.string().trim().min(1, t('upgrades.reasonRequired')).max(1000, t('validation.tooLong', { max: 1000 })),
        })
        .refine((v) => v.which === 'all' || referencesOf(v.references).length > 0, {
          path: ['references'],
          message: t('upgrades.referencesRequired'),
        }),
    [t],
  );
  const { control, errors, formState, onSubmit } = useZodForm(schema, { which: 'all', references: '', reason: '' });

  function summary(u: Upgrade): string {
    return t('upgrades.summary', {
      upgraded: u.upgraded,
      skipped: u.skipped.alreadyCurrent + u.skipped.closed,
      failed: u.failed.length,
    });
  }

  const submit = onSubmit(
    async (form) => {
      const body =
        form.which === 'all'
          ? { all: true, reason: form.reason }
          : { references: referencesOf(form.references), reason: form.reason };
      const refused = await start(upgradeStartedSchema, '/upgrades', body, t('upgrades.started'));
      if (refused) throw refused;
      await queryClient.invalidateQueries({ queryKey: ['admin-log'] });
    },
    { references: t('upgrades.referencesUnknown'), reason: t('upgrades.reasonRequired') },
  );

  return (
    <section aria-labelledby="upgrades-title">
      <h1 id="upgrades-title">{t('upgrades.title')}</h1>
      <p>{t('upgrades.intro')}</p>
      <form className="event-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="upgrades-title">
        <ErrorSummary errors={errors} prefix={prefix} />
        <Controller
          name="which"
          control={control}
          render={({ field }) => (
            <RadioGroup
              id={fieldId(prefix, 'which')}
              legend={t('upgrades.which')}
              value={field.value}
              onChange={field.onChange}
              options={[
                { value: 'all', label: t('upgrades.all') },
                { value: 'list', label: t('upgrades.list') },
              ]}
              required
            />
          )}
        />
        {(['references', 'reason'] as const).map((name) => (
          <FormTextArea
            key={name}
            control={control}
            errors={errors}
            prefix={prefix}
            name={name}
            label={t(`upgrades.${name}`)}
            hint={t(`upgrades.${name}Hint`)}
            rows={name === 'reason' ? 2 : 4}
            required={name === 'reason'}
          />
        ))}
        <SubmitRow busy={formState.isSubmitting || running} label={t('upgrades.start')} />
      </form>
      <JobState
        id="upgrades"
        running={running}
        label={t('upgrades.running')}
        max={progress?.total ?? 0}
        value={progress?.done ?? 0}
        text={
          progress
            ? t('upgrades.progress', {
                done: progress.done,
                total: progress.total,
                upgraded: progress.upgraded,
                skipped: progress.skipped.alreadyCurrent + progress.skipped.closed,
              })
            : t('upgrades.starting')
        }
        error={error}
        result={
          done && {
            ref: resultRef,
            ok: done.status === 'done' && done.failed.length === 0,
            summary: done.status === 'failed' ? t('upgrades.failed') : summary(done),
            children: (
              <>
                <ul>
                  <li>{t('upgrades.upgraded', { count: done.upgraded })}</li>
                  <li>{t('upgrades.skippedCurrent', { count: done.skipped.alreadyCurrent })}</li>
                  <li>{t('upgrades.skippedClosed', { count: done.skipped.closed })}</li>
                </ul>
                {done.failed.length > 0 ? (
                  <>
                    <p>{t('upgrades.failedList')}</p>
                    <ul>
                      {done.failed.map((f) => (
                        <li key={f.reference}>
                          {f.reference}: {f.message}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </>
            ),
          }
        }
      />
    </section>
  );
}
