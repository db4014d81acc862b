import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FieldErrors, FieldValues } from 'react-hook-form';
import type { z } from 'zod';
import { UNEXPECTED_RESPONSE, type Problem } from '../api.ts';
import { currentLanguage } from '../i18n/index.ts';

/** Error text per field path ("conditions.0.description"); "" holds errors that belong to no field. */
export type ErrorMap = Record<string, string>;

export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The id of the input that edits `path`, so an error can point at and focus it. */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** Turns a zod issue into a sentence in the user's language. */
export function zodMessage(issue: z.core.$ZodIssue, t: TFunction): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? t('validation.required')
          : t('validation.tooShort', { min: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set')
        return t('validation.minItems', { min: Number(issue.minimum) });
      return t('validation.min', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.tooLong', { max: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set')
        return t('validation.maxItems', { max: Number(issue.maximum) });
      return t('validation.max', { max: Number(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'datetime' ? t('validation.dateTime') : t('validation.invalid');
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return t('validation.number');
      if (issue.expected === 'boolean') return t('validation.choose');
      return t('validation.required');
    case 'invalid_value':
      return t('validation.choose');
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return t('validation.invalid');
  }
}

export function zodErrors(
  error: z.ZodError,
  t: TFunction,
  prefixPath: readonly PropertyKey[] = [],
): ErrorMap {
  const out: ErrorMap = {};
  for (const issue of error.issues) {
    const key = pathKey([...prefixPath, ...issue.path]);
    out[key] ??= zodMessage(issue, t);
  }
  return out;
}

/**
 * Server paths come as "payload.x.0.y", "/payload/x/0/y", "body.payload.x" or "x.0.y"; the form keys
 * payload paths bare. The forms' own schemas nest the request under "request", their checks under "draft".
 */
export function normaliseServerPath(path: string): string {
  return path
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^(body|request|draft)(\.|$)/, '')
    .replace(/^payload(\.|$)/, '');
}

/**
 * A rule's message in the user's words. The shared request rules (machines/schemas/common.ts) speak
 * both languages in one string ("Must lie after startsAt / moet na startsAt liggen") and name fields
 * by their code; raw zod messages are English. Neither reaches the screen as is: the known rules get
 * their own sentence, another bilingual message its half in the user's language, the rest a
 * general one.
 */
export function ruleMessage(path: string, message: string, t: TFunction): string {
  const last = path.split('.').at(-1) ?? '';
  const slash = message.indexOf(' / ');
  if (slash < 0) return t('validation.invalid');
  if (last === 'endsAt' && /startsAt/.test(message)) return t('validation.endsAfterStart');
  if (last === 'birthYear') return t('validation.birthYearFuture');
  if (/1900/.test(message)) return t('validation.instantRange');
  if (/control|NUL/i.test(message)) return t('validation.controlCharacters');
  return currentLanguage() === 'en' ? message.slice(0, slash) : message.slice(slash + 3);
}

/**
 * A problem's field errors (400, and a 409 that names fields) on the fields they name, in the
 * user's words; an issue whose path names no field of the form, and a problem without issues, in
 * the summary under "" with the problem's own explanation.
 */
export function problemErrors(problem: Problem, t: TFunction, isField: (path: string) => boolean): ErrorMap {
  const out: ErrorMap = {};
  const add = (key: string, text: string) => {
    const had = out[key];
    out[key] = had ? (had.includes(text) ? had : `${had} ${text}`) : text;
  };
  for (const issue of problem.errors ?? []) {
    const path = normaliseServerPath(issue.path);
    const text = ruleMessage(path, issue.message, t);
    add(path && isField(path) ? path : '', text);
  }
  if (Object.keys(out).length === 0) out[''] = problemText(problem, t);
  return out;
}

/** Why a missing value is missing, per field, where the form has a better sentence than "Vul dit veld in.". */
export type MissingText = Record<string, string>;

const missingCodes = new Set(['too_small', 'invalid_type', 'invalid_value']);

/**
 * The zod error map of a form: every issue of the shared schema in the user's language, so no raw
 * zod message reaches the screen (zod's own messages are English). `missing` names a sentence per
 * field path (payload paths, "reason") for a value left empty.
 */
export function zodErrorMap(t: TFunction, missing: MissingText = {}) {
  return (issue: { code?: string; path?: readonly PropertyKey[] }): string => {
    const path = normaliseServerPath(pathKey(issue.path ?? []));
    const own = missing[path];
    if (own && missingCodes.has(issue.code ?? '')) return own;
    return zodMessage(issue as z.core.$ZodIssue, t);
  };
}

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
 * The errors of a form validated with a request schema, keyed by payload path, the shared rules'
 * bilingual messages put in the user's words (see ruleMessage).
 */
export function resolverErrors<T extends FieldValues>(errors: FieldErrors<T>, t: TFunction): ErrorMap {
  const out: ErrorMap = {};
  for (const [path, message] of Object.entries(formErrors(errors))) {
    const key = normaliseServerPath(path);
    out[key] ??= message.includes(' / ') ? ruleMessage(key, message, t) : message;
  }
  return out;
}

/** The explanation of a refusal in the user's language, falling back to the problem's detail. */
export function problemText(problem: Problem, t: TFunction): string {
  const lang = currentLanguage();
  const explained = problem.explanation?.[lang] ?? problem.explanation?.nl;
  if (explained) return explained;
  if (problem.detail) return problem.detail;
  switch (problem.status) {
    case 0:
      return problem.title === UNEXPECTED_RESPONSE ? t('errors.unexpectedResponse') : t('errors.network');
    case 401:
      return t('errors.unauthenticated');
    case 403:
      return t('errors.forbidden');
    case 404:
      return t('errors.notFound');
    case 409:
      return t('errors.conflict');
    case 413:
      return t('errors.tooLarge');
    case 429:
      return t('errors.tooMany');
    default:
      return problem.title ?? t('errors.generic');
  }
}

/** The element that edits `path` in the form with this prefix (a radio group's first radio as fallback). */
export function fieldElement(prefix: string, path: string): HTMLElement | null {
  return (
    document.getElementById(fieldId(prefix, path)) ?? document.getElementById(`${fieldId(prefix, path)}-0`)
  );
}

/** The name a sighted user reads for a field: its label or legend, without the "required" mark. */
export function fieldName(el: HTMLElement | null): string | null {
  if (!el) return null;
  const labelled = el.getAttribute('aria-labelledby');
  const source =
    (el.id ? document.querySelector<HTMLElement>(`label[for="${CSS.escape(el.id)}"]`) : null) ??
    el.querySelector<HTMLElement>('legend') ??
    (labelled ? document.getElementById(labelled.split(' ')[0] ?? '') : null);
  if (source) {
    const copy = source.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.required, .visually-hidden').forEach((n) => n.remove());
    const text = copy.textContent?.replace(/\s+/g, ' ').trim();
    if (text) return text;
  }
  return el.getAttribute('aria-label');
}

/**
 * Lists every error, each naming its field ("Referentie: Vul dit veld in."), with a button that moves
 * focus to the field; takes focus itself when it appears so keyboard and screen reader users land on
 * it after a failed submit. With `attempt` (a form's submit count) it takes focus on each try that
 * fails, also when the same errors come back, and not when they change between tries (the
 * language switched).
 */
export function ErrorSummary({
  errors,
  prefix,
  labels,
  attempt,
}: {
  errors: ErrorMap;
  prefix: string;
  labels?: Record<string, string>;
  attempt?: number;
}) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const signature = entries.map(([k, v]) => `${k}:${v}`).join('|');
  // Field names come from the rendered labels, so every form's summary names its fields without a
  // second list of names to keep in step.
  const [names, setNames] = useState<Record<string, string>>({});
  useLayoutEffect(() => {
    const found: Record<string, string> = {};
    for (const path of signature ? signature.split('|').map((e) => e.slice(0, e.indexOf(':'))) : []) {
      const name = path ? fieldName(fieldElement(prefix, path)) : null;
      if (name) found[path] = name;
    }
    setNames(found);
  }, [signature, prefix, i18n.language]);
  const shown = useRef(false);
  shown.current = signature !== '';
  const focusOn = attempt ?? signature;
  useEffect(() => {
    if (shown.current) ref.current?.focus();
  }, [focusOn]);
  if (entries.length === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby={`${prefix}-error-summary-title`}
    >
      <h3 id={`${prefix}-error-summary-title`}>{t('errors.summaryTitle')}</h3>
      <ul>
        {entries.map(([path, message]) => (
          <li key={path || '_'}>
            {path ? (
              <button
                type="button"
                className="link-button"
                onClick={() => fieldElement(prefix, path)?.focus()}
              >
                {(labels?.[path] ?? names[path]) ? `${labels?.[path] ?? names[path]}: ` : ''}
                {message}
              </button>
            ) : (
              message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Moves focus once React has rendered, e.g. to the "add" button after a row it held focus in is removed. */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}
