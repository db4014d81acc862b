import { describe, expect, it } from 'vitest';
import type { FamilyEvent } from '../schemas/events.ts';
import { addDays } from './calendar.ts';
import { familyContextV2Schema } from './contextV2.ts';
import { applyEvent, eventChoices, replayHistory, stateOf, type PersistedFamily } from './engine.ts';
import { DIR, VT, driveTo, ev, must, planFor } from './testing/testkit.ts';
import { ctxV2 } from './testing/testkitV2.ts';

// A v1 family in any state moves to v2 with `case.upgraded`: the migrated snapshot is valid under the
// v2 schema, keeps its state (an investigation goes on as `investigation.ongoing`), further events work
// under v2, and the mixed history (v1 events, the move, v2 events) replays to the same snapshot.

type Target = Parameters<typeof driveTo>[0];

/** The v1 history driveTo records, rebuilt by replaying it (driveTo keeps no list). */
function v1Family(target: Target, handover = true) {
  const { s, t } = driveTo(target, '2025-01-06T09:00:00.000Z', { handover });
  return { s, t };
}

const upgradeBy = (s: PersistedFamily) => (s.context.caseDirectorId === DIR.id ? DIR : VT);

/** One event that makes sense next in each state, under v2. */
function nextEvent(s: PersistedFamily, t: string): FamilyEvent {
  const phase = stateOf(s).phase;
  const by = upgradeBy(s);
  switch (phase) {
    case 'reported':
    case 'assessment':
      return ev('triage.recorded', { urgency: 'regular' }, { at: t });
    case 'investigation.ongoing':
      return ev('investigation.completed', { decision: 'close', acute: false, structural: false, conditions: [] }, { at: t, reason: 'Geen grond' });
    case 'directSafety.planning':
      return ev('plan.agreed', planFor(s), { at: t, actor: by });
    case 'directSafety.planAgreed':
      return ev('directSafety.achieved', {}, { at: t, actor: by, reason: 'Veilig' });
    case 'stableSafety':
      return ev('riskFactors.updated', { factors: [{ kind: 'housing', status: 'present' }] }, { at: t, actor: by });
    case 'recovery':
      return ev('trauma.screened', { memberId: s.context.members[0]!.id, outcome: 'referred', by: 'GGZ' }, { at: t, actor: by });
    default:
      return ev('report.received', { source: 'police', acute: false, summary: 'Nieuwe melding', members: [] }, { at: t });
  }
}

const cases: [string, () => { s: PersistedFamily; t: string }][] = [
  ['reported', () => v1Family('reported')],
  ['assessment', () => v1Family('assessment')],
  [
    'investigation',
    () => {
      const { s, t } = v1Family('assessment');
      const at = addDays(t, 1);
      return {
        s: must(applyEvent(s, ev('assessment.completed', { decision: 'investigate', acute: false, structural: true, conditions: [] }, { at, reason: 'Onderzoek' }))),
        t: at,
      };
    },
  ],
  ['directSafety.planning, handover pending', () => {
    const { s, t } = v1Family('assessment');
    const at = addDays(t, 1);
    return {
      s: must(applyEvent(s, ev('assessment.completed', { decision: 'handover', acute: false, structural: true, directorId: DIR.id, conditions: [{ description: 'Geen geweld' }] }, { at, reason: 'Overdracht', named: { id: DIR.id, roles: ['director'] } }))),
      t: at,
    };
  }],
  ['directSafety.planning, monitoring', () => v1Family('directSafety.planning')],
  ['directSafety.planAgreed, VT keeps the case', () => v1Family('directSafety.planAgreed', false)],
  ['stableSafety', () => v1Family('stableSafety')],
  ['recovery', () => v1Family('recovery')],
  ['closed', () => v1Family('closed')],
  ['escalated', () => {
    const { s, t } = v1Family('directSafety.planAgreed');
    return { s: must(applyEvent(s, ev('escalation.raised', { to: 'ZVH' }, { at: t, actor: DIR, reason: 'Vastgelopen' }))), t };
  }],
];

describe('a v1 family moves to v2 in every state', () => {
  it.each(cases)('%s', (_name, make) => {
    const { s: v1, t } = make();
    expect(v1.version).toBe(1);
    const at = addDays(t, 1);
    const upgrade = ev('case.upgraded', { toVersion: 2 }, { at, actor: upgradeBy(v1), reason: 'Nieuwe werkwijze' });
    const moved = must(applyEvent(v1, upgrade));
    expect(moved.version).toBe(2);
    const parsed = familyContextV2Schema.safeParse(moved.context);
    expect(parsed.success, parsed.error?.message).toBe(true);
    const before = stateOf(v1);
    expect(stateOf(moved)).toEqual({ ...before, phase: before.phase === 'investigation' ? 'investigation.ongoing' : before.phase });
    expect(ctxV2(moved).upgrade).toEqual({ from: 1, at });
    expect(moved.context.caseDirectorId).toBe(v1.context.caseDirectorId);
    expect(moved.context.members).toEqual(v1.context.members);
    expect(ctxV2(moved).counts.reports).toBe(v1.context.reports.length);
    // The move is recorded once.
    const again = applyEvent(moved, { ...upgrade, recordedAt: addDays(at, 1) });
    expect(!again.ok && again.refusal.guard).toBe('upgradePending');
    // It goes on under v2.
    const next = nextEvent(moved, addDays(at, 1));
    const continued = must(applyEvent(moved, next));
    expect(continued.version).toBe(2);
    expect(familyContextV2Schema.safeParse(continued.context).success).toBe(true);
  });

  it('replays a mixed history: v1 events under v1, the move and what follows under v2', () => {
    const t0 = '2025-01-06T09:00:00.000Z';
    const history: { event: FamilyEvent; machineVersion: number }[] = [];
    let s = driveTo('reported', t0).s;
    history.push({ event: ev('report.received', { source: 'police', acute: false, summary: 'Melding politie', violenceForms: ['partnergeweld'], members: [
      { alias: 'Ouder A', kind: 'adult', birthYear: 1985 },
      { alias: 'Ouder B', kind: 'adult', birthYear: 1987 },
      { alias: 'Kind C', kind: 'child', birthYear: 2015 },
    ] }, { at: t0 }), machineVersion: 1 });
    const steps: [FamilyEvent, number][] = [
      [ev('assessment.started', {}, { at: addDays(t0, 1) }), 1],
      [ev('case.upgraded', { toVersion: 2 }, { at: addDays(t0, 2), reason: 'Nieuwe werkwijze' }), 2],
      [ev('triage.recorded', { urgency: 'acute' }, { at: addDays(t0, 2) }), 2],
      [ev('assessment.completed', { decision: 'close', acute: false, structural: false, conditions: [] }, { at: addDays(t0, 3), reason: 'Geen grond' }), 2],
      [ev('household.informed', { channel: 'letter' }, { at: addDays(t0, 4) }), 2],
    ];
    for (const [event, version] of steps) {
      s = must(applyEvent(s, event));
      expect(s.version).toBe(version);
      history.push({ event, machineVersion: version });
    }
    const replayed = replayHistory(history);
    if (!replayed.ok) throw new Error(JSON.stringify(replayed.refusal));
    expect(JSON.stringify(replayed.snapshot)).toBe(JSON.stringify(s));
    expect(replayed.states.map((x) => x.version)).toEqual([1, 1, 2, 2, 2, 2]);
  });
});

describe('case.upgraded is offered on the family page of a v1 family', () => {
  it('to its director (and an administrator), not to others, and no longer once moved', () => {
    const { s: v1, t } = v1Family('directSafety.planAgreed');
    const offered = (actor: { id: string; role: 'vt' | 'director' | 'admin' | 'auditor' }) =>
      eventChoices(v1, { id: actor.id, roles: [actor.role] }, t).allowed.includes('case.upgraded');
    expect(offered(DIR)).toBe(true);
    expect(offered({ id: 'u-admin', role: 'admin' })).toBe(true);
    expect(offered(VT)).toBe(false);
    expect(offered({ id: 'u-auditor', role: 'auditor' })).toBe(false);
    // VT holds a family without a director: VT is offered it.
    const waiting = v1Family('reported').s;
    expect(eventChoices(waiting, { id: VT.id, roles: ['vt'] }, t).allowed).toContain('case.upgraded');
    const moved = must(applyEvent(v1, ev('case.upgraded', { toVersion: 2 }, { at: addDays(t, 1), actor: DIR, reason: 'Nieuwe werkwijze' })));
    expect(eventChoices(moved, { id: DIR.id, roles: ['director'] }, addDays(t, 1)).allowed).not.toContain('case.upgraded');
  });

  it('names each event once, in every state, for every reader and set of roles', () => {
    const readers = [
      { id: DIR.id, roles: ['director'] as const },
      { id: VT.id, roles: ['vt'] as const },
      { id: 'u-admin', roles: ['admin'] as const },
      { id: 'u-both', roles: ['vt', 'director'] as const },
    ];
    let offered = 0;
    for (const [name, build] of cases) {
      const { s, t } = build();
      for (const r of readers) {
        const { allowed, blocked } = eventChoices(s, { id: r.id, roles: r.roles }, t);
        expect(new Set(allowed).size, `${name}, ${r.roles.join('+')}: ${allowed.join(', ')}`).toBe(allowed.length);
        expect(new Set(blocked.map((b) => b.type)).size, `${name}, ${r.roles.join('+')}: blocked`).toBe(blocked.length);
        if (allowed.includes('case.upgraded')) offered++;
      }
    }
    // Not vacuous: the move is offered somewhere (VT on a family without a director, its director, an administrator).
    expect(offered).toBeGreaterThan(cases.length);
  });
});
