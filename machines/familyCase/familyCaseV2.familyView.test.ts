import { describe, expect, it } from 'vitest';
import { applyEvent, initialFamily, replayHistory, type PersistedFamily } from './engine.ts';
import { planDisagreement } from './rules/familyView.ts';
import { DIR, DIR2, VT, ev, must, planFor, reportPayload } from './testing/testkit.ts';
import { V2Family, ctxV2 } from './testing/testkitV2.ts';
import type { FamilyEvent } from '../schemas/events.ts';

// Issue 15, the family's own view (DOMAIN.md "The family's own view"): the director gives a member a
// one-time code and revokes it, shields a member's data from others; a member answers the current plan.
// Each rule at its boundary, with its sentence; a v1 family is told to move to the new way of working.

const refusal = (s: PersistedFamily, event: FamilyEvent) => {
  const r = applyEvent(s, event);
  return r.ok ? null : r.refusal;
};

/** Ouder A (adult, m1), Ouder B (adult, m2), Kind C (child born 2015, m3), Kind D (born 2014, m4), baby (unborn, m5). */
const members = [
  { alias: 'Ouder A', kind: 'adult', birthYear: 1985 },
  { alias: 'Ouder B', kind: 'adult', birthYear: 1987 },
  { alias: 'Kind C', kind: 'child', birthYear: 2015 },
  { alias: 'Kind D', kind: 'child', birthYear: 2014 },
  { alias: 'Baby', kind: 'unborn', birthYear: 2026, expectedMonth: '2026-09' },
];
const planned = () => {
  const fam = new V2Family('2026-03-02T08:00:00.000Z', reportPayload(members)).handedOver();
  const plan = planFor(fam.s);
  return fam.at(1, 'plan.agreed', {
    ...plan,
    childPerspectives: [
      { memberId: 'm3', perspective: 'Wil bij mama blijven' },
      { memberId: 'm4', perspective: 'Wil voetballen', visibleToFamily: false },
    ],
  }, { actor: DIR });
};
const grant = (fam: V2Family, memberId: string, actor: { id: string; role: 'vt' | 'director' } = DIR) =>
  ev('member-access.granted', { memberId, expiresAt: '2026-12-31T00:00:00.000Z' }, { at: fam.t, actor });
const member = (id: string) => ({ id, role: 'member' as const });

describe('member-access.granted: a code for an adult or a child of 12 or older, from the director', () => {
  it('records the access with its expiry, never a code', () => {
    const fam = planned().send(grant(planned(), 'm1'));
    const access = ctxV2(fam.s).familyView?.access;
    expect(access).toEqual([
      { memberId: 'm1', grantedAt: fam.t, expiresAt: '2026-12-31T00:00:00.000Z', by: DIR.id, revokedAt: null },
    ]);
    expect(JSON.stringify(fam.s)).not.toMatch(/code/i);
  });

  it('a child counts as 12 from 1 January of the year it turns 12; younger, unborn and unknown members are refused', () => {
    const fam = planned(); // 2026: Kind D (2014) turns 12, Kind C (2015) is 11
    expect(refusal(fam.s, grant(fam, 'm4'))).toBeNull();
    const young = refusal(fam.s, grant(fam, 'm3'))!;
    expect(young.guard).toBe('accessForAdultOrChildOf12');
    expect(young.message.nl).toBe('Een code is voor een volwassene of een kind van 12 jaar of ouder; Kind C is jonger (geboren in 2015).');
    expect(young.message.en).toContain('Kind C is younger (born in 2015)');
    expect(refusal(fam.s, grant(fam, 'm5'))?.message.nl).toBe('Baby is nog niet geboren en krijgt geen code.');
    expect(refusal(fam.s, grant(fam, 'm99'))?.guard).toBe('unknownMember');
    // On 1 January 2027 Kind C turns 12 this year.
    const newYear = ev('member-access.granted', { memberId: 'm3', expiresAt: '2027-01-20T00:00:00.000Z' }, { at: '2027-01-01T08:00:00.000Z', actor: DIR });
    expect(refusal(fam.s, newYear)).toBeNull();
  });

  it('only the family’s director gives access: not VT, not another director, not while the family has none', () => {
    const fam = planned();
    expect(refusal(fam.s, grant(fam, 'm1', VT))).toMatchObject({ kind: 'forbidden', guard: 'familyDirectorActs' });
    const other = refusal(fam.s, grant(fam, 'm1', DIR2))!;
    expect(other.message.nl).toBe('Alleen de casusregisseur van dit gezin mag een gezinslid toegang geven.');
    const waiting = new V2Family('2026-03-02T08:00:00.000Z');
    expect(refusal(waiting.s, grant(waiting, 'm1', VT))?.message.nl).toBe(
      'Dit gezin heeft (nu) geen casusregisseur; alleen die mag een gezinslid toegang geven.',
    );
    expect(refusal(fam.s, ev('member-access.granted', { memberId: 'm1', expiresAt: fam.t }, { at: fam.t, actor: DIR }))?.guard).toBe(
      'accessExpiresLater',
    );
  });

  it('a new code replaces the member’s earlier access; revoking ends it, and a second revocation is refused', () => {
    const fam = planned().send(grant(planned(), 'm1'));
    fam.at(1, 'member-access.granted', { memberId: 'm1', expiresAt: '2027-01-31T00:00:00.000Z' }, { actor: DIR });
    expect(ctxV2(fam.s).familyView?.access).toHaveLength(1);
    fam.at(1, 'member-access.revoked', { memberId: 'm1' }, { actor: DIR });
    expect(ctxV2(fam.s).familyView?.access[0]?.revokedAt).toBe(fam.t);
    const again = refusal(fam.s, ev('member-access.revoked', { memberId: 'm1' }, { at: fam.t, actor: DIR }))!;
    expect(again).toMatchObject({ guard: 'accessToRevoke' });
    expect(again.message.nl).toBe('Ouder A heeft geen toegang die kan worden ingetrokken.');
  });

  it('closing the case ends every member’s access', () => {
    const fam = planned().send(grant(planned(), 'm1'));
    fam.at(1, 'case.closed', { reasonCode: 'movedAway' }, { actor: DIR, reason: 'Verhuisd' });
    expect(ctxV2(fam.s).familyView?.access[0]?.revokedAt).toBe(fam.t);
    expect(refusal(fam.s, ev('plan.responded', { planVersion: 1, response: 'agree' }, { at: fam.t, actor: member('m1') }))?.kind).toBe('state');
  });
});

describe('plan.responded: a member with access answers the current plan version', () => {
  const withAccess = () => {
    const fam = planned();
    return fam.send(grant(fam, 'm1'));
  };

  it('records the answer; a disagreement is a signal that never blocks the plan', () => {
    const fam = withAccess().at(0, 'plan.responded', { planVersion: 1, response: 'disagree', comment: 'Te snel' }, { actor: member('m1') });
    expect(ctxV2(fam.s).familyView?.responses).toEqual([
      { memberId: 'm1', planVersion: 1, response: 'disagree', comment: 'Te snel', at: fam.t },
    ]);
    expect(planDisagreement(ctxV2(fam.s))).toBe(true);
    fam.at(14, 'directSafety.achieved', {}, { actor: DIR, reason: 'Geweld gestopt' });
    expect(fam.s.value.phase).toBe('stableSafety');
    // Agreeing later replaces the answer; a revised plan asks again.
    fam.at(0, 'plan.responded', { planVersion: 1, response: 'agree' }, { actor: member('m1') });
    expect(planDisagreement(ctxV2(fam.s))).toBe(false);
  });

  it('names the current version: an older or unknown one is refused with a sentence', () => {
    const fam = withAccess().at(1, 'plan.revised', planFor(withAccess().s), { actor: DIR });
    const old = refusal(fam.s, ev('plan.responded', { planVersion: 1, response: 'agree' }, { at: fam.t, actor: member('m1') }))!;
    expect(old.guard).toBe('planVersionCurrent');
    expect(old.message.nl).toBe('Versie 1 van het plan is vervangen door versie 2: antwoord op de huidige versie.');
    expect(refusal(fam.s, ev('plan.responded', { planVersion: 3, response: 'agree' }, { at: fam.t, actor: member('m1') }))?.message.en).toBe(
      'The plan has no version 3; the current version is 2.',
    );
  });

  it('only a member with access answers, and a member sends nothing else', () => {
    const fam = withAccess();
    const answer = (actor: { id: string; role: 'member' | 'director' | 'vt' }) =>
      refusal(fam.s, ev('plan.responded', { planVersion: 1, response: 'agree' }, { at: fam.t, actor }));
    expect(answer(member('m2'))).toMatchObject({ kind: 'forbidden', guard: 'memberHasAccess' });
    expect(answer(DIR)).toMatchObject({ kind: 'forbidden', guard: 'roleMaySend' });
    expect(answer(VT)?.message.nl).toBe('Op het veiligheidsplan antwoorden is niet toegestaan voor een Veilig Thuis-medewerker.');
    const incident = ev('incident.reported', { occurredAt: fam.t, severity: 'minor', description: 'Ruzie' }, { at: fam.t, actor: member('m1') });
    expect(refusal(fam.s, incident)).toMatchObject({ kind: 'forbidden', guard: 'roleMaySend' });
    expect(refusal(fam.s, ev('member.shielded', { memberId: 'm2', from: ['m1'] }, { at: fam.t, actor: member('m1') }))?.guard).toBe('roleMaySend');
  });

  it('before a plan exists there is nothing to answer', () => {
    const fam = new V2Family('2026-03-02T08:00:00.000Z').handedOver();
    fam.send(grant(fam, 'm1'));
    expect(refusal(fam.s, ev('plan.responded', { planVersion: 1, response: 'agree' }, { at: fam.t, actor: member('m1') }))).toMatchObject({
      kind: 'state',
      guard: 'planToAnswer',
    });
  });
});

describe('member.shielded: one member’s data hidden from others', () => {
  it('sets, replaces and lifts a shield; not from oneself, not for unknown members', () => {
    const fam = planned().at(0, 'member.shielded', { memberId: 'm2', from: ['m1', 'm1'] }, { actor: DIR });
    expect(ctxV2(fam.s).familyView?.shields).toEqual([{ memberId: 'm2', from: ['m1'] }]);
    fam.at(0, 'member.shielded', { memberId: 'm2', from: ['m1', 'm4'] }, { actor: DIR });
    expect(ctxV2(fam.s).familyView?.shields).toEqual([{ memberId: 'm2', from: ['m1', 'm4'] }]);
    fam.at(0, 'member.shielded', { memberId: 'm2', from: [] }, { actor: DIR });
    expect(ctxV2(fam.s).familyView?.shields).toEqual([]);
    expect(refusal(fam.s, ev('member.shielded', { memberId: 'm2', from: ['m2'] }, { at: fam.t, actor: DIR }))?.message.nl).toBe(
      'Ouder B kan niet voor zichzelf worden afgeschermd.',
    );
    expect(refusal(fam.s, ev('member.shielded', { memberId: 'm2', from: ['m42'] }, { at: fam.t, actor: DIR }))?.guard).toBe('unknownMember');
    expect(refusal(fam.s, ev('member.shielded', { memberId: 'm2', from: ['m1'] }, { at: fam.t, actor: DIR2 }))?.guard).toBe('familyDirectorActs');
  });
});

describe('visibleToFamily and the versions', () => {
  it('is kept where the director says false, and absent otherwise (histories recorded before replay unchanged)', () => {
    const fam = new V2Family('2026-03-02T08:00:00.000Z').at(1, 'assessment.started', {});
    fam.at(1, 'assessment.completed', {
      decision: 'conditionsAndFollowUp',
      acute: false,
      structural: true,
      conditions: [{ description: 'Zichtbaar' }, { description: 'Verborgen', visibleToFamily: false }, { description: 'Expliciet', visibleToFamily: true }],
    }, { reason: 'Voorwaarden' });
    expect(fam.s.context.conditions.map((c) => ('visibleToFamily' in c ? c.visibleToFamily : 'absent'))).toEqual(['absent', false, 'absent']);
    const replayed = replayHistory(fam.history.map((event) => ({ event, machineVersion: 2 })));
    expect(replayed.ok && replayed.snapshot).toEqual(fam.s);
  });

  it('a v1 family does not know the family’s own view: it must move to the new way of working first', () => {
    const v1 = must(applyEvent(initialFamily(1), ev('report.received', reportPayload(), { at: '2026-03-02T08:00:00.000Z' })));
    const r = refusal(v1, ev('member-access.granted', { memberId: 'm1', expiresAt: '2026-04-01T00:00:00.000Z' }, { at: '2026-03-03T08:00:00.000Z', actor: VT }))!;
    expect(r).toMatchObject({ kind: 'state', guard: 'upgradeRequired' });
    expect(r.message.nl).toBe(
      'Een gezinslid toegang geven kan alleen in de nieuwe werkwijze: zet de zaak eerst over naar de nieuwe werkwijze.',
    );
  });
});
