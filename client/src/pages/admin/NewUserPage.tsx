import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { roleSchema } from '../../../../machines/schemas/common.ts';
import { userActivationSchema, type UserActivation } from '../../../../contract/index.ts';
import { api } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { FormTextField, SubmitRow, useZodForm } from '../../components/formFields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { ErrorSummary } from '../../forms/errors.tsx';
import { queryClient } from '../../queries.ts';
import { ActivationPanel, RolesRegionFields } from './adminForms.tsx';
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

export function NewUserPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  usePageTitle(t('adminUsers.addTitle'));
  const schema = useMemo(() => newUserSchema(t), [t]);
  const { control, errors, formState, reset, onSubmit } = useZodForm(schema, {
    username: '',
    displayName: '',
    roles: [],
    region: '',
  });
  const [created, setCreated] = useState<UserActivation | null>(null);

  const bound = { control, errors, prefix: P };
  const submit = onSubmit(
    async (form) => {
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
    },
    { username: t('adminUsers.usernameTaken') },
  );

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
        <FormTextField
          {...bound}
          name="username"
          label={t('adminUsers.username')}
          hint={t('adminUsers.usernameHint')}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <FormTextField {...bound} name="displayName" label={t('adminUsers.displayName')} autoComplete="off" required />
        <RolesRegionFields control={control} errors={errors} prefix={P} />
        <SubmitRow busy={formState.isSubmitting} label={t('adminUsers.addSubmit')} />
      </form>
    </section>
  );
}
