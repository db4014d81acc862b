import type { Role } from '../../schemas/common.ts';
import type { FamilyEvent, NamedUser } from '../../schemas/events.ts';
import { addDays } from '../calendar.ts';
import { applyEvent, initialFamily, type PersistedFamily, type TransitionResult } from '../engine.ts';

// Helpers for tests: envelopes with sensible defaults and a tiny driver that fails loudly on refusals.

export const VT = { id: 'u-vt', role: 'vt' as const };
export const VT2 = { id: 'u-vt2', role: 'vt' as const };
export const DIR = { id: 'u-dir', role: 'director' as const };
export const DIR2 = { id: 'u-dir2', role: 'director' as const };
export const SYSTEM = { id: 'scheduler', role: 'system' as const };
export const AUDITOR = { id: 'u-aud', role: 'auditor' as const };
export const ADMIN = { id: 'u-adm', role: 'admin' as const };

export const namedDirector = (id: string): NamedUser => ({ id, roles: ['director'] });
export const namedVt = (id: string): NamedUser => ({ id, roles: ['vt'] });

type Actor = { id: string; role: Role | 'system' | 'member' };

export function ev(
  type: FamilyEvent['type'],
  payload: unknown,
  opts: { actor?: Actor; at: string; reason?: string; occurredAt?: string; named?: NamedUser },
): FamilyEvent {
  return {
    type,
    payload,
    actor: opts.actor ?? VT,
    recordedAt: opts.at,
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
    ...(opts.occurredAt ? { occurredAt: opts.occurredAt } : {}),
    ...(opts.named ? { named: opts.named } : {}),
  } as FamilyEvent;
}

/** VT's decision to hand the case over to `directorId` (default DIR), with one condition. */
export function handoverDecision(opts: {
  at: string;
  directorId?: string;
  actor?: Actor;
  condition?: string;
  reason?: string;
  named?: NamedUser;
}): FamilyEvent {
  const directorId = opts.directorId ?? DIR.id;
  return ev(
    'assessment.completed',
    {
      decision: 'handover',
      acute: false,
      structural: true,
      directorId,
      conditions: [{ description: opts.condition ?? 'Geen geweld' }],
    },
    {
      at: opts.at,
      actor: opts.actor,
      reason: opts.reason ?? 'Overdracht',
      named: opts.named ?? namedDirector(directorId),
    },
  );
}

export function must(result: TransitionResult): PersistedFamily {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.next;
}

export const reportPayload = (
  members = [
    { alias: 'Ouder A', kind: 'adult', birthYear: 1985 },
    { alias: 'Ouder B', kind: 'adult', birthYear: 1987 },
    { alias: 'Kind C', kind: 'child', birthYear: 2015 },
  ],
  acute = false,
) => ({ source: 'police', acute, summary: 'Melding politie', violenceForms: ['partnergeweld'], members });

export function planFor(s: PersistedFamily) {
  const ctx = s.context;
  return {
    agreements: [
      {
        description: 'Afspraak',
        responsible: 'Ouder A',
        coversConditionIds: ctx.conditions.filter((c) => c.status === 'open').map((c) => c.id),
      },
    ],
    participants: [
      ...ctx.members
        .filter((m) => m.kind === 'adult')
        .slice(0, 1)
        .map((m) => ({ memberId: m.id })),
      { professional: 'Wijkteam' },
    ],
    childPerspectives: ctx.members
      .filter((m) => m.kind === 'child')
      .map((m) => ({ memberId: m.id, perspective: 'Wil dat het thuis rustig is' })),
  };
}

export function stabilityFor(s: PersistedFamily) {
  return {
    riskFactorsResolved: true,
    participants: s.context.members.map((m) => ({ memberId: m.id })),
    professionals: ['Wijkteam'],
  };
}

/** A case driven to a phase with the happy path; `t0` is the report's recording time. */
export function driveTo(
  target:
    | 'reported'
    | 'assessment'
    | 'directSafety.planning'
    | 'directSafety.planAgreed'
    | 'stableSafety'
    | 'recovery'
    | 'closed',
  t0 = '2025-01-06T09:00:00.000Z',
  opts: { handover?: boolean } = {},
): { s: PersistedFamily; t: string } {
  let t = t0;
  let s = must(applyEvent(initialFamily(1), ev('report.received', reportPayload(), { at: t })));
  if (target === 'reported') return { s, t };
  t = addDays(t, 1);
  s = must(applyEvent(s, ev('assessment.started', {}, { at: t })));
  if (target === 'assessment') return { s, t };
  t = addDays(t, 1);
  const handover = opts.handover ?? true;
  s = must(
    applyEvent(
      s,
      ev(
        'assessment.completed',
        {
          decision: handover ? 'handover' : 'conditionsAndFollowUp',
          acute: false,
          structural: true,
          ...(handover ? { directorId: DIR.id } : {}),
          conditions: [{ description: 'Geen geweld in bijzijn kinderen', dueAt: addDays(t, 30) }],
        },
        { at: t, reason: 'Structurele onveiligheid', ...(handover ? { named: namedDirector(DIR.id) } : {}) },
      ),
    ),
  );
  const director = handover ? DIR : VT;
  if (handover) {
    t = addDays(t, 1);
    s = must(applyEvent(s, ev('handover.accepted', {}, { at: t, actor: DIR, reason: 'Akkoord' })));
  }
  if (target === 'directSafety.planning') return { s, t };
  t = addDays(t, 1);
  s = must(applyEvent(s, ev('plan.agreed', planFor(s), { at: t, actor: director })));
  if (target === 'directSafety.planAgreed') return { s, t };
  t = addDays(t, 14);
  s = must(
    applyEvent(s, ev('directSafety.achieved', {}, { at: t, actor: director, reason: 'Geweld gestopt' })),
  );
  if (target === 'stableSafety') return { s, t };
  t = addDays(t, 200);
  s = must(
    applyEvent(
      s,
      ev('stability.confirmed', stabilityFor(s), { at: t, actor: director, reason: 'Zes maanden rustig' }),
    ),
  );
  if (target === 'recovery') return { s, t };
  t = addDays(t, 100);
  s = must(
    applyEvent(s, ev('recovery.completed', {}, { at: t, actor: director, reason: 'Herstel afgerond' })),
  );
  return { s, t };
}
