// What the administration screens share: react-hook-form's errors as the error summary's map, the
// server's 400 issues onto the form's fields, the role and region fields, and the one-time
// activation code, shown once and given focus.
import { useEffect, useRef } from 'react';
import type { FieldErrors, FieldValues } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { regionCodes, type Activation } from '../../../../contract/index.ts';
import { isApiError } from '../../api.ts';
import { CheckboxField, SelectField } from '../../components/fields.tsx';
import { fieldId, problemText, type ErrorMap } from '../../forms/errors.tsx';
import { formatDateTime } from '../../format.ts';
import type { Role } from '../../types.ts';

export const allRoles: readonly Role[] = ['vt', 'director', 'auditor', 'admin'];

/** react-hook-form's errors, flattened to the summary's `{ path: message }` (first message per field). */
export function formErrors<T extends FieldValues>(errors: FieldErrors<T>, prefix = ''): ErrorMap {
  const out: ErrorMap = {};
  for (const [key, value] of Object.entries(errors)) {
    if (!value) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const v = value as { message?: unknown; type?: unknown };
    if (typeof v.message === 'string' && v.message) out[path] = v.message;
    else if (typeof value === 'object') Object.assign(out, formErrors(value as FieldErrors, path));
  }
  return out;
}

/**
 * A failed write as the summary's map: a 400's issues on the fields the form knows (in the user's
 * words where the form has them), anything else as one message for the whole form.
 */
export function writeErrors(err: unknown, t: TFunction, fieldText: Record<string, string> = {}): ErrorMap {
  if (isApiError(err) && (err.status === 400 || err.status === 409) && err.problem.errors?.length) {
    const out: ErrorMap = {};
    for (const issue of err.problem.errors) {
      const path = issue.path.replace(/^body\.?/, '');
      out[path] ??= fieldText[path] ?? t('validation.invalid');
    }
    return out;
  }
  return { '': isApiError(err) ? problemText(err.problem, t) : t('errors.generic') };
}

export function RolesField({
  prefix,
  value,
  onChange,
  error,
}: {
  prefix: string;
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const id = fieldId(prefix, 'roles');
  return (
    <fieldset className={`group${error ? ' has-error' : ''}`} id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        {t('adminUsers.roles')}
        <span className="required"> {t('common.required')}</span>
      </legend>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <div className="check-grid">
        {allRoles.map((role) => (
          <CheckboxField
            key={role}
            id={`${id}-${role}`}
            label={t(`roles.${role}`)}
            checked={value.includes(role)}
            onChange={(on) => onChange(on ? [...value.filter((r) => r !== role), role] : value.filter((r) => r !== role))}
          />
        ))}
      </div>
    </fieldset>
  );
}

export function RegionField({
  id,
  value,
  onChange,
  error,
  label,
  noneLabel,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  label?: string;
  noneLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      id={id}
      label={label ?? t('adminUsers.region')}
      hint={t('adminUsers.regionHint')}
      value={value}
      onChange={onChange}
      placeholder={noneLabel ?? t('adminUsers.noRegion')}
      options={regionCodes.map((r) => ({ value: r, label: t(`regions.${r}`) }))}
      error={error}
    />
  );
}

/** The code, shown once: it takes focus so keyboard and screen reader users land on it. */
export function ActivationPanel({ username, activation, title }: { username: string; activation: Activation; title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [activation.code]);
  return (
    <div className="notice success activation" role="status" tabIndex={-1} ref={ref} aria-labelledby="activation-title">
      <h2 id="activation-title">{title}</h2>
      <dl className="facts">
        <dt>{t('adminUsers.username')}</dt>
        <dd>{username}</dd>
        <dt>{t('adminUsers.code')}</dt>
        <dd>
          <code className="activation-code" data-testid="activation-code">
            {activation.code}
          </code>
        </dd>
        <dt>{t('adminUsers.codeValidUntil')}</dt>
        <dd>{formatDateTime(activation.expiresAt)}</dd>
      </dl>
      <p>{t('adminUsers.codeOnce')}</p>
    </div>
  );
}
