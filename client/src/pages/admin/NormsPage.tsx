import { zodResolver } from '@hookform/resolvers/zod';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { normListSchema, normSchema, type Norm, type NormValue } from '../../../../contract/index.ts';
import { api, isApiError } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { ErrorSummary, fieldId, focusSoon, problemText, type ErrorMap } from '../../forms/errors.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { keys, queryClient } from '../../queries.ts';
import { formErrors, writeErrors } from './adminForms.tsx';

/** i18next reads dots as nesting: `stagnationDays.recovery` is looked up as `stagnationDays_recovery`. */
export const normLabel = (t: TFunction, key: string) => t(`normNames.${key.replaceAll('.', '_')}`, { defaultValue: key });

/** A norm's value in words, with its unit: "5 werkdagen", "ja", "elk jaar", "geen". */
export function normValueText(t: TFunction, unit: Norm['unit'], value: NormValue | unknown): string {
  if (typeof value === 'number') return t(`normUnits.${unit}`, { count: value });
  if (typeof value === 'boolean') return value ? t('adminNorms.yes') : t('adminNorms.no');
  if (typeof value === 'string') return t(`normChoices.${value}`, { defaultValue: value });
  if (Array.isArray(value)) return value.length ? value.map((d) => formatDate(`${String(d)}T12:00:00Z`)).join(', ') : t('common.none');
  return t('common.none');
}

function valueSchema(t: TFunction, norm: Norm) {
  const text = z.string().trim();
  switch (norm.unit) {
    case 'yesNo':
    case 'choice':
      return text.min(1, t('validation.choose'));
    case 'dates':
      return text.refine(
        (s) => s === '' || s.split(/[\s,]+/).every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d))),
        t('adminNorms.datesRule'),
      );
    case 'workingDays':
    case 'calendarDays':
    case 'hours':
    case 'weeks':
    case 'months':
    case 'minutes':
      return text
        .min(1, t('validation.required'))
        .refine((s) => /^-?\d+$/.test(s), t('validation.number'))
        .refine((s) => norm.min === null || Number(s) >= norm.min, t('validation.min', { min: norm.min }))
        .refine((s) => norm.max === null || Number(s) <= norm.max, t('validation.max', { max: norm.max }));
  }
}

/** The form's text as the norm's value. */
function toValue(norm: Norm, text: string): NormValue {
  switch (norm.unit) {
    case 'yesNo':
      return text === 'true';
    case 'choice':
      return text;
    case 'dates':
      return text.trim() === '' ? [] : text.trim().split(/[\s,]+/);
    case 'workingDays':
    case 'calendarDays':
    case 'hours':
    case 'weeks':
    case 'months':
    case 'minutes':
      return Number(text);
  }
}

const toText = (value: NormValue): string => (Array.isArray(value) ? value.join('\n') : String(value));

export function NormsPage() {
  const { t } = useTranslation();
  usePageTitle(t('adminNorms.title'));
  const norms = useResource(keys.norms(), (signal) => api.get(normListSchema, '/norms', undefined, signal));
  const [editing, setEditing] = useState<string | null>(null);
  const [result, setResult] = useState('');
  const resultRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  return (
    <section aria-labelledby="norms-title" aria-busy={norms.status === 'loading'}>
      <h1 id="norms-title">{t('adminNorms.title')}</h1>
      <p>{t('adminNorms.intro')}</p>
      {result ? (
        <p className="notice success" role="status" tabIndex={-1} ref={resultRef}>
          {result}
        </p>
      ) : null}
      {norms.status === 'error' ? (
        <p className="form-error" role="alert">
          {isApiError(norms.error) ? problemText(norms.error.problem, t) : t('errors.generic')}
        </p>
      ) : null}
      {!norms.data ? <p className="loading">{t('common.loading')}</p> : null}
      <ul className="plain norm-list">
        {norms.data?.items.map((n) => {
          const id = `norm-${n.key.replaceAll('.', '-')}`;
          return (
            <li key={n.key} className="norm" aria-labelledby={`${id}-title`}>
              <h2 id={`${id}-title`}>{normLabel(t, n.key)}</h2>
              <dl className="facts">
                <dt>{t('adminNorms.current')}</dt>
                <dd>{normValueText(t, n.unit, n.value)}</dd>
                <dt>{t('adminNorms.default')}</dt>
                <dd>{normValueText(t, n.unit, n.default)}</dd>
                <dt>{t('adminNorms.source')}</dt>
                <dd>{n.source}</dd>
                <dt>{t('adminNorms.changed')}</dt>
                <dd>
                  {n.changedAt
                    ? t('adminNorms.changedBy', { at: formatDateTime(n.changedAt), by: n.changedBy ?? t('adminLog.commandLine') })
                    : t('adminNorms.neverChanged')}
                </dd>
              </dl>
              {editing === n.key ? (
                <NormForm
                  norm={n}
                  prefix={id}
                  onCancel={() => {
                    setEditing(null);
                    focusSoon(`${id}-edit`);
                  }}
                  onSaved={(saved) => {
                    setEditing(null);
                    setResult(t('adminNorms.saved', { name: normLabel(t, saved.key), value: normValueText(t, saved.unit, saved.value) }));
                  }}
                />
              ) : (
                <button
                  type="button"
                  id={`${id}-edit`}
                  className="secondary"
                  aria-label={t('adminNorms.editNamed', { name: normLabel(t, n.key) })}
                  onClick={() => {
                    setResult('');
                    setEditing(n.key);
                    focusSoon(fieldId(id, 'value'));
                  }}
                >
                  {t('adminNorms.edit')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function NormForm({ norm, prefix, onSaved, onCancel }: { norm: Norm; prefix: string; onSaved: (n: Norm) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const schema = useMemo(
    () =>
      z.object({
        value: valueSchema(t, norm),
        reason: z.string().trim().min(1, t('adminNorms.reasonRequired')).max(1000, t('validation.tooLong', { max: 1000 })),
      }),
    [t, norm],
  );
  const { control, handleSubmit, formState } = useForm<{ value: string; reason: string }>({
    resolver: zodResolver(schema),
    defaultValues: { value: toText(norm.value), reason: '' },
    shouldFocusError: false,
  });
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const errors = { ...formErrors(formState.errors), ...serverErrors };
  const submit = handleSubmit(async (form) => {
    setServerErrors({});
    try {
      const saved = await api.put(normSchema, `/norms/${encodeURIComponent(norm.key)}`, { value: toValue(norm, form.value), reason: form.reason });
      await queryClient.invalidateQueries({ queryKey: ['norms'] });
      await queryClient.invalidateQueries({ queryKey: ['admin-log'] });
      announce(t('adminNorms.savedShort'));
      onSaved(saved);
    } catch (err) {
      setServerErrors(writeErrors(err, t));
    }
  });
  const valueId = fieldId(prefix, 'value');
  return (
    <form className="event-form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('adminNorms.editNamed', { name: normLabel(t, norm.key) })}>
      <ErrorSummary errors={errors} prefix={prefix} />
      <Controller
        name="value"
        control={control}
        render={({ field }) =>
          norm.unit === 'yesNo' || norm.unit === 'choice' ? (
            <SelectField
              id={valueId}
              label={t('adminNorms.newValue')}
              value={field.value}
              onChange={field.onChange}
              error={errors.value}
              options={(norm.unit === 'yesNo' ? ['true', 'false'] : (norm.options ?? [])).map((o) => ({
                value: o,
                label: norm.unit === 'yesNo' ? (o === 'true' ? t('adminNorms.yes') : t('adminNorms.no')) : normValueText(t, 'choice', o),
              }))}
              required
            />
          ) : norm.unit === 'dates' ? (
            <TextArea id={valueId} label={t('adminNorms.newValue')} hint={t('adminNorms.datesHint')} value={field.value} onChange={field.onChange} error={errors.value} rows={4} />
          ) : (
            <TextField
              id={valueId}
              label={t('adminNorms.newValueIn', { unit: t(`normUnitNames.${norm.unit}`) })}
              hint={norm.min !== null && norm.max !== null ? t('adminNorms.between', { min: norm.min, max: norm.max }) : undefined}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={errors.value}
              inputMode="numeric"
              autoComplete="off"
              required
            />
          )
        }
      />
      <Controller
        name="reason"
        control={control}
        render={({ field }) => (
          <TextArea id={fieldId(prefix, 'reason')} label={t('adminNorms.reason')} hint={t('adminNorms.reasonHint')} value={field.value} onChange={field.onChange} error={errors.reason} rows={2} required />
        )}
      />
      <div className="button-row">
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('common.saving') : t('adminNorms.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
