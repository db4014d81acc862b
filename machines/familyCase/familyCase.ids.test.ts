import { describe, expect, it } from 'vitest';
import type { FamilyEvent, NamedUser } from '../schemas/events.ts';
import { addDays } from './calendar.ts';
import { applyEvent, explainRefusal, type PersistedFamily } from './engine.ts';
import {
  DIR,
  VT,
  driveTo,
  ev,
  must,
  namedDirector,
  planFor,
  stabilityFor,
  handoverDecision,
} from './testing/testkit.ts';

// Issue 11 items 3 and 11: duplicate and contradictory ids, ids of another family, and handing a case
// to oneself are refused with 422 and the rule's name; the sentence names members by alias and
// conditions by description, never by internal id. Each rule is tested at its boundary: one more
// than allowed is refused, exactly what is allowed passes.

const internalId = /\b[a-z]\d+\b/;

function refused(s: PersistedFamily, e: FamilyEvent, guard: string) {
  const r = applyEvent(s, e);
  if (r.ok) throw new Error(`accepted, expected ${guard}`);
  expect(r.refusal).toMatchObject({ kind: 'guard', guard });
  expect(explainRefusal(s, e)).toEqual(r.refusal);
  expect(r.refusal.message.nl).not.toMatch(internalId);
  expect(r.refusal.message.en).not.toMatch(internalId);
  return r.refusal;
}

const planning = () => driveTo('directSafety.planning');
const plan = (s: PersistedFamily, t: string, payload: unknown) =>
  ev('plan.agreed', payload, { at: addDays(t, 1), actor: DIR });

describe('a safety plan names each member, child and condition once, and only this family’s', () => {
  it('refuses a participant twice; once passes', () => {
    const { s, t } = planning();
    const base = planFor(s);
    const adult = s.context.members[0]!;
    const twice = { ...base, participants: [{ memberId: adult.id }, { memberId: adult.id }] };
    const r = refused(s, plan(s, t, twice), 'memberNamedOnce');
    expect(r.message.nl).toContain(adult.alias);
    must(applyEvent(s, plan(s, t, { ...base, participants: [{ memberId: adult.id }] })));
  });

  it('refuses two perspectives for one child', () => {
    const { s, t } = planning();
    const base = planFor(s);
    const child = s.context.members.find((m) => m.kind === 'child')!;
    const two = [
      { memberId: child.id, perspective: 'Wil rust' },
      { memberId: child.id, perspective: 'Wil bij oma wonen' },
    ];
    expect(
      refused(s, plan(s, t, { ...base, childPerspectives: two }), 'childPerspectiveOnce').message.nl,
    ).toContain(child.alias);
  });

  it('refuses a perspective for an adult', () => {
    const { s, t } = planning();
    const base = planFor(s);
    const adult = s.context.members.find((m) => m.kind === 'adult')!;
    const withAdult = [...base.childPerspectives, { memberId: adult.id, perspective: 'Wil rust' }];
    refused(s, plan(s, t, { ...base, childPerspectives: withAdult }), 'perspectiveOnlyForChild');
  });

  it('refuses the same condition twice in one agreement; two agreements covering it pass', () => {
    const { s, t } = planning();
    const base = planFor(s);
    const c = s.context.conditions[0]!;
    const agreement = { description: 'Afspraak', responsible: 'Ouder A', coversConditionIds: [c.id, c.id] };
    const r = refused(s, plan(s, t, { ...base, agreements: [agreement] }), 'conditionCoveredOnce');
    expect(r.message.nl).toContain(`“${c.description}”`);
    const two = [0, 1].map((i) => ({
      description: `Afspraak ${i}`,
      responsible: 'Ouder A',
      coversConditionIds: [c.id],
    }));
    must(applyEvent(s, plan(s, t, { ...base, agreements: two })));
  });

  it('refuses a member or a condition of no one in this family', () => {
    const { s, t } = planning();
    const base = planFor(s);
    refused(
      s,
      plan(s, t, { ...base, participants: [...base.participants, { memberId: 'm99' }] }),
      'unknownMember',
    );
    const stranger = { description: 'Afspraak', responsible: 'X', coversConditionIds: ['c99'] };
    refused(s, plan(s, t, { ...base, agreements: [...base.agreements, stranger] }), 'unknownCondition');
  });

  it('names an uncovered condition by its description, not its id', () => {
    const { s, t } = planning();
    const base = planFor(s);
    const none = [{ description: 'Afspraak', responsible: 'Ouder A', coversConditionIds: [] }];
    const r = refused(s, plan(s, t, { ...base, agreements: none }), 'conditionsCovered');
    expect(r.message.nl).toBe(
      'Niet elke veiligheidsvoorwaarde is afgedekt door een afspraak: “Geen geweld in bijzijn kinderen”.',
    );
  });
});

describe('a monitoring check records one outcome per condition', () => {
  const check = (s: PersistedFamily, t: string, results: { conditionId: string; met: boolean }[]) =>
    ev('monitoring.checkRecorded', { results }, { at: addDays(t, 1) });

  it('refuses one condition both met and not met, and one named twice; once passes', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    const c = s.context.conditions[0]!.id;
    const both = refused(
      s,
      check(s, t, [
        { conditionId: c, met: true },
        { conditionId: c, met: false },
      ]),
      'conditionCheckedOnce',
    );
    expect(both.message.nl).toContain('zowel nagekomen als niet nagekomen');
    refused(
      s,
      check(s, t, [
        { conditionId: c, met: true },
        { conditionId: c, met: true },
      ]),
      'conditionCheckedOnce',
    );
    must(applyEvent(s, check(s, t, [{ conditionId: c, met: true }])));
  });
});

describe('the joint assessment of stable safety names each member once', () => {
  it('refuses a member twice; everyone once passes', () => {
    const { s, t } = driveTo('stableSafety');
    const at = addDays(t, 200);
    const base = stabilityFor(s);
    const twice = { ...base, participants: [...base.participants, base.participants[0]!] };
    const confirm = (payload: unknown) =>
      ev('stability.confirmed', payload, { at, actor: DIR, reason: 'Rustig' });
    refused(s, confirm(twice), 'memberNamedOnce');
    must(applyEvent(s, confirm(base)));
  });
});

describe('issue 11 item 11: nobody hands a case over to themselves', () => {
  // One person with both roles: they act as vt when they decide or offer, as director when they accept.
  const both: NamedUser = { id: 'u-both', roles: ['vt', 'director'] };
  const asVt = { id: both.id, role: 'vt' as const };

  it('refuses a handover decision naming the deciding worker; naming another director passes', () => {
    const { s, t } = driveTo('assessment');
    const decide = (directorId: string, named: NamedUser) =>
      ev(
        'assessment.completed',
        {
          decision: 'handover',
          acute: false,
          structural: true,
          directorId,
          conditions: [{ description: 'Geen geweld' }],
        },
        { at: addDays(t, 1), actor: asVt, reason: 'Overdracht', named },
      );
    refused(s, decide(both.id, both), 'notToOneself');
    must(applyEvent(s, decide(DIR.id, namedDirector(DIR.id))));
  });

  it('refuses an offer to oneself by a VT worker who is not the director', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    const offer = ev(
      'handover.offered',
      { directorId: both.id },
      { at: addDays(t, 1), actor: asVt, reason: 'Over', named: both },
    );
    refused(s, offer, 'notToOneself');
  });

  it('refuses accepting an offer one made oneself (one recorded before this rule)', () => {
    const { s, t } = driveTo('assessment');
    const offered = must(applyEvent(s, handoverDecision({ at: addDays(t, 1), actor: VT })));
    const last = offered.context.handovers.at(-1)!;
    const selfOffer: PersistedFamily = {
      ...offered,
      context: {
        ...offered.context,
        handovers: [...offered.context.handovers.slice(0, -1), { ...last, offeredBy: DIR.id }],
      },
    };
    const accept = ev('handover.accepted', {}, { at: addDays(t, 2), actor: DIR, reason: 'Akkoord' });
    refused(selfOffer, accept, 'notOwnOffer');
    must(applyEvent(offered, accept));
  });
});
