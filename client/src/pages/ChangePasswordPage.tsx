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

const P = 'password';
const MIN = 12;

function changeSchema(t: TFunction) {
  return z
    .object({
      currentPassword: z.string().min(1, t('validation.required')).max(1024, t('validation.tooLong', { max: 1024 })),
      newPassword: z.string().min(MIN, t('activate.passwordRule', { min: MIN })).max(1024, t('validation.tooLong', { max: 1024 })),
      repeat: z.string().min(1, t('validation.required')),
    })
    .refine((f) => f.newPassword === f.repeat, { path: ['repeat'], message: t('activate.differ') })
    .refine((f) => f.newPassword !== f.currentPassword, { path: ['newPassword'], message: t('changePassword.same') });
}

/** The signed-in user changes their own password; every other session of the account ends. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('changePassword.title'));
  const schema = useMemo(() => changeSchema(t), [t]);
  const { control, errors, formState, onSubmit, reset } = useZodForm(schema, { currentPassword: '', newPassword: '', repeat: '' });
  const [done, setDone] = useState(false);

  const submit = onSubmit(
    async (form) => {
      await api.send('/me/password', { currentPassword: form.currentPassword, newPassword: form.newPassword });
      reset();
      announce(t('changePassword.done'));
      setDone(true);
    },
    {
      currentPassword: t('changePassword.currentWrong'),
      newPassword: t('activate.passwordRefused', { min: MIN }),
    },
  );

  if (done) {
    return <DoneSection id="password-title" title={t('changePassword.title')} text={t('changePassword.done')} next={<Link to="/">{t('changePassword.back')}</Link>} />;
  }

  const field = (name: 'currentPassword' | 'newPassword' | 'repeat', autoComplete: string, hint?: string) => (
    <FormTextField
      control={control}
      errors={errors}
      prefix={P}
      name={name}
      label={t(`changePassword.${name}`)}
      type="password"
      spellCheck={false}
      required
      autoComplete={autoComplete}
      {...(hint ? { hint } : {})}
    />
  );

  return (
    <section className="login" aria-labelledby="password-title">
      <h1 id="password-title">{t('changePassword.title')}</h1>
      <p>{t('changePassword.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={formState.isSubmitting}>
        <ErrorSummary errors={errors} prefix={P} />
        {field('currentPassword', 'current-password')}
        {field('newPassword', 'new-password', t('activate.passwordHint', { min: MIN }))}
        {field('repeat', 'new-password')}
        <SubmitRow busy={formState.isSubmitting} label={t('changePassword.submit')} />
      </form>
    </section>
  );
}
