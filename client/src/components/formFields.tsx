// What the react-hook-form forms share: a form with a zod schema whose errors (the browser's
// validation and the server's 400 issues) come as one `{ path: message }` map for the error summary
// and the fields, text fields bound to the form, and the submit button that says it is saving.
import { zodResolver } from '@hookform/resolvers/zod';
import type { TFunction } from 'i18next';
import { useState, type ComponentProps, type ReactNode } from 'react';
import { useForm, type Control, type DefaultValues, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { isApiError } from '../api.ts';
import { Controlled } from '../forms/bound.tsx';
import { fieldId, formErrors, problemText, type ErrorMap } from '../forms/errors.tsx';
import { TextArea, TextField } from './fields.tsx';

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

/**
 * useForm with the schema as resolver (focus is the error summary's, not the first field's), the
 * form's `errors` as one map, and `onSubmit(send, fieldText)`: validates, clears the server's last
 * errors, runs `send`, and puts a failed write's issues on the fields (see writeErrors).
 */
export function useZodForm<T extends FieldValues>(schema: z.ZodType<T, T>, defaultValues: DefaultValues<T>) {
  const { t } = useTranslation();
  const form = useForm<T>({ resolver: zodResolver(schema), defaultValues, shouldFocusError: false });
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const errors: ErrorMap = { ...formErrors(form.formState.errors), ...serverErrors };
  const onSubmit = (send: (values: T) => Promise<void>, fieldText?: Record<string, string>) =>
    form.handleSubmit(async (values) => {
      setServerErrors({});
      try {
        await send(values);
      } catch (err) {
        setServerErrors(writeErrors(err, t, fieldText));
      }
    });
  return { ...form, errors, onSubmit };
}

type Bound<T extends FieldValues> = { control: Control<T>; name: Path<T>; prefix: string; errors: ErrorMap };
type Omitted = 'id' | 'value' | 'onChange' | 'onBlur' | 'error';

/** A form's field as a control's props: id from the form's prefix, value, events, error from the map. */
function BoundField<T extends FieldValues>({
  control,
  name,
  prefix,
  errors,
  render,
}: Bound<T> & { render: (p: BoundProps) => ReactNode }) {
  return (
    <Controlled<string, T>
      control={control}
      name={name}
      id={fieldId(prefix, name)}
      error={errors[name]}
      render={render}
    />
  );
}
type BoundProps = {
  id: string;
  value: string;
  onChange: (v: string) => void;
  onBlur: () => void;
  error: string | undefined;
};

/** A text field bound to a form's field (see BoundField). */
export function FormTextField<T extends FieldValues>(
  props: Bound<T> & Omit<ComponentProps<typeof TextField>, Omitted>,
) {
  const { control, name, prefix, errors, ...rest } = props;
  return <BoundField {...{ control, name, prefix, errors }} render={(p) => <TextField {...p} {...rest} />} />;
}

/** A text area bound to a form's field (see BoundField). */
export function FormTextArea<T extends FieldValues>(
  props: Bound<T> & Omit<ComponentProps<typeof TextArea>, Omitted>,
) {
  const { control, name, prefix, errors, ...rest } = props;
  return <BoundField {...{ control, name, prefix, errors }} render={(p) => <TextArea {...p} {...rest} />} />;
}

/** The form's submit button ("Bezig met opslaan…" while it is busy), and any buttons beside it. */
export function SubmitRow({
  busy,
  label,
  kind = 'primary',
  children,
}: {
  busy: boolean;
  label: string;
  kind?: 'primary' | 'secondary';
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="button-row">
      <button type="submit" className={kind} disabled={busy}>
        {busy ? t('common.saving') : label}
      </button>
      {children}
    </div>
  );
}
