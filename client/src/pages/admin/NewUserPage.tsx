import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { roleSchema } from '../../../../machines/schemas/common.ts';
import { userActivationSchema, type UserActivation } from '../../../../contract/index.ts';
import { api } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { TextField } from '../../components/fields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { ErrorSummary, fieldId, type ErrorMap } from '../../forms/errors.tsx';
import { queryClient } from '../../queries.ts';
import { ActivationPanel, formErrors, RegionField, RolesField, writeErrors } from './adminForms.tsx';
import type { TFunction } from 'i18next';

const P = 'new-user';

function newUserSchema(t: TFunction) {
  return z.object({
    username: z
      .string()
      .trim()
      .min(2, t('validation.tooShort', { min: 2 }))
      .max(64, t('validation.tooLong', { max: 64 }))
      .regex(/^[A-Za-z0-9._-]+$/, t('adminUsers.usernameRule')),
    displayName: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong', { max: 100 })),
    roles: z.array(roleSchema).min(1, t('adminUsers.rolesRequired')),
    region: z.string(),
  });
}
type NewUserForm = z.infer<ReturnType<typeof newUserSchema>>;

export function NewUserPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('adminUsers.addTitle'));
  const schema = useMemo(() => newUserSchema(t), [t]);
  const { control, handleSubmit, formState, reset } = useForm<NewUserForm>({
    resolver: zodResolver(schema),
    defaultValues: { username: '', displayName: '', roles: [], region: '' },
    shouldFocusError: false,
  });
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const [created, setCreated] = useState<UserActivation | null>(null);
  const errors = { ...formErrors(formState.errors), ...serverErrors };

  const submit = handleSubmit(async (form) => {
    setServerErrors({});
    try {
      const answer = await api.post(userActivationSchema, '/users', {
        username: form.username,
        displayName: form.displayName,
        roles: form.roles,
        region: form.region || null,
      });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      announce(t('adminUsers.created', { name: answer.user.displayName }));
      setCreated(answer);
      reset();
    } catch (err) {
      setServerErrors(writeErrors(err, t, { username: t('adminUsers.usernameTaken') }));
    }
  });

  return (
    <section aria-labelledby="new-user-title">
      <p className="breadcrumb">
        <Link to="/users">{t('adminUsers.back')}</Link>
      </p>
      <h1 id="new-user-title">{t('adminUsers.addTitle')}</h1>
      <p>{t('adminUsers.addIntro')}</p>
      {created ? (
        <ActivationPanel username={created.user.username} activation={created.activation} title={t('adminUsers.createdTitle', { name: created.user.displayName })} />
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={formState.isSubmitting}>
        <ErrorSummary errors={errors} prefix={P} />
        <Controller
          name="username"
          control={control}
          render={({ field }) => (
            <TextField
              id={fieldId(P, 'username')}
              label={t('adminUsers.username')}
              hint={t('adminUsers.usernameHint')}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={errors.username}
              autoComplete="off"
              spellCheck={false}
              required
            />
          )}
        />
        <Controller
          name="displayName"
          control={control}
          render={({ field }) => (
            <TextField
              id={fieldId(P, 'displayName')}
              label={t('adminUsers.displayName')}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={errors.displayName}
              autoComplete="off"
              required
            />
          )}
        />
        <Controller
          name="roles"
          control={control}
          render={({ field }) => <RolesField prefix={P} value={field.value} onChange={field.onChange} error={errors.roles} />}
        />
        <Controller
          name="region"
          control={control}
          render={({ field }) => (
            <RegionField id={fieldId(P, 'region')} value={field.value} onChange={field.onChange} error={errors.region} />
          )}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('common.saving') : t('adminUsers.addSubmit')}
          </button>
        </div>
      </form>
    </section>
  );
}
