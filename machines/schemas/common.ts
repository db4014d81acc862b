import { z } from 'zod';

/** An instant, always ISO 8601 with an offset (`Z` or `+01:00`); stored and compared as UTC. */
export const isoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof isoDateTime>;

/** The phases of a family's path, in the order a family passes them. */
export const phaseNames = [
  'reported',
  'assessment',
  'investigation',
  'directSafety',
  'stableSafety',
  'recovery',
  'closed',
] as const;
export const phaseNameSchema = z.enum(phaseNames);
export type PhaseName = z.infer<typeof phaseNameSchema>;

export const roleSchema = z.enum(['vt', 'director', 'auditor', 'admin']);
export type Role = z.infer<typeof roleSchema>;
/**
 * The role of a session: a user's role, or `member`, a household member signed in with a one-time
 * access code to their own family's view (issue 15). `member` is never a user's role.
 */
export type SessionRole = Role | 'member';

/**
 * Who sent an event. `system` is the scheduler turning a durable timer into an event; `member` (v2) a
 * household member answering the safety plan from the family's own view, its `id` the member's id in
 * the case (`m2`): a member is no user of the system, only of their own family.
 */
export const actorSchema = z.object({
  id: z.string().min(1).max(100),
  role: z.enum(['vt', 'director', 'auditor', 'admin', 'system', 'member']),
});
export type Actor = z.infer<typeof actorSchema>;
export type ActorRole = Actor['role'];

// ---------------------------------------------------------------- what a request may carry
// The schemas above are the machine's language: a stored history replays under them as it was
// recorded. What may *enter* is narrower (issue 11 items 2 and 9; API.md "Additions to v1"), and
// is checked where requests are parsed (contract/): `requestInstant`, `checkRequest`.

/**
 * The instants a request may carry: 1900-01-01 up to (not including) 2100-01-01, UTC. Outside them
 * an instant is a typing error or an attack: `9999-12-31T23:59:59-01:00` normalises to a six-digit
 * year (`+010000-…`) that sorts before `2026-…` as text; year 0 is outside what PostgreSQL's
 * timestamp functions take; neither has a meaning in a case history.
 */
export const EARLIEST_INSTANT = '1900-01-01T00:00:00.000Z';
export const LATEST_INSTANT = '2100-01-01T00:00:00.000Z';
const earliestMs = Date.parse(EARLIEST_INSTANT);
const latestMs = Date.parse(LATEST_INSTANT);
const INSTANT_MESSAGE =
  'Must lie between 1900-01-01 and 2100-01-01 (UTC) / moet tussen 1900-01-01 en 2100-01-01 (UTC) liggen';

export function instantInRange(value: string | Date): boolean {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isFinite(ms) && ms >= earliestMs && ms < latestMs;
}

/** An instant in a request (bodies and the `from`/`to` of queries). */
export const requestInstant = isoDateTime.refine(instantInRange, { message: INSTANT_MESSAGE });

/**
 * Characters that change how text is shown rather than what it says: C0/C1 controls (line breaks
 * and tabs excepted where text may span lines), bidirectional embeddings, overrides and isolates
 * (U+202E shows `SEC-\u202eTXT.EXE` as `SEC-EXE.TXT`), zero-width characters, the BOM, the soft
 * hyphen and the other invisible format characters (Unicode category Cf), and the Unicode line
 * and paragraph separators.
 */
const CONTROL_SINGLE_LINE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const CONTROL_MULTI_LINE = /[^\P{Cc}\n\r\t]|[\p{Cf}\u2028\u2029]/u;
const CONTROL_MESSAGE =
  'Contains a control, direction or invisible character / bevat een stuurteken, richtingsteken of onzichtbaar teken';

/** Fields that are one line on every screen (names, references), where even a line break is refused. */
const SINGLE_LINE_FIELDS = new Set(['reference', 'alias', 'professional', 'responsible', 'username', 'displayName', 'municipality']);

/** `true` when the text holds none of the characters above (line breaks allowed when `multiLine`). */
export function plainTextOk(value: string, multiLine = false): boolean {
  return !(multiLine ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value);
}

const BIRTH_YEAR_MESSAGE = 'A birth year cannot lie in the future / een geboortejaar kan niet in de toekomst liggen';
const PERIOD_MESSAGE = 'Must lie after startsAt / moet na startsAt liggen';

const looksLikeInstant = z.iso.datetime({ offset: true });

export type RequestIssue = { path: (string | number)[]; message: string };

/**
 * What a request body may not carry beyond its schema, found by walking it: text with control,
 * direction or invisible characters, and instants outside the bounds. One walk instead of a
 * refinement per field, so a field added to a payload later is covered without anyone remembering.
 */
export function requestIssues(value: unknown, path: (string | number)[] = [], out: RequestIssue[] = []): RequestIssue[] {
  if (out.length >= 50 || path.length > 32) return out;
  if (typeof value === 'string') {
    const key = path[path.length - 1];
    const field = typeof key === 'number' ? path[path.length - 2] : key;
    if (!plainTextOk(value, !(typeof field === 'string' && SINGLE_LINE_FIELDS.has(field))))
      out.push({ path, message: CONTROL_MESSAGE });
    else if (looksLikeInstant.safeParse(value).success && !instantInRange(value))
      out.push({ path, message: INSTANT_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => requestIssues(v, [...path, i], out));
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A member's birth year: the schema's minimum is fixed, the current year moves while the server runs.
    // An unborn member's is the expected year: a pregnancy reported in autumn may end next year.
    const latestYear = new Date().getUTCFullYear() + (o.kind === 'unborn' ? 1 : 0);
    if (typeof o.birthYear === 'number' && o.birthYear > latestYear)
      out.push({ path: [...path, 'birthYear'], message: BIRTH_YEAR_MESSAGE });
    // A period (a measure) ends after it starts.
    if (typeof o.startsAt === 'string' && typeof o.endsAt === 'string' && !(Date.parse(o.endsAt) > Date.parse(o.startsAt)))
      out.push({ path: [...path, 'endsAt'], message: PERIOD_MESSAGE });
    for (const [k, v] of Object.entries(o)) requestIssues(v, [...path, k], out);
  }
  return out;
}

/** `schema.superRefine(checkRequest)`: the walk above as zod issues. */
export function checkRequest(value: unknown, ctx: z.RefinementCtx): void {
  for (const issue of requestIssues(value)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

/** Short free text (descriptions, names of professionals). */
export const shortText = z.string().trim().min(1).max(500);
/** Longer free text (summaries, notes, motivations). */
export const longText = z.string().trim().min(1).max(4000);
/** Identifiers inside a case (members, conditions, measures, agreements). */
export const localId = z.string().min(1).max(64);
