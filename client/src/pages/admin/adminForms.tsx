// What the administration screens share: the role and region fields (also bound to a form), and
// the one-time activation code, shown once and given focus.
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { regionCodes, type Activation } from '../../../../contract/index.ts';
import { CheckboxField, SelectField } from '../../components/fields.tsx';
import { OneTimeCode } from '../../components/OneTimeCode.tsx';
import { fieldId, type ErrorMap } from '../../forms/errors.tsx';
import type { Role } from '../../types.ts';

export const allRoles: readonly Role[] = ['vt', 'director', 'auditor', 'admin'];

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

/** An account form's roles and region, bound to its `roles` and `region` fields. */
export function RolesRegionFields<T extends FieldValues & { roles: Role[]; region: string }>({
  control,
  errors,
  prefix,
}: {
  control: Control<T>;
  errors: ErrorMap;
  prefix: string;
}) {
  return (
    <>
      <Controller
        name={'roles' as Path<T>}
        control={control}
        render={({ field }) => (
          <RolesField prefix={prefix} value={field.value as Role[]} onChange={field.onChange} error={errors.roles} />
        )}
      />
      <Controller
        name={'region' as Path<T>}
        control={control}
        render={({ field }) => (
          <RegionField id={fieldId(prefix, 'region')} value={field.value as string} onChange={field.onChange} error={errors.region} />
        )}
      />
    </>
  );
}

/** The activation code, shown once (OneTimeCode). */
export function ActivationPanel({ username, activation, title }: { username: string; activation: Activation; title: string }) {
  const { t } = useTranslation();
  return (
    <OneTimeCode
      id="activation-title"
      title={title}
      before={[{ term: t('adminUsers.username'), value: username }]}
      codeLabel={t('adminUsers.code')}
      code={activation.code}
      validLabel={t('adminUsers.codeValidUntil')}
      expiresAt={activation.expiresAt}
      note={t('adminUsers.codeOnce')}
      testIds={{ code: 'activation-code' }}
    />
  );
}
