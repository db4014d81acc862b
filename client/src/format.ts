// Every instant is shown in Europe/Amsterdam in Dutch numeric format, whatever the browser's zone.
const ZONE = 'Europe/Amsterdam';

const partsFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function valid(d: Date): boolean {
  return !Number.isNaN(d.getTime());
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function amsterdamParts(ms: number): Parts {
  const p: Record<string, number> = {};
  for (const part of partsFmt.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return {
    year: p.year ?? 1970,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

const two = (n: number) => String(n).padStart(2, '0');

// Composed by hand: Intl's separators differ between ICU versions (browser vs Node).
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (!valid(d)) return iso;
  const p = amsterdamParts(d.getTime());
  return `${two(p.day)}-${two(p.month)}-${p.year} ${two(p.hour)}:${two(p.minute)}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (!valid(d)) return iso;
  const p = amsterdamParts(d.getTime());
  return `${two(p.day)}-${two(p.month)}-${p.year}`;
}

/** Minutes Amsterdam is ahead of UTC at the instant `ms`. */
function zoneOffsetMinutes(ms: number): number {
  const p = amsterdamParts(ms);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - (ms - (ms % 1000))) / 60_000);
}

/**
 * Reads the value of a datetime-local input as Amsterdam wall time and returns an ISO instant, or
 * the empty string when the input is empty or unreadable (the shared schema then reports it).
 */
export function amsterdamLocalToIso(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local.trim());
  if (!m) return '';
  const [, y, mo, d, h = '00', mi = '00'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  let utc = wall - zoneOffsetMinutes(wall) * 60_000;
  // Around a DST switch the first guess uses the wrong offset; one correction settles it.
  utc = wall - zoneOffsetMinutes(utc) * 60_000;
  const date = new Date(utc);
  return valid(date) ? date.toISOString() : '';
}

/** The value a datetime-local input needs to show `iso` as Amsterdam wall time. */
export function isoToAmsterdamLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const local = new Date(ms + zoneOffsetMinutes(ms) * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Whole days from `fromIso` to `toIso`, rounded down. */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.floor((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 86_400_000);
}
