import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { roleSchema } from '../../../../machines/schemas/common.ts';
import { adminUserSchema, userActivationSchema, type AdminUser, type UserActivation } from '../../../../contract/index.ts';
import { api, isApiError } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { FocusedNotice } from '../../components/FocusedNotice.tsx';
import { FormTextArea, FormTextField, SubmitRow, useZodForm } from '../../components/formFields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { ErrorSummary } from '../../forms/errors.tsx';
import { keys, queryClient } from '../../queries.ts';
import { ActivationPanel, RolesRegionFields } from './adminForms.tsx';
import { UserStatus } from './UsersPage.tsx';
import { ProblemAlert } from '../../components/ListState.tsx';

const reasonText = (t: TFunction) => z.string().trim().max(1000, t('validation.tooLong', { max: 1000 }));

function detailsSchema(t: TFunction) {
  return z.object({
    displayName: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong', { max: 100 })),
    roles: z.array(roleSchema).min(1, t('adminUsers.rolesRequired')),
    region: z.string(),
    reason: reasonText(t),
  });
}

export function UserPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const user = useResource(keys.user(id), (signal) => api.get(adminUserSchema, `/users/${encodeURIComponent(id)}`, undefined, signal));
  usePageTitle(t('adminUsers.editTitle'));
  if (user.status === 'error') {
    return (
      <section aria-labelledby="user-title">
        <h1 id="user-title">{t('adminUsers.editTitle')}</h1>
        <ProblemAlert
          error={user.error}
          text={isApiError(user.error) && user.error.status === 404 ? t('adminUsers.notFound') : undefined}
        />
        <p>
          <Link to="/users">{t('adminUsers.back')}</Link>
        </p>
      </section>
    );
  }
  if (!user.data) return <p className="loading">{t('common.loading')}</p>;
  return <UserEditor key={user.data.id} user={user.data} onSaved={(u) => user.set(u)} />;
}

function UserEditor({ user, onSaved }: { user: AdminUser; onSaved: (u: AdminUser) => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [result, setResult] = useState('');
  const [activation, setActivation] = useState<UserActivation | null>(null);

  async function saved(next: AdminUser, message: string) {
    onSaved(next);
    await queryClient.invalidateQueries({ queryKey: ['users'] });
    await queryClient.invalidateQueries({ queryKey: ['admin-log'] });
    announce(message);
    setResult(message);
  }

  return (
    <section aria-labelledby="user-title">
      <p className="breadcrumb">
        <Link to="/users">{t('adminUsers.back')}</Link>
      </p>
      <h1 id="user-title">{user.displayName}</h1>
      <dl className="facts">
        <dt>{t('adminUsers.username')}</dt>
        <dd>{user.username}</dd>
        <dt>{t('adminUsers.status')}</dt>
        <dd>
          <UserStatus user={user} />
        </dd>
      </dl>
      {result ? <FocusedNotice focusKey={result}>{result}</FocusedNotice> : null}
      {activation ? (
        <ActivationPanel username={activation.user.username} activation={activation.activation} title={t('adminUsers.resetDone')} />
      ) : null}
      <DetailsForm user={user} onSaved={(u) => void saved(u, t('adminUsers.saved'))} />
      <DisableForm
        user={user}
        onSaved={(u) => void saved(u, u.disabled ? t('adminUsers.disabledDone') : t('adminUsers.enabledDone'))}
      />
      {!user.disabled ? (
        <ResetForm
          user={user}
          onReset={(a) => {
            setResult('');
            setActivation(a);
            onSaved(a.user);
            void queryClient.invalidateQueries({ queryKey: ['users'] });
            announce(t('adminUsers.resetDone'));
          }}
        />
      ) : null}
    </section>
  );
}

function DetailsForm({ user, onSaved }: { user: AdminUser; onSaved: (u: AdminUser) => void }) {
  const { t } = useTranslation();
  const P = 'user-details';
  const schema = useMemo(() => detailsSchema(t), [t]);
  const { control, errors, formState, onSubmit } = useZodForm(schema, {
    displayName: user.displayName,
    roles: user.roles,
    region: user.region ?? '',
    reason: '',
  });
  const submit = onSubmit(async (form) => {
    const next = await api.patch(adminUserSchema, `/users/${encodeURIComponent(user.id)}`, {
      displayName: form.displayName,
      roles: form.roles,
      region: form.region || null,
      ...(form.reason ? { reason: form.reason } : {}),
    });
    onSaved(next);
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${P}-title`} aria-busy={formState.isSubmitting}>
      <h2 id={`${P}-title`}>{t('adminUsers.detailsTitle')}</h2>
      <p className="hint">{t('adminUsers.rolesHint')}</p>
      <ErrorSummary errors={errors} prefix={P} />
      <FormTextField control={control} errors={errors} prefix={P} name="displayName" label={t('adminUsers.displayName')} autoComplete="off" required />
      <RolesRegionFields control={control} errors={errors} prefix={P} />
      <FormTextArea control={control} errors={errors} prefix={P} name="reason" label={t('adminUsers.reason')} hint={t('adminUsers.reasonHint')} rows={2} />
      <SubmitRow busy={formState.isSubmitting} label={t('adminUsers.save')} />
    </form>
  );
}

/** A form with only a reason and one button: disabling, enabling and resetting an account. */
function ReasonForm({
  prefix,
  title,
  intro,
  submitLabel,
  reasonRequired,
  onSubmit,
}: {
  prefix: string;
  title: string;
  intro: string;
  submitLabel: string;
  reasonRequired: boolean;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const schema = useMemo(
    () => z.object({ reason: reasonRequired ? reasonText(t).min(1, t('validation.required')) : reasonText(t) }),
    [t, reasonRequired],
  );
  const { control, errors, formState, reset, onSubmit: submitWith } = useZodForm(schema, { reason: '' });
  const submit = submitWith(async ({ reason }) => {
    await onSubmit(reason);
    reset();
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${prefix}-title`} aria-busy={formState.isSubmitting}>
      <h2 id={`${prefix}-title`}>{title}</h2>
      <p>{intro}</p>
      <ErrorSummary errors={errors} prefix={prefix} />
      <FormTextArea control={control} errors={errors} prefix={prefix} name="reason" label={t('adminUsers.reason')} rows={2} required={reasonRequired} />
      <SubmitRow busy={formState.isSubmitting} label={submitLabel} kind="secondary" />
    </form>
  );
}

function DisableForm({ user, onSaved }: { user: AdminUser; onSaved: (u: AdminUser) => void }) {
  const { t } = useTranslation();
  return (
    <ReasonForm
      prefix={user.disabled ? 'user-enable' : 'user-disable'}
      title={user.disabled ? t('adminUsers.enableTitle') : t('adminUsers.disableTitle')}
      intro={user.disabled ? t('adminUsers.enableIntro') : t('adminUsers.disableIntro')}
      submitLabel={user.disabled ? t('adminUsers.enable') : t('adminUsers.disable')}
      reasonRequired={!user.disabled}
      onSubmit={async (reason) => {
        const next = await api.patch(adminUserSchema, `/users/${encodeURIComponent(user.id)}`, {
          disabled: !user.disabled,
          ...(reason ? { reason } : {}),
        });
        onSaved(next);
      }}
    />
  );
}

function ResetForm({ user, onReset }: { user: AdminUser; onReset: (a: UserActivation) => void }) {
  const { t } = useTranslation();
  return (
    <ReasonForm
      prefix="user-reset"
      title={t('adminUsers.resetTitle')}
      intro={t('adminUsers.resetIntro')}
      submitLabel={t('adminUsers.reset')}
      reasonRequired={false}
      onSubmit={async (reason) => {
        onReset(await api.post(userActivationSchema, `/users/${encodeURIComponent(user.id)}/reset`, reason ? { reason } : {}));
      }}
    />
  );
}
