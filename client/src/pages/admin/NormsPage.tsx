import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { normListSchema, normSchema, type Norm, type NormValue } from '../../../../contract/index.ts';
import { api } from '../../api.ts';
import { useAnnounce } from '../../components/Announcer.tsx';
import { SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { ErrorSummary, fieldId, focusSoon } from '../../forms/errors.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { keys, queryClient } from '../../queries.ts';
import { FocusedNotice } from '../../components/FocusedNotice.tsx';
import { FormTextArea, SubmitRow, useZodForm } from '../../components/formFields.tsx';
import { ProblemAlert } from '../../components/ListState.tsx';

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
  if (norm.unit === 'yesNo') return text === 'true';
  if (norm.unit === 'choice') return text;
  if (norm.unit === 'dates') return text.trim() === '' ? [] : text.trim().split(/[\s,]+/);
  return Number(text); // a count: working days, calendar days, hours, weeks, months, minutes
}

const toText = (value: NormValue): string => (Array.isArray(value) ? value.join('\n') : String(value));

export function NormsPage() {
  const { t } = useTranslation();
  usePageTitle(t('adminNorms.title'));
  const norms = useResource(keys.norms(), (signal) => api.get(normListSchema, '/norms', undefined, signal));
  const [editing, setEditing] = useState<string | null>(null);
  const [result, setResult] = useState('');

  return (
    <section aria-labelledby="norms-title" aria-busy={norms.status === 'loading'}>
      <h1 id="norms-title">{t('adminNorms.title')}</h1>
      <p>{t('adminNorms.intro')}</p>
      {result ? <FocusedNotice focusKey={result}>{result}</FocusedNotice> : null}
      {norms.status === 'error' ? <ProblemAlert error={norms.error} /> : null}
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
  const { control, errors, formState, onSubmit } = useZodForm(schema, { value: toText(norm.value), reason: '' });
  const submit = onSubmit(async (form) => {
    const saved = await api.put(normSchema, `/norms/${encodeURIComponent(norm.key)}`, { value: toValue(norm, form.value), reason: form.reason });
    await queryClient.invalidateQueries({ queryKey: ['norms'] });
    await queryClient.invalidateQueries({ queryKey: ['admin-log'] });
    announce(t('adminNorms.savedShort'));
    onSaved(saved);
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
      <FormTextArea control={control} errors={errors} prefix={prefix} name="reason" label={t('adminNorms.reason')} hint={t('adminNorms.reasonHint')} rows={2} required />
      <SubmitRow busy={formState.isSubmitting} label={t('adminNorms.save')}>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </SubmitRow>
    </form>
  );
}
