import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { applyEvent, blockedEvents, allowedEvents, stateOf, type PersistedFamily } from './engine.ts';
import { defaultNorms, normsSchema } from './norms.ts';
import { dueTimers } from './timers.ts';
import { DIR, DIR2, SYSTEM, VT, ev, reportPayload } from './testing/testkit.ts';
import { V2Family, ctxV2 } from './testing/testkitV2.ts';
import type { FamilyEvent } from '../schemas/events.ts';

// familyCase@2: the boundaries of each new rule and durable timer. Dates are Amsterdam working days:
// Easter Monday 6 April 2026, King's Day 27 April 2026, Liberation Day 5 May (every year by default).

const due = (s: PersistedFamily, kind: string) => dueTimers(s).filter((d) => d.kind === kind).map((d) => d.dueAt);
const refusal = (s: PersistedFamily, event: FamilyEvent) => {
  const r = applyEvent(s, event);
  return r.ok ? null : r.refusal;
};

describe('the waiting list: interim contact every 5 working days', () => {
  const f = () => new V2Family('2026-04-02T07:00:00.000Z'); // Thursday before Easter

  it('is due 5 working days after the report, skipping Easter Monday', () => {
    expect(due(f().s, 'interimContact')).toEqual(['2026-04-10T07:00:00.000Z']);
  });

  it('restarts from the latest interim contact, and stops when the assessment starts', () => {
    const fam = f().send(ev('contact.interim', { with: 'reporter' }, { at: '2026-04-09T07:00:00.000Z' }));
    expect(due(fam.s, 'interimContact')).toEqual(['2026-04-16T07:00:00.000Z']);
    fam.at(1, 'assessment.started', {});
    expect(due(fam.s, 'interimContact')).toEqual([]);
  });

  it('once missed, is due again 5 working days after the missed date', () => {
    const fam = f();
    const [timer] = dueTimers(fam.s).filter((d) => d.kind === 'interimContact');
    fam.send(ev('deadline.missed', timer!.event.payload, { at: timer!.dueAt, actor: SYSTEM }));
    expect(due(fam.s, 'interimContact')).toEqual(['2026-04-17T07:00:00.000Z']);
  });

  it('is a norm: 3 working days when the region says so', () => {
    const norms = normsSchema.parse({ interimContactWorkingDays: 3 });
    expect(dueTimers(f().s, norms).find((d) => d.kind === 'interimContact')?.dueAt).toBe('2026-04-08T07:00:00.000Z');
    expect(defaultNorms.firstPlanWeeks).toBe(6);
  });

  it('records the urgency in reported and in assessment, not later', () => {
    const fam = f().at(0, 'triage.recorded', { urgency: 'acute', instrument: 'lirik' });
    expect(ctxV2(fam.s).triage?.urgency).toBe('acute');
    fam.handedOver();
    expect(refusal(fam.s, ev('triage.recorded', { urgency: 'high' }, { at: fam.t }))?.kind).toBe('state');
  });
});

describe('investigation: decided, then started; the 10-week term runs from the decision', () => {
  const decided = () =>
    new V2Family('2026-03-02T08:00:00.000Z')
      .at(1, 'assessment.started', {})
      .at(1, 'assessment.completed', { decision: 'investigate', acute: false, structural: true, conditions: [] }, { reason: 'Onderzoek' });

  it('waits until started; completing before the start is refused with a sentence', () => {
    const fam = decided();
    expect(stateOf(fam.s).phase).toBe('investigation.waiting');
    const completion = ev(
      'investigation.completed',
      { decision: 'close', acute: false, structural: false, conditions: [] },
      { at: addDays(fam.t, 1), reason: 'Geen zorgen' },
    );
    expect(refusal(fam.s, completion)?.guard).toBe('investigationStarted');
    expect(blockedEvents(fam.s, { id: VT.id, roles: ['vt'] }, fam.t).map((b) => b.guard)).toContain('investigationStarted');
    const investigationDue = due(fam.s, 'investigation');
    fam.at(3, 'investigation.started', {});
    expect(stateOf(fam.s).phase).toBe('investigation.ongoing');
    expect(due(fam.s, 'investigation')).toEqual(investigationDue);
    expect(refusal(fam.s, { ...completion, recordedAt: addDays(fam.t, 1) })).toBeNull();
  });
});

describe('feedback to the reporter and the household within 5 working days', () => {
  it('is due after the assessment, skipping King’s Day; anonymous reports need no reporter feedback', () => {
    const named = new V2Family('2026-04-21T07:00:00.000Z').at(1, 'assessment.started', {});
    named.send(ev('assessment.completed', { decision: 'close', acute: false, structural: false, conditions: [] }, { at: '2026-04-23T07:00:00.000Z', reason: 'Geen zorgen' }));
    expect(due(named.s, 'reporterFeedback')).toEqual(['2026-05-01T07:00:00.000Z']);
    expect(due(named.s, 'householdFeedback')).toEqual(['2026-05-01T07:00:00.000Z']);
    named.at(1, 'reporter.informed', { channel: 'phone' });
    expect(due(named.s, 'reporterFeedback')).toEqual([]);
    expect(refusal(named.s, ev('reporter.informed', { channel: 'letter' }, { at: named.t }))?.guard).toBe('reporterFeedbackOwed');
    named.at(0, 'household.informed', { channel: 'in-person' });
    expect(dueTimers(named.s).filter((d) => d.kind.endsWith('Feedback'))).toEqual([]);

    const anonymous = new V2Family('2026-04-21T07:00:00.000Z', { ...reportPayload(), source: 'anonymous' })
      .at(1, 'assessment.started', {})
      .at(1, 'assessment.completed', { decision: 'close', acute: false, structural: false, conditions: [] }, { reason: 'Geen zorgen' });
    expect(due(anonymous.s, 'reporterFeedback')).toEqual([]);
    expect(due(anonymous.s, 'householdFeedback')).toHaveLength(1);
  });
});

describe('a handover is not done until the family has help', () => {
  const accepted = () =>
    new V2Family('2026-04-27T07:00:00.000Z').at(1, 'assessment.started', {}).at(1, 'assessment.completed', {
      decision: 'handover', acute: false, structural: true, directorId: DIR.id, conditions: [{ description: 'Geen geweld' }],
    }, { reason: 'Overdracht', named: { id: DIR.id, roles: ['director'] } })
      .send(ev('handover.accepted', {}, { at: '2026-04-30T07:00:00.000Z', actor: DIR, reason: 'Akkoord' }));

  it('first contact within 5 working days (skipping Liberation Day), the first plan within 6 weeks', () => {
    const fam = accepted();
    expect(due(fam.s, 'firstContact')).toEqual(['2026-05-08T07:00:00.000Z']);
    expect(due(fam.s, 'firstPlan')).toEqual(['2026-06-11T07:00:00.000Z']);
  });

  it('first contact: by the new director, naming this family’s members, once', () => {
    const fam = accepted();
    const m = ctxV2(fam.s).members[0]!.id;
    expect(refusal(fam.s, ev('contact.first', { with: [m], warm: true }, { at: fam.t, actor: DIR2 }))?.kind).toBe('forbidden');
    expect(refusal(fam.s, ev('contact.first', { with: ['m99'], warm: true }, { at: fam.t, actor: DIR }))?.guard).toBe('unknownMember');
    expect(refusal(fam.s, ev('contact.first', { with: [m, m], warm: true }, { at: fam.t, actor: DIR }))?.guard).toBe('memberNamedOnce');
    fam.at(1, 'contact.first', { with: [m], warm: false }, { actor: DIR });
    expect(due(fam.s, 'firstContact')).toEqual([]);
    expect(refusal(fam.s, ev('contact.first', { with: [m], warm: true }, { at: fam.t, actor: DIR }))?.guard).toBe('firstContactOwed');
  });

  it('the first plan meets its deadline on the last day; a missed one is a deadline.missed of its kind', () => {
    const onTime = accepted();
    onTime.send(ev('plan.agreed', planOf(onTime.s), { at: '2026-06-11T07:00:00.000Z', actor: DIR }));
    expect(due(onTime.s, 'firstPlan')).toEqual([]);
    const late = accepted();
    const timer = dueTimers(late.s).find((d) => d.kind === 'firstPlan')!;
    expect(timer.event).toEqual({ type: 'deadline.missed', payload: { kind: 'firstPlan', ref: timer.ref, dueAt: '2026-06-11T07:00:00.000Z' } });
    late.send(ev('deadline.missed', timer.event.payload, { at: timer.dueAt, actor: SYSTEM }));
    expect(due(late.s, 'firstPlan')).toEqual([]);
    expect(ctxV2(late.s).signals.missed.map((x) => x.kind)).toContain('firstPlan');
  });
});

function planOf(s: PersistedFamily) {
  const ctx = ctxV2(s);
  return {
    agreements: [{ description: 'Afspraak', responsible: 'Ouder A', coversConditionIds: ctx.conditions.filter((c) => c.status === 'open').map((c) => c.id) }],
    participants: [{ memberId: ctx.members[0]!.id }],
    childPerspectives: ctx.members.filter((m) => m.kind === 'child').map((m) => ({ memberId: m.id, perspective: 'Rust' })),
  };
}

describe('case conferences', () => {
  const conference = (kind: string, at: string, extra: object = {}) =>
    ev('conference.held', {
      kind, heldAt: at,
      participants: [{ professional: 'Wijkagent', organisation: 'Politie', mandate: true }],
      agreements: [{ description: 'Huisbezoek', responsible: 'Wijkteam', dueAt: addDays(at, 10) }],
      ...extra,
    }, { at, actor: DIR });

  it('each agreement’s dueAt and the next conference are timers; a later conference replaces them', () => {
    const fam = new V2Family().handedOver();
    fam.send(conference('actieOverleg', fam.t, { nextAt: addDays(fam.t, 28) }));
    expect(due(fam.s, 'conferenceAgreement')).toEqual([addDays(fam.t, 10)]);
    expect(due(fam.s, 'nextConference')).toEqual([addDays(fam.t, 28)]);
    fam.send(conference('netwerkberaad', addDays(fam.t, 20)));
    expect(due(fam.s, 'conferenceAgreement')).toEqual([addDays(fam.t, 10)]);
    expect(due(fam.s, 'nextConference')).toEqual([]);
    expect(ctxV2(fam.s).counts.conferences).toBe(2);
  });

  it('an MDA++ escalation is resolved by an MDA++ conference, not by another kind', () => {
    const fam = new V2Family().handedOver();
    fam.at(1, 'escalation.raised', { to: 'MDA++', obstacles: ['noCapacity', 'waitingList'] }, { actor: DIR, reason: 'Stagnatie' });
    fam.send(conference('actieOverleg', addDays(fam.t, 1)));
    expect(stateOf(fam.s).escalation).toBe('escalated');
    fam.send(conference('mdaPlusPlus', addDays(fam.t, 1)));
    expect(stateOf(fam.s).escalation).toBe('none');
    expect(ctxV2(fam.s).counts.obstacles).toEqual({ noCapacity: 1, waitingList: 1 });
  });

  it('is recorded after it was held, with its dates after it', () => {
    const fam = new V2Family().handedOver();
    expect(refusal(fam.s, { ...conference('triage', addDays(fam.t, 1)), recordedAt: fam.t })?.guard).toBe('conferenceNotInFuture');
    expect(refusal(fam.s, conference('triage', fam.t, { nextAt: addDays(fam.t, -1) }))?.guard).toBe('conferenceDatesAfter');
  });
});

describe('stable safety (v2): every risk factor reduced or resolved, six months, every member', () => {
  it('refuses while a recorded risk factor is present, naming it; then passes on the six-month boundary', () => {
    const fam = new V2Family('2026-01-05T08:00:00.000Z').handedOver({ riskFactors: true }).stable();
    const members = ctxV2(fam.s).members.map((m) => ({ memberId: m.id }));
    const since = '2026-01-05T08:00:00.000Z';
    const confirm = (at: string) => ev('stability.confirmed', { participants: members, professionals: [] }, { at, actor: DIR, reason: 'Stabiel' });
    const r = refusal(fam.s, confirm('2026-07-06T08:00:00.000Z'));
    expect(r?.guard).toBe('riskFactorsReduced');
    expect(r?.message.nl).toContain('schulden en huisvesting');
    expect(blockedEvents(fam.s, { id: DIR.id, roles: ['director'] }, fam.t).map((b) => b.guard)).toContain('riskFactorsReduced');
    fam.at(1, 'riskFactors.updated', { factors: [{ kind: 'debts', status: 'resolved' }, { kind: 'housing', status: 'reduced' }] }, { actor: DIR });
    expect(refusal(fam.s, confirm('2026-07-04T08:00:00.000Z'))?.guard).toBe('sixMonthsIncidentFree');
    expect(refusal(fam.s, confirm('2026-07-05T08:00:00.000Z'))).toBeNull();
    expect(since).toBe('2026-01-05T08:00:00.000Z');
    expect(refusal(fam.s, ev('stability.confirmed', { participants: members.slice(1), professionals: [] }, { at: '2026-07-05T08:00:00.000Z', actor: DIR, reason: 'x' }))?.guard).toBe('allMembersAssessed');
  });
});

describe('recovery is checked: a trauma screening per member, or a reason per member', () => {
  const unborn = { alias: 'Baby', kind: 'unborn', birthYear: 2026, expectedMonth: '2026-09' };
  const inRecovery = () =>
    new V2Family('2026-01-05T08:00:00.000Z', reportPayload([...reportPayload().members, unborn])).handedOver().stable().recovery();

  it('refuses until every born member is screened or excused', () => {
    const fam = inRecovery();
    const [a, b, c] = ctxV2(fam.s).members;
    const complete = (payload: object) => ev('recovery.completed', payload, { at: addDays(fam.t, 1), actor: DIR, reason: 'Herstel' });
    expect(refusal(fam.s, complete({}))?.message.nl).toContain('Ouder A, Ouder B en Kind C');
    fam.at(1, 'trauma.screened', { memberId: a!.id, outcome: 'noSigns', by: 'GGZ' }, { actor: DIR });
    fam.at(1, 'trauma.screened', { memberId: c!.id, outcome: 'inTreatment', by: 'GGZ-jeugd' }, { actor: DIR });
    const r = refusal(fam.s, complete({}));
    expect(r?.guard).toBe('everyMemberScreened');
    expect(r?.message.en).toContain('missing for: Ouder B.');
    expect(refusal(fam.s, complete({ excused: [{ memberId: 'm99', reason: 'x' }] }))?.guard).toBe('unknownMember');
    expect(refusal(fam.s, complete({ excused: [{ memberId: b!.id, reason: 'Wil niet, besproken' }] }))).toBeNull();
  });

  it('a trauma screening is recorded in stable safety and recovery only', () => {
    const fam = new V2Family().handedOver();
    const m = ctxV2(fam.s).members[0]!.id;
    expect(refusal(fam.s, ev('trauma.screened', { memberId: m, outcome: 'noSigns', by: 'GGZ' }, { at: fam.t, actor: DIR }))?.kind).toBe('state');
  });
});

describe('refusals and allowed events of v2 speak words, not codes', () => {
  it('no internal id, event type or rule code in the new sentences', () => {
    const fam = new V2Family().handedOver().stable();
    const sentences = [
      ...blockedEvents(fam.s, { id: DIR.id, roles: ['director'] }, addDays(fam.t, 1)).flatMap((b) => [b.message.nl, b.message.en]),
      refusal(fam.s, ev('triage.recorded', { urgency: 'high' }, { at: fam.t }))!.message.nl,
      refusal(fam.s, ev('contact.first', { with: ['m1'], warm: true }, { at: fam.t, actor: DIR }))!.message.en,
    ];
    for (const s of sentences) expect(s).not.toMatch(/\b[mcxhogd]\d+\b|[a-z]+\.[a-z]+[A-Z]?|[A-Z][a-z]+[A-Z]\w+/);
    expect(allowedEvents(fam.s, DIR)).toEqual(expect.arrayContaining(['conference.held', 'riskFactors.updated']));
  });
});
