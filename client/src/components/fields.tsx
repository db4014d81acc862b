import {
  type ReactNode,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useTranslation } from 'react-i18next';

/** Ids that tie a field to its hint and error text (aria-describedby). */
export function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

function RequiredMark({ required }: { required?: boolean }) {
  const { t } = useTranslation();
  return required ? <span className="required"> {t('common.required')}</span> : null;
}

type BaseProps = { id: string; label: ReactNode; hint?: ReactNode; error?: string; required?: boolean };

export function TextField({
  id,
  label,
  hint,
  error,
  required,
  value,
  onChange,
  ...rest
}: BaseProps & { value: string; onChange: (v: string) => void } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'id' | 'value' | 'onChange' | 'required'
  >) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      <FieldMessages id={id} hint={hint} error={error} />
      <input
        id={id}
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </div>
  );
}

export function TextArea({
  id,
  label,
  hint,
  error,
  required,
  value,
  onChange,
  rows = 3,
}: BaseProps & { value: string; onChange: (v: string) => void; rows?: number } & Omit<
    TextareaHTMLAttributes<HTMLTextAreaElement>,
    'id' | 'value' | 'onChange'
  >) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      <FieldMessages id={id} hint={hint} error={error} />
      <textarea
        id={id}
        name={id}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </div>
  );
}

export type Option = { value: string; label: string };

export function SelectField({
  id,
  label,
  hint,
  error,
  required,
  value,
  onChange,
  options,
  placeholder,
  ...rest
}: BaseProps & {
  value: string;
  onChange: (v: string) => void;
  options: Option[];
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange'>) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      <FieldMessages id={id} hint={hint} error={error} />
      <select
        id={id}
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  id,
  label,
  hint,
  error,
  checked,
  onChange,
}: Omit<BaseProps, 'required'> & { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className={`field checkbox${error ? ' has-error' : ''}`}>
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <label htmlFor={id}>{label}</label>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

/** A radio group: fieldset + legend, the error tied to the first radio and announced with the legend. */
export function RadioGroup({
  id,
  legend,
  hint,
  error,
  required,
  value,
  onChange,
  options,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  value: string;
  onChange: (v: string) => void;
  options: Option[];
}) {
  return (
    <fieldset
      className={`field radios${error ? ' has-error' : ''}`}
      id={id}
      aria-describedby={describedBy(id, hint, error)}
      tabIndex={-1}
    >
      <legend>
        {legend}
        <RequiredMark required={required} />
      </legend>
      <FieldMessages id={id} hint={hint} error={error} />
      {options.map((o, i) => (
        <div className="radio" key={o.value}>
          <input
            type="radio"
            id={`${id}-${i}`}
            name={id}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={`${id}-${i}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** Datetime input read as Europe/Amsterdam wall time. */
export function DateTimeField(props: BaseProps & { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return <TextField {...props} type="datetime-local" hint={props.hint ?? t('common.amsterdamTime')} />;
}
