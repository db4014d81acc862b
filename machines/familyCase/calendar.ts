// Calendar arithmetic in Europe/Amsterdam local time, with only `Intl` (no date library), so that
// "six calendar months", "ten days" and "five working days" mean what a Dutch professional means by
// them, across daylight-saving changes, and so the same history always yields the same dates.

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

export type HolidayOptions = {
  /** Goede Vrijdag is not a general day off in the Netherlands; some organisations close. */
  goodFriday: boolean;
  /** Bevrijdingsdag: a day off every year, or (as in many collective agreements) only every fifth year. */
  liberationDay: 'everyYear' | 'lustrum';
  /** Extra closing days (`YYYY-MM-DD`), e.g. a regional day off. */
  extra: readonly LocalDate[];
};

export const defaultHolidayOptions: HolidayOptions = {
  goodFriday: false,
  liberationDay: 'everyYear',
  extra: [],
};

const ZONE = 'Europe/Amsterdam';
const DAY_MS = 86_400_000;

export type LocalParts = { y: number; m: number; d: number; h: number; mi: number; s: number; ms: number };

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

// Intl formatting is the slow part of every date computation; instants repeat a lot (deadlines are
// recomputed from the same facts), so a bounded memo pays off without changing any result.
const partsMemo = new Map<number, LocalParts>();

/** The Amsterdam wall-clock parts of an instant (ms since the epoch). */
export function partsOf(ms: number): LocalParts {
  const hit = partsMemo.get(ms);
  if (hit) return hit;
  const offset = ms >= FAST_FROM && ms < FAST_UNTIL ? hourOffset(Math.floor(ms / HOUR_MS)) : null;
  const parts = offset === null ? computeParts(ms) : utcParts(ms + offset);
  if (partsMemo.size >= 10_000) partsMemo.clear();
  partsMemo.set(ms, parts);
  return parts;
}

// Instants that do repeat less (`now`, at every answer) need Intl only once per hour: the zone's
// offset is the same all through a UTC hour whose first and last millisecond have the same offset
// (a zone changes its offset at most once within an hour; Amsterdam's changes fall on whole UTC
// hours), and the local parts are then the UTC parts of the instant shifted by it — the very parts
// Intl gives, the offset being whole seconds. Outside 1970–2199, and in an hour with a change, Intl.
const HOUR_MS = 3_600_000;
const FAST_FROM = Date.UTC(1970, 0, 1);
const FAST_UNTIL = Date.UTC(2200, 0, 1);
const offsetMemo = new Map<number, number | null>();

function hourOffset(hour: number): number | null {
  let offset = offsetMemo.get(hour);
  if (offset === undefined) {
    const first = exactOffset(hour * HOUR_MS);
    offset = first === exactOffset((hour + 1) * HOUR_MS - 1) ? first : null;
    if (offsetMemo.size >= 10_000) offsetMemo.clear();
    offsetMemo.set(hour, offset);
  }
  return offset;
}

function exactOffset(ms: number): number {
  const p = computeParts(ms);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s, p.ms) - ms;
}

function utcParts(shifted: number): LocalParts {
  const t = new Date(shifted);
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    ms: t.getUTCMilliseconds(),
  };
}

function computeParts(ms: number): LocalParts {
  const p: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return {
    y: p.year!,
    m: p.month!,
    d: p.day!,
    h: p.hour!,
    mi: p.minute!,
    s: p.second!,
    ms: ((ms % 1000) + 1000) % 1000,
  };
}

/** Offset of Amsterdam from UTC at an instant, in ms (3600000 in winter, 7200000 in summer). */
function offsetAt(ms: number): number {
  const p = partsOf(ms);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s, p.ms) - ms;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function toLocalDate(y: number, m: number, d: number): LocalDate {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function splitDate(date: LocalDate): [number, number, number] {
  // `YYYY-MM-DD` (toLocalDate pads the year to four digits) read in place; any other width split.
  if (date.length === 10) return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const [y, m, d] = date.split('-').map(Number);
  return [y!, m!, d!];
}

/** The local (Amsterdam) calendar date of an instant. */
export function localDateOf(iso: string): LocalDate {
  const p = partsOf(Date.parse(iso));
  return toLocalDate(p.y, p.m, p.d);
}

/** Local wall-clock time converted back to an instant (UTC ISO). In the spring-forward gap the later offset wins. */
function instantOf(date: LocalDate, h: number, mi: number, s: number, ms: number): string {
  const [y, m, d] = splitDate(date);
  const wall = Date.UTC(y, m - 1, d, h, mi, s, ms);
  let guess = wall - offsetAt(wall);
  const corrected = wall - offsetAt(guess);
  if (corrected !== guess) guess = corrected;
  return new Date(guess).toISOString();
}

/** Midnight at the start of a local date, as an instant. */
export function startOfLocalDate(date: LocalDate): string {
  return instantOf(date, 0, 0, 0, 0);
}

export function addDaysToDate(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = splitDate(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return toLocalDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Calendar months with the day clamped to the month's end: 31 Aug + 6 = 28 Feb (29 in a leap year). */
export function addMonthsToDate(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = splitDate(date);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return toLocalDate(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole days from local date `a` to local date `b` (negative when b is earlier). */
export function daysBetweenDates(a: LocalDate, b: LocalDate): number {
  const [ay, am, ad] = splitDate(a);
  const [by, bm, bd] = splitDate(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / DAY_MS);
}

/** Shifts an instant by whole local days, keeping its wall-clock time (a day across a DST change is 23 or 25 h). */
export function addDays(iso: string, days: number): string {
  const p = partsOf(Date.parse(iso));
  return instantOf(addDaysToDate(toLocalDate(p.y, p.m, p.d), days), p.h, p.mi, p.s, p.ms);
}

/** Shifts an instant by calendar months (clamped to the month's end), keeping its wall-clock time. */
export function addMonths(iso: string, months: number): string {
  const p = partsOf(Date.parse(iso));
  return instantOf(addMonthsToDate(toLocalDate(p.y, p.m, p.d), months), p.h, p.mi, p.s, p.ms);
}

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  const [y, m, d] = splitDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toLocalDate(year, month, day);
}

/** Dutch public holidays of a year, date → name. */
export function dutchHolidays(
  year: number,
  options: HolidayOptions = defaultHolidayOptions,
): Map<LocalDate, string> {
  const easter = easterSunday(year);
  const days = new Map<LocalDate, string>();
  days.set(toLocalDate(year, 1, 1), 'Nieuwjaarsdag');
  if (options.goodFriday) days.set(addDaysToDate(easter, -2), 'Goede Vrijdag');
  days.set(easter, 'Eerste Paasdag');
  days.set(addDaysToDate(easter, 1), 'Tweede Paasdag');
  const kingsDay = toLocalDate(year, 4, 27);
  days.set(weekdayOf(kingsDay) === 0 ? toLocalDate(year, 4, 26) : kingsDay, 'Koningsdag');
  if (options.liberationDay === 'everyYear' || year % 5 === 0)
    days.set(toLocalDate(year, 5, 5), 'Bevrijdingsdag');
  days.set(addDaysToDate(easter, 39), 'Hemelvaartsdag');
  days.set(addDaysToDate(easter, 49), 'Eerste Pinksterdag');
  days.set(addDaysToDate(easter, 50), 'Tweede Pinksterdag');
  days.set(toLocalDate(year, 12, 25), 'Eerste Kerstdag');
  days.set(toLocalDate(year, 12, 26), 'Tweede Kerstdag');
  for (const extra of options.extra) {
    if (extra.startsWith(`${pad(year, 4)}-`)) days.set(extra, 'Extra vrije dag');
  }
  return days;
}

const holidayCache = new Map<string, Map<LocalDate, string>>();

function holidaysCached(year: number, options: HolidayOptions): Map<LocalDate, string> {
  const key = `${year}|${options.goodFriday}|${options.liberationDay}|${options.extra.join(',')}`;
  let days = holidayCache.get(key);
  if (!days) {
    days = dutchHolidays(year, options);
    if (holidayCache.size > 500) holidayCache.clear();
    holidayCache.set(key, days);
  }
  return days;
}

export function isWorkingDay(date: LocalDate, options: HolidayOptions = defaultHolidayOptions): boolean {
  const wd = weekdayOf(date);
  if (wd === 0 || wd === 6) return false;
  return !holidaysCached(splitDate(date)[0], options).has(date);
}

/**
 * The instant N working days after `iso`, at the same wall-clock time: a report on Friday 15:00 with
 * 5 working days is due the next Friday 15:00; one on Saturday counts from Monday (due Friday).
 */
export function addWorkingDays(
  iso: string,
  workingDays: number,
  options: HolidayOptions = defaultHolidayOptions,
): string {
  // Walking the calendar day by day is the slow part, and every transition and every family answer
  // derives the same few due dates again: answers are kept per options object (the norms hold theirs
  // for as long as they are in force) — a pure function of its arguments.
  let answers = workingDayAnswers.get(options);
  if (!answers) workingDayAnswers.set(options, (answers = new Map()));
  const key = `${iso}|${workingDays}`;
  let due = answers.get(key);
  if (due === undefined) {
    due = walkWorkingDays(iso, workingDays, options);
    if (answers.size >= 10_000) answers.clear();
    answers.set(key, due);
  }
  return due;
}

const workingDayAnswers = new WeakMap<HolidayOptions, Map<string, string>>();

function walkWorkingDays(iso: string, workingDays: number, options: HolidayOptions): string {
  const p = partsOf(Date.parse(iso));
  let date = toLocalDate(p.y, p.m, p.d);
  let counted = 0;
  while (counted < workingDays) {
    date = addDaysToDate(date, 1);
    if (isWorkingDay(date, options)) counted++;
  }
  return instantOf(date, p.h, p.mi, p.s, p.ms);
}

/**
 * Working days from one instant to a later one, counted by local date: the working days after the
 * first instant's date up to and including the second's (the same day is 0; an offer on Thursday
 * accepted on the Tuesday after Easter is 2: Good Friday counts unless the options close it, Easter
 * Monday does not). Negative spans count 0.
 */
export function workingDaysBetween(fromIso: string, toIso: string, options: HolidayOptions = defaultHolidayOptions): number {
  const end = localDateOf(toIso);
  let date = localDateOf(fromIso);
  let counted = 0;
  while (date < end) {
    date = addDaysToDate(date, 1);
    if (isWorkingDay(date, options)) counted++;
  }
  return counted;
}

// Deadlines are sorted by their normalised instants at every answer, from the same few dozen strings.
const utcMemo = new Map<string, string>();

/** Normalises any ISO instant (with offset) to UTC `…Z`, so stored instants compare as strings. */
export function utc(iso: string): string {
  let normal = utcMemo.get(iso);
  if (normal === undefined) {
    normal = new Date(Date.parse(iso)).toISOString();
    if (utcMemo.size >= 10_000) utcMemo.clear();
    utcMemo.set(iso, normal);
  }
  return normal;
}

export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

export function maxInstant(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
