import { zodResolver } from '@hookform/resolvers/zod';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { api } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { TextField } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { ErrorSummary, fieldId, type ErrorMap } from '../forms/errors.tsx';
import { formErrors, writeErrors } from './admin/adminForms.tsx';

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
type ActivateForm = z.infer<ReturnType<typeof activateSchema>>;

/** A new user sets their own password with the one-time code the administrator gave them. */
export function ActivatePage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('activate.title'));
  const schema = useMemo(() => activateSchema(t), [t]);
  const { control, handleSubmit, formState } = useForm<ActivateForm>({
    resolver: zodResolver(schema),
    defaultValues: { username: '', code: '', password: '', repeat: '' },
    shouldFocusError: false,
  });
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const errors = { ...formErrors(formState.errors), ...serverErrors };

  const submit = handleSubmit(async (form) => {
    setServerErrors({});
    try {
      await api.send('/session/activate', { username: form.username, code: form.code, password: form.password });
      announce(t('activate.done'));
      setDone(true);
    } catch (err) {
      setServerErrors(
        writeErrors(err, t, {
          code: t('activate.codeInvalid'),
          password: t('activate.passwordRefused', { min: MIN }),
          username: t('validation.invalid'),
        }),
      );
    }
  });

  if (done) {
    return (
      <section aria-labelledby="activate-title">
        <h1 id="activate-title">{t('activate.title')}</h1>
        <div className="notice success" role="status" tabIndex={-1} ref={doneRef}>
          <p>{t('activate.done')}</p>
          <p>
            <Link to="/login">{t('activate.toLogin')}</Link>
          </p>
        </div>
      </section>
    );
  }

  const field = (name: 'username' | 'code' | 'password' | 'repeat', props: { type?: string; autoComplete: string; hint?: string }) => (
    <Controller
      name={name}
      control={control}
      render={({ field: f }) => (
        <TextField
          id={fieldId(P, name)}
          label={t(`activate.${name}`)}
          value={f.value}
          onChange={f.onChange}
          onBlur={f.onBlur}
          error={errors[name]}
          spellCheck={false}
          required
          {...props}
        />
      )}
    />
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
        <div className="button-row">
          <button type="submit" className="primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('common.saving') : t('activate.submit')}
          </button>
        </div>
      </form>
      <p>
        <Link to="/login">{t('activate.toLogin')}</Link>
      </p>
    </section>
  );
}
