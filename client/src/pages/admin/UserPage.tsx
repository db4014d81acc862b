import { zodResolver } from '@hookform/resolvers/zod';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { roleSchema } from '../../../../machines/schemas/common.ts';
import { adminUserSchema, userActivationSchema, type AdminUser, type UserActivation } from '../../../../contract/index.ts';
import { api, isApiError } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { TextArea, TextField } from '../../components/fields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { ErrorSummary, fieldId, problemText, type ErrorMap } from '../../forms/errors.tsx';
import { keys, queryClient } from '../../queries.ts';
import { ActivationPanel, formErrors, RegionField, RolesField, writeErrors } from './adminForms.tsx';
import { UserStatus } from './UsersPage.tsx';

const reasonText = (t: TFunction) => z.string().trim().max(1000, t('validation.tooLong', { max: 1000 }));

function detailsSchema(t: TFunction) {
  return z.object({
    displayName: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong', { max: 100 })),
    roles: z.array(roleSchema).min(1, t('adminUsers.rolesRequired')),
    region: z.string(),
    reason: reasonText(t),
  });
}
type DetailsForm = z.infer<ReturnType<typeof detailsSchema>>;

/** A status line that takes focus when it appears, so the result of a change is where the user is. */
function Result({ text }: { text: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), [text]);
  return (
    <p className="notice success" role="status" tabIndex={-1} ref={ref}>
      {text}
    </p>
  );
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
        <p className="form-error" role="alert">
          {isApiError(user.error) && user.error.status === 404 ? t('adminUsers.notFound') : isApiError(user.error) ? problemText(user.error.problem, t) : t('errors.generic')}
        </p>
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
      {result ? <Result text={result} /> : null}
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
  const { control, handleSubmit, formState } = useForm<DetailsForm>({
    resolver: zodResolver(schema),
    defaultValues: { displayName: user.displayName, roles: user.roles, region: user.region ?? '', reason: '' },
    shouldFocusError: false,
  });
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const errors = { ...formErrors(formState.errors), ...serverErrors };
  const submit = handleSubmit(async (form) => {
    setServerErrors({});
    try {
      const next = await api.patch(adminUserSchema, `/users/${encodeURIComponent(user.id)}`, {
        displayName: form.displayName,
        roles: form.roles,
        region: form.region || null,
        ...(form.reason ? { reason: form.reason } : {}),
      });
      onSaved(next);
    } catch (err) {
      setServerErrors(writeErrors(err, t));
    }
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${P}-title`} aria-busy={formState.isSubmitting}>
      <h2 id={`${P}-title`}>{t('adminUsers.detailsTitle')}</h2>
      <p className="hint">{t('adminUsers.rolesHint')}</p>
      <ErrorSummary errors={errors} prefix={P} />
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
        render={({ field }) => <RegionField id={fieldId(P, 'region')} value={field.value} onChange={field.onChange} error={errors.region} />}
      />
      <Controller
        name="reason"
        control={control}
        render={({ field }) => (
          <TextArea id={fieldId(P, 'reason')} label={t('adminUsers.reason')} hint={t('adminUsers.reasonHint')} value={field.value} onChange={field.onChange} error={errors.reason} rows={2} />
        )}
      />
      <div className="button-row">
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('common.saving') : t('adminUsers.save')}
        </button>
      </div>
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
  const { control, handleSubmit, formState, reset } = useForm<{ reason: string }>({
    resolver: zodResolver(schema),
    defaultValues: { reason: '' },
    shouldFocusError: false,
  });
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const errors = { ...formErrors(formState.errors), ...serverErrors };
  const submit = handleSubmit(async ({ reason }) => {
    setServerErrors({});
    try {
      await onSubmit(reason);
      reset();
    } catch (err) {
      setServerErrors(writeErrors(err, t));
    }
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${prefix}-title`} aria-busy={formState.isSubmitting}>
      <h2 id={`${prefix}-title`}>{title}</h2>
      <p>{intro}</p>
      <ErrorSummary errors={errors} prefix={prefix} />
      <Controller
        name="reason"
        control={control}
        render={({ field }) => (
          <TextArea
            id={fieldId(prefix, 'reason')}
            label={t('adminUsers.reason')}
            value={field.value}
            onChange={field.onChange}
            error={errors.reason}
            rows={2}
            required={reasonRequired}
          />
        )}
      />
      <div className="button-row">
        <button type="submit" className="secondary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('common.saving') : submitLabel}
        </button>
      </div>
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
