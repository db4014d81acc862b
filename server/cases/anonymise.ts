import { REVIEW_FORMAT, type AnonymisedReview } from '../../contract/index.ts';
import type { EventRecord } from '../engine/records.ts';

// The anonymised learning review of one history (issue 13): for case reflection in the regional
// network, nothing that could identify the family. Aliases become `Kind 1` / `Ouder 1`, users their
// role and a number, instants a day count from the report, free texts their kind and length; ids,
// the reference and the municipality are left out (the region stays).

const DAY = 86_400_000;
const isoInstant = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Codes (types, kinds, enum values, local ids such as `m1`) are kept; anything else is text. */
const code = /^[A-Za-z][A-Za-z0-9.+_-]{0,40}$/;
const userKey = /^(id|by)$|(Id|By)$/;
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Members whose strings are always free text, even a single word (`notes: "Goed"`). */
const textKeys = new Set([
  'alias',
  'reason',
  'notes',
  'description',
  'summary',
  'perspective',
  'responsible',
  'professional',
  'professionals',
  'absentReason',
  'violenceForms',
  'comment',
  'comments',
]);
const roleWords: Record<string, string> = { vt: 'VT-medewerker', director: 'Regisseur', auditor: 'Auditor', admin: 'Beheerder' };
const memberWords: Record<string, string> = { child: 'Kind', adult: 'Ouder' };

export function anonymiseHistory(region: string, events: readonly EventRecord[], roleOf: (userId: string) => string | undefined): AnonymisedReview {
  const first = events[0];
  const received = (first?.payload as { receivedAt?: unknown } | undefined)?.receivedAt;
  const origin = Date.parse(typeof received === 'string' ? received : (first?.recordedAt ?? new Date(0).toISOString()));
  const day = (iso: string) => Math.floor((Date.parse(iso) - origin) / DAY);

  const userLabels = new Map<string, string>();
  const perRole = new Map<string, number>();
  const userLabel = (id: string, role?: string): string => {
    let label = userLabels.get(id);
    if (!label) {
      const r = role ?? roleOf(id) ?? 'user';
      const n = (perRole.get(r) ?? 0) + 1;
      perRole.set(r, n);
      label = `${roleWords[r] ?? 'Gebruiker'} ${n}`;
      userLabels.set(id, label);
    }
    return label;
  };
  const aliases = new Map<string, string>();
  const perKind = new Map<string, number>();
  const aliasOf = (alias: string, kind: string): string => {
    let label = aliases.get(alias);
    if (!label) {
      const n = (perKind.get(kind) ?? 0) + 1;
      perKind.set(kind, n);
      label = `${memberWords[kind] ?? 'Lid'} ${n}`;
      aliases.set(alias, label);
    }
    return label;
  };
  const text = (s: string) => ({ kind: 'text' as const, length: s.length });

  const walk = (value: unknown, key: string | null): unknown => {
    if (typeof value === 'string') {
      if (isoInstant.test(value)) return { day: day(value) };
      if (roleOf(value) !== undefined && (uuid.test(value) || (key !== null && userKey.test(key)))) return userLabel(value);
      if (uuid.test(value)) return text(value);
      if (code.test(value) && !(key !== null && textKeys.has(key))) return value;
      return text(value);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === 'alias' && typeof v === 'string') out[k] = aliasOf(v, typeof o.kind === 'string' ? o.kind : '');
        else if (k === 'birthYear' && typeof v === 'number') out.ageAtReport = new Date(origin).getUTCFullYear() - v;
        else out[k] = walk(v, k);
      }
      return out;
    }
    return value;
  };

  return {
    format: REVIEW_FORMAT,
    region,
    events: events.map((e) => ({
      seq: e.seq,
      day: day(e.recordedAt),
      type: e.type,
      actor: roleOf(e.actor.id) !== undefined ? { role: e.actor.role, label: userLabel(e.actor.id, e.actor.role) } : { role: e.actor.role },
      reason: e.reason === null ? null : text(e.reason),
      payload: walk({ ...(e.payload as object), ...(e.occurredAt ? { occurredAt: e.occurredAt } : {}), ...(e.named ? { namedId: e.named.id } : {}) }, null),
      stateAfter: e.stateAfter,
    })),
  };
}
