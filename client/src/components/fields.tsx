import {
  type ReactNode,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox } from '@utrecht/checkbox-react';
import { Fieldset, FieldsetLegend } from '@utrecht/fieldset-react';
import { FormFieldDescription } from '@utrecht/form-field-description-react';
import { FormFieldErrorMessage } from '@utrecht/form-field-error-message-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { RadioButton } from '@utrecht/radio-button-react';
import { Textbox } from '@utrecht/textbox-react';

// The form fields of the NL Design System (Utrecht components), each with its label, hint and error
// tied to the input (aria-describedby), so an error summary can name and focus the field.

/** Ids that tie a field to its hint and error text (aria-describedby). */
export function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <FormFieldDescription className="hint" id={`${id}-hint`}>
          {hint}
        </FormFieldDescription>
      ) : null}
      {error ? (
        <FormFieldErrorMessage className="field-error" id={`${id}-error`}>
          {error}
        </FormFieldErrorMessage>
      ) : null}
    </>
  );
}

function RequiredMark({ required }: { required?: boolean }) {
  const { t } = useTranslation();
  return required ? <span className="required"> {t('common.required')}</span> : null;
}

type BaseProps = { id: string; label: ReactNode; hint?: ReactNode; error?: string; required?: boolean };

/** A text-like field's frame: the label (with "required"), then hint and error, then the control. */
function LabelledField({ id, label, hint, error, required, children }: BaseProps & { children: ReactNode }) {
  return (
    <FormField className={`field${error ? ' has-error' : ''}`} invalid={!!error} type="text">
      <FormLabel htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </FormLabel>
      <FieldMessages id={id} hint={hint} error={error} />
      {children}
    </FormField>
  );
}

/** The control's own attributes: id and name, required, and the hint and error it is described by. */
function controlProps({ id, hint, error, required }: Omit<BaseProps, 'label'>) {
  return {
    id,
    name: id,
    'aria-required': required ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
  } as const;
}

/** The field's own props apart from what the control takes beyond them (autoComplete, type, …). */
function splitBase<P extends BaseProps>({ id, label, hint, error, required, ...rest }: P) {
  return { base: { id, label, hint, error, required }, rest };
}

export function TextField({
  value,
  onChange,
  ...props
}: BaseProps & { value: string; onChange: (v: string) => void } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'id' | 'value' | 'onChange' | 'required'
  >) {
  const { base, rest } = splitBase(props);
  return (
    <LabelledField {...base}>
      <Textbox
        {...controlProps(props)}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        invalid={!!base.error}
        {...rest}
      />
    </LabelledField>
  );
}

export function TextArea({
  value,
  onChange,
  rows = 3,
  ...props
}: BaseProps & { value: string; onChange: (v: string) => void; rows?: number } & Omit<
    TextareaHTMLAttributes<HTMLTextAreaElement>,
    'id' | 'value' | 'onChange'
  >) {
  const { base } = splitBase(props);
  const { error } = base;
  return (
    <LabelledField {...base}>
      <textarea
        {...controlProps(props)}
        rows={rows}
        className={`utrecht-textarea utrecht-textarea--html-textarea${error ? ' utrecht-textarea--invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
    </LabelledField>
  );
}

export type Option = { value: string; label: string };

export function SelectField({
  value,
  onChange,
  options,
  placeholder,
  ...props
}: BaseProps & {
  value: string;
  onChange: (v: string) => void;
  options: Option[];
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange'>) {
  const { base, rest } = splitBase(props);
  const { error } = base;
  return (
    <LabelledField {...base}>
      <select
        {...controlProps(props)}
        className={`utrecht-select utrecht-select--html-select${error ? ' utrecht-select--invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        {...rest}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
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
    <FormField className={`field checkbox${error ? ' has-error' : ''}`} invalid={!!error} type="checkbox">
      <Checkbox
        id={id}
        name={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        invalid={!!error}
        aria-describedby={describedBy(id, hint, error)}
      />
      <FormLabel htmlFor={id} type="checkbox">
        {label}
      </FormLabel>
      <FieldMessages id={id} hint={hint} error={error} />
    </FormField>
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
    <Fieldset
      className={`field radios${error ? ' has-error' : ''}`}
      id={id}
      aria-describedby={describedBy(id, hint, error)}
      invalid={!!error}
      tabIndex={-1}
    >
      <FieldsetLegend>
        {legend}
        <RequiredMark required={required} />
      </FieldsetLegend>
      <FieldMessages id={id} hint={hint} error={error} />
      {options.map((o, i) => (
        <div className="radio" key={o.value}>
          <RadioButton
            id={`${id}-${i}`}
            name={id}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            invalid={!!error}
          />
          <FormLabel htmlFor={`${id}-${i}`} type="radio">
            {o.label}
          </FormLabel>
        </div>
      ))}
    </Fieldset>
  );
}

/** Datetime input read as Europe/Amsterdam wall time. */
export function DateTimeField(props: BaseProps & { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return <TextField {...props} type="datetime-local" hint={props.hint ?? t('common.amsterdamTime')} />;
}
