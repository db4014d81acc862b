import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { api } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { FormTextField, SubmitRow, useZodForm } from '../components/formFields.tsx';
import { DoneSection } from '../components/FocusedNotice.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { ErrorSummary } from '../forms/errors.tsx';

const P = 'activate';
const MIN = 12;

function activateSchema(t: TFunction) {
  return z
    .object({
      username: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong', { max: 100 })),
      code: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong', { max: 100 })),
      password: z.string().min(MIN, t('activate.passwordRule', { min: MIN })).max(1024, t('validation.tooLong', { max: 1024 })),
      repeat: z.string().min(1, t('validation.required')),
    })
    .refine((f) => f.password === f.repeat, { path: ['repeat'], message: t('activate.differ') });
}

/** A new user sets their own password with the one-time code the administrator gave them. */
export function ActivatePage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('activate.title'));
  const schema = useMemo(() => activateSchema(t), [t]);
  const { control, errors, formState, onSubmit } = useZodForm(schema, { username: '', code: '', password: '', repeat: '' });
  const [done, setDone] = useState(false);

  const submit = onSubmit(
    async (form) => {
      await api.send('/session/activate', { username: form.username, code: form.code, password: form.password });
      announce(t('activate.done'));
      setDone(true);
    },
    {
      code: t('activate.codeInvalid'),
      password: t('activate.passwordRefused', { min: MIN }),
      username: t('validation.invalid'),
    },
  );

  if (done) {
    return <DoneSection id="activate-title" title={t('activate.title')} text={t('activate.done')} next={<Link to="/login">{t('activate.toLogin')}</Link>} />;
  }

  const field = (name: 'username' | 'code' | 'password' | 'repeat', props: { type?: string; autoComplete: string; hint?: string }) => (
    <FormTextField control={control} errors={errors} prefix={P} name={name} label={t(`activate.${name}`)} spellCheck={false} required {...props} />
  );

  return (
    <section className="login" aria-labelledby="activate-title">
      <h1 id="activate-title">{t('activate.title')}</h1>
      <p>{t('activate.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={formState.isSubmitting}>
        <ErrorSummary errors={errors} prefix={P} />
        {field('username', { autoComplete: 'username' })}
        {field('code', { autoComplete: 'one-time-code', hint: t('activate.codeHint') })}
        {field('password', { type: 'password', autoComplete: 'new-password', hint: t('activate.passwordHint', { min: MIN }) })}
        {field('repeat', { type: 'password', autoComplete: 'new-password' })}
        <SubmitRow busy={formState.isSubmitting} label={t('activate.submit')} />
      </form>
      <p>
        <Link to="/login">{t('activate.toLogin')}</Link>
      </p>
    </section>
  );
}
