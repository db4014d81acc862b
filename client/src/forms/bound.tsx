// The NL Design System fields (components/fields.tsx) bound to the react-hook-form of the form they
// sit in (useFormContext), and the scope that gives each its id and error: the form's id prefix and
// its errors keyed by payload path. A field's form path (`name`) is where its value lives in the
// draft; `at` is the payload path its errors come under when the two differ (a draft edits
// `presence.0.took`, the schema speaks of `participants.0`), `id` the path its id is made from.
import { zodResolver } from '@hookform/resolvers/zod';
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type BaseSyntheticEvent,
  type ComponentProps,
  type ComponentType,
  type ReactNode,
} from 'react';
import {
  Controller,
  FormProvider,
  useFieldArray,
  useForm,
  useFormContext,
  useWatch,
  type Control,
  type DefaultValues,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  CheckboxField,
  DateTimeField,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
  type Option,
} from '../components/fields.tsx';
import type { z } from 'zod';
import type { Problem } from '../api.ts';
import {
  ErrorSummary,
  fieldElement,
  fieldId,
  focusSoon,
  problemErrors,
  resolverErrors,
  zodErrorMap,
  type ErrorMap,
  type MissingText,
} from './errors.tsx';

export type Scope = { prefix: string; errors: ErrorMap };
const ScopeContext = createContext<Scope>({ prefix: 'form', errors: {} });

/** Gives the fields inside it their form's id prefix and errors. */
export function FormScope({ prefix, errors, children }: Scope & { children: ReactNode }) {
  return <ScopeContext.Provider value={{ prefix, errors }}>{children}</ScopeContext.Provider>;
}

export function useScope(): Scope {
  return useContext(ScopeContext);
}

/**
 * A form checked by a request schema (requestSchema.ts) through zodResolver, in the user's
 * language (`missing`: a field's own sentence for an empty value); focus is the error summary's,
 * not the first field's, and errors stay until the next try. `errors` holds the schema's and,
 * after `showProblem`, a failed write's (at the fields this form has, the rest in the summary).
 */
export function useRequestForm<D extends FieldValues, R>(
  prefix: string,
  schema: z.ZodType<R, D>,
  defaultValues: DefaultValues<D>,
  missing?: MissingText,
) {
  const { t, i18n } = useTranslation();
  const form = useForm<D, unknown, R>({
    defaultValues,
    resolver: zodResolver(schema, { error: zodErrorMap(t, missing) }),
    shouldFocusError: false,
    reValidateMode: 'onSubmit',
  });
  const [sent, setSent] = useState<ErrorMap>({});
  const errors: ErrorMap = { ...resolverErrors(form.formState.errors, t), ...sent };
  // Errors shown speak the language chosen since: the schema's are found again with the new words.
  const shown = useRef(false);
  shown.current = form.formState.submitCount > 0 && Object.keys(form.formState.errors).length > 0;
  const { trigger } = form;
  useEffect(() => {
    if (shown.current) void trigger();
  }, [i18n.language, trigger]);
  const showProblem = (problem: Problem) =>
    setSent(problemErrors(problem, t, (path) => !!fieldElement(prefix, path)));
  return { form, errors, setSent, showProblem };
}

/** The form element with its react-hook-form and scope, and the error summary at its top. */
export function FormFrame<D extends FieldValues, R>({
  form,
  prefix,
  errors,
  onSubmit,
  busy,
  before,
  children,
  ...attributes
}: {
  form: UseFormReturn<D, unknown, R>;
  prefix: string;
  errors: ErrorMap;
  /** The form's `handleSubmit(valid, invalid)`. */
  onSubmit: (e?: BaseSyntheticEvent) => Promise<void>;
  busy: boolean;
  /** Notices above the error summary (a conflict, a refusal). */
  before?: ReactNode;
  children: ReactNode;
} & Record<`data-${string}`, string>) {
  return (
    <FormProvider {...form}>
      <FormScope prefix={prefix} errors={errors}>
        <form onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy} {...attributes}>
          {before}
          <ErrorSummary errors={errors} prefix={prefix} attempt={form.formState.submitCount} />
          {children}
        </form>
      </FormScope>
    </FormProvider>
  );
}

/** The value at a form path, re-rendering when it changes. */
export function useValue<V>(name: string): V {
  const { control } = useFormContext();
  return useWatch({ control, name }) as V;
}

/** `at: null`: the field has no error of its own. */
export type Where = { name: string; at?: string | null | undefined; id?: string | undefined };

export type Bind<V> = {
  id: string;
  error: string | undefined;
  value: V;
  onChange: (v: V) => void;
  onBlur: () => void;
};

/** A form value on a control, with the id and error the caller gives it. */
export function Controlled<V, T extends FieldValues = FieldValues>({
  control,
  name,
  id,
  error,
  render,
}: {
  control: Control<T>;
  name: Path<T>;
  id: string;
  error: string | undefined;
  render: (p: Bind<V>) => ReactNode;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <>{render({ id, error, value: field.value as V, onChange: field.onChange, onBlur: field.onBlur })}</>
      )}
    />
  );
}

/** One form value bound to a control: its id and error from the scope, its value and change from the form. */
export function Bound<V>({ name, at, id, render }: Where & { render: (p: Bind<V>) => ReactNode }) {
  const { control } = useFormContext();
  const { prefix, errors } = useScope();
  const key = at === null ? null : (at ?? name);
  return (
    <Controlled<V>
      control={control}
      name={name}
      id={fieldId(prefix, id ?? key ?? name)}
      error={key === null ? undefined : errors[key]}
      render={render}
    />
  );
}

type Own = 'id' | 'value' | 'onChange' | 'onBlur' | 'error' | 'checked';
type TextLike = { id: string; value: string; onChange: (v: string) => void; error?: string | undefined };

/** A control that edits text (a text field, area, list or radio group) bound to its form value. */
export function bound<P extends TextLike>(Control: ComponentType<P>) {
  return function BoundControl({ name, at, id, ...rest }: Where & Omit<P, Own>) {
    return (
      <Bound<string>
        {...{ name, at, id }}
        render={(p) => (
          <Control
            {...({ ...rest, id: p.id, error: p.error, onChange: p.onChange } as unknown as P)}
            value={p.value ?? ''}
          />
        )}
      />
    );
  };
}

export const BText = bound(TextField);
export const BTextArea = bound(TextArea);
export const BDateTime = bound(DateTimeField);
export const BSelect = bound(SelectField);
export const BRadio = bound(RadioGroup);

export function BCheck({ name, at, id, ...rest }: Where & Omit<ComponentProps<typeof CheckboxField>, Own>) {
  return (
    <Bound<boolean>
      {...{ name, at, id }}
      render={(p) => (
        <CheckboxField {...rest} id={p.id} error={p.error} checked={!!p.value} onChange={p.onChange} />
      )}
    />
  );
}

/** A checkbox that puts `item` in or out of the list at `name` (violence forms, covered conditions…). */
export function BToggle({
  name,
  item,
  id,
  label,
}: {
  name: string;
  item: string;
  id: string;
  label: string;
}) {
  return (
    <Bound<string[]>
      name={name}
      id={id}
      render={(p) => (
        <CheckboxField
          id={p.id}
          label={label}
          checked={(p.value ?? []).includes(item)}
          onChange={(on) => {
            const rest = (p.value ?? []).filter((x) => x !== item);
            p.onChange(on ? [...rest, item] : rest);
          }}
        />
      )}
    />
  );
}

/**
 * A group of fields with its legend, hint and the group's own error (tied to it with
 * aria-describedby); focusable so the error summary can move there.
 */
export function Group({
  path,
  legend,
  hint,
  className = 'group',
  children,
}: {
  path: string;
  legend: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const { prefix, errors } = useScope();
  const id = fieldId(prefix, path);
  const error = errors[path];
  return (
    <fieldset
      className={`${className}${error ? ' has-error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

/**
 * Rows the user adds and removes (conditions, agreements, members) over useFieldArray: each row a
 * fieldset named by its number, a remove button per row (above `minRows`), an add button that
 * moves focus to the new row's first field, and back to itself when a row is removed.
 */
export type RowWords = { legend: string; hint?: string; row: string; add: string; remove: string };

export function Rows<T extends FieldValues>({
  name,
  words,
  blank,
  first,
  minRows = 0,
  children,
}: {
  name: string;
  /** i18n keys: the list's legend and hint, a row's legend, add and remove (`row`, `remove` take `n`). */
  words: RowWords;
  blank: () => T;
  first: string;
  minRows?: number;
  children: (i: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const { control } = useFormContext();
  const { prefix } = useScope();
  const rows = useFieldArray({ control, name });
  const addId = `${fieldId(prefix, name)}-add`;
  return (
    <Group path={name} legend={t(words.legend)} hint={words.hint ? t(words.hint) : undefined}>
      {rows.fields.map((f, i) => (
        <fieldset className="row-group" key={f.id}>
          <legend>{t(words.row, { n: i + 1 })}</legend>
          {children(i)}
          {rows.fields.length > minRows ? (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                rows.remove(i);
                focusSoon(addId);
              }}
            >
              {t(words.remove, { n: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        id={addId}
        onClick={() => {
          rows.append(blank(), { shouldFocus: false });
          focusSoon(fieldId(prefix, `${name}.${rows.fields.length}.${first}`));
        }}
      >
        {t(words.add)}
      </button>
    </Group>
  );
}

/**
 * Named professionals, one text field each (an empty last one to type in), over useFieldArray;
 * `at(j)` is where the schema reports the j-th one's errors.
 */
export function Professionals({
  at,
  hint,
}: {
  at: (j: number, names: string[]) => string | null;
  hint?: string;
}) {
  const { t } = useTranslation();
  const { control } = useFormContext();
  const rows = useFieldArray({ control, name: 'professionals' });
  const names = (useValue<{ name: string }[] | undefined>('professionals') ?? []).map((p) => p.name);
  return (
    <>
      {rows.fields.map((f, j) => (
        <BText
          key={f.id}
          name={`professionals.${j}.name`}
          id={`professionals.${j}`}
          at={at(j, names)}
          label={t('plan.professional', { n: j + 1 })}
          hint={hint && j === rows.fields.length - 1 ? hint : undefined}
        />
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => rows.append({ name: '' }, { shouldFocus: false })}
      >
        {t('plan.addProfessional')}
      </button>
    </>
  );
}

export type { Option };
