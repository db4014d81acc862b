// One field renderer driven by the shape of the shared payload schema: an enum is a choice (radio
// buttons, or a list where the form says so), a boolean a checkbox, an ISO instant a date and time in
// Amsterdam wall time, a number a text field for digits, long text a text area, other text a text
// field; required unless the schema says optional. A form only names its fields' words (label, hint, option labels); what a field
// is, and whether it may be left empty, comes from the schema the server checks with.
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { amsterdamLocalToIso, isoToAmsterdamLocal } from '../format.ts';
import { serverNowIso } from '../serverClock.ts';
import type { FamilyView } from '../types.ts';
import { BCheck, BDateTime, BRadio, BSelect, BText, BTextArea } from './bound.tsx';

export type FieldKind =
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'instant' }
  | { kind: 'number' }
  | { kind: 'text'; long: boolean };

/** Longer than this is a text area (the shared `longText`), up to it a text field (`shortText`). */
const SHORT_TEXT_MAX = 500;

/** What the schema of one field asks for, and whether it may be left out. */
export function fieldKind(schema: z.ZodType): FieldKind & { optional: boolean } {
  let s: z.ZodType = schema;
  let optional = false;
  for (;;) {
    if (s instanceof z.ZodOptional) {
      optional = true;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodEnum) return { kind: 'choice', options: s.options as string[], optional };
  if (s instanceof z.ZodBoolean) return { kind: 'boolean', optional };
  if (s instanceof z.ZodISODateTime) return { kind: 'instant', optional };
  if (s instanceof z.ZodNumber) return { kind: 'number', optional };
  if (s instanceof z.ZodString) return { kind: 'text', long: (s.maxLength ?? 0) > SHORT_TEXT_MAX, optional };
  throw new Error('fieldKind: a field of this kind needs its own editor');
}

/** The words of a field (i18n keys) and what its form changes about it. */
export type FieldSpec = {
  name: string;
  label: string;
  hint?: string;
  /** The i18n key of an option's label. */
  option?: (value: string) => string;
  /** Only these options (a decision that is not open from this phase). */
  only?: readonly string[];
  /** A choice as a drop-down list rather than radio buttons. */
  select?: boolean;
  /** An instant that starts at now (server clock) rather than empty. */
  now?: boolean;
  rows?: number;
  /** The field's own control where a plain one does not do (a director, a measure). */
  render?: (p: { required: boolean; family: FamilyView | undefined }) => ReactNode;
  /** The field's first value where it depends on the family. */
  init?: (family: FamilyView) => unknown;
};

export type Shape = Record<string, z.ZodType>;

/** A draft's first values for these fields. */
export function initialValues(
  shape: Shape,
  specs: readonly FieldSpec[],
  family: FamilyView,
): Record<string, unknown> {
  return Object.fromEntries(
    specs.map((spec) => {
      if (spec.init) return [spec.name, spec.init(family)];
      const k = spec.render ? null : fieldKind(shape[spec.name]!);
      if (k?.kind === 'boolean') return [spec.name, false];
      if (k?.kind === 'instant' && spec.now) return [spec.name, isoToAmsterdamLocal(serverNowIso())];
      return [spec.name, ''];
    }),
  );
}

/**
 * These fields of a draft as the payload: an unchosen option and empty optional text are left out
 * (so the schema names what is missing), instants go from Amsterdam wall time to ISO.
 */
export function payloadValues(shape: Shape, specs: readonly FieldSpec[], draft: Record<string, unknown>) {
  return Object.fromEntries(
    specs.map((spec) => {
      const v = draft[spec.name];
      const k = fieldKind(shape[spec.name]!);
      if (k.kind === 'boolean') return [spec.name, !!v];
      const text = typeof v === 'string' ? v : '';
      if (k.kind === 'instant')
        return [spec.name, text.trim() ? amsterdamLocalToIso(text) : k.optional ? undefined : ''];
      if (k.kind === 'choice') return [spec.name, text || undefined];
      // A number typed as text: empty is left out when optional, else NaN so the schema names it.
      if (k.kind === 'number')
        return [spec.name, text.trim() ? Number(text.replace(',', '.')) : k.optional ? undefined : Number.NaN];
      return [spec.name, k.optional && !text.trim() ? undefined : text];
    }),
  );
}

/** One field, drawn from its schema (see fieldKind). */
export function SchemaField({
  shape,
  spec,
  t,
  family,
}: {
  shape: Shape;
  spec: FieldSpec;
  t: TFunction;
  family?: FamilyView | undefined;
}) {
  const schema = shape[spec.name];
  if (!schema) throw new Error(`no field ${spec.name} in this payload`);
  const k = fieldKind(schema);
  const required = !k.optional && k.kind !== 'boolean';
  if (spec.render) return <>{spec.render({ required, family })}</>;
  const label = t(spec.label);
  const hint = spec.hint ? t(spec.hint) : undefined;
  const common = { name: spec.name, required, ...(hint ? { hint } : {}) };
  switch (k.kind) {
    case 'choice': {
      const options = k.options
        .filter((v) => !spec.only || spec.only.includes(v))
        .map((v) => ({ value: v, label: t(spec.option ? spec.option(v) : v) }));
      return spec.select ? (
        <BSelect {...common} label={label} options={options} placeholder={t('common.choose')} />
      ) : (
        <BRadio {...common} legend={label} options={options} />
      );
    }
    case 'boolean':
      return <BCheck name={spec.name} label={label} {...(hint ? { hint } : {})} />;
    case 'instant':
      return <BDateTime {...common} label={label} />;
    case 'number':
      return <BText {...common} label={label} inputMode="decimal" autoComplete="off" />;
    case 'text':
      return k.long ? (
        <BTextArea {...common} label={label} {...(spec.rows ? { rows: spec.rows } : {})} />
      ) : (
        <BText {...common} label={label} autoComplete="off" />
      );
  }
}

/** The fields in order (see SchemaField). */
export function SchemaFields({
  shape,
  specs,
  t,
  family,
}: {
  shape: Shape;
  specs: readonly FieldSpec[];
  t: TFunction;
  family?: FamilyView | undefined;
}) {
  return (
    <>
      {specs.map((spec) => (
        <SchemaField key={spec.name} shape={shape} spec={spec} t={t} family={family} />
      ))}
    </>
  );
}
