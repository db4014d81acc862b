import { describe, expect, it } from 'vitest';
import type { FamilyEvent } from '../schemas/events.ts';
import { addDays, addMonths } from './calendar.ts';
import {
  allowedEvents,
  applyEvent,
  caseDirectorOf,
  explainRefusal,
  initialFamily,
  stateOf,
  type PersistedFamily,
} from './engine.ts';
import { incidentFree } from './timers.ts';
import {
  ADMIN,
  AUDITOR,
  DIR,
  DIR2,
  SYSTEM,
  VT,
  VT2,
  driveTo,
  ev,
  must,
  namedDirector,
  namedVt,
  planFor,
  reportPayload,
  stabilityFor,
  handoverDecision,
} from './testing/testkit.ts';

function refusal(s: PersistedFamily, e: FamilyEvent) {
  const r = applyEvent(s, e);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('accepted');
  // explainRefusal tells exactly what applyEvent refused with.
  expect(explainRefusal(s, e)).toEqual(r.refusal);
  return r.refusal;
}

function accepted(s: PersistedFamily, e: FamilyEvent): PersistedFamily {
  expect(explainRefusal(s, e)).toBeNull();
  return must(applyEvent(s, e));
}

/** A case in stable safety whose clock starts at `since` (the report date), director DIR. */
function stableSince(since: string): PersistedFamily {
  let s = must(
    applyEvent(
      initialFamily(1),
      ev('report.received', { ...reportPayload(), receivedAt: since }, { at: since }),
    ),
  );
  s = must(applyEvent(s, ev('assessment.started', {}, { at: addDays(since, 1) })));
  s = must(applyEvent(s, handoverDecision({ at: addDays(since, 1) })));
  s = must(
    applyEvent(s, ev('handover.accepted', {}, { at: addDays(since, 2), actor: DIR, reason: 'Akkoord' })),
  );
  s = must(applyEvent(s, ev('plan.agreed', planFor(s), { at: addDays(since, 3), actor: DIR })));
  return must(
    applyEvent(s, ev('directSafety.achieved', {}, { at: addDays(since, 10), actor: DIR, reason: 'Rustig' })),
  );
}

const confirm = (s: PersistedFamily, at: string, occurredAt?: string) =>
  ev('stability.confirmed', stabilityFor(s), {
    at,
    actor: DIR,
    reason: 'Stabiel',
    ...(occurredAt ? { occurredAt } : {}),
  });

describe('stable safety: six calendar months', () => {
  it('refuses one day before six months and names the date from which it is possible', () => {
    const s = stableSince('2026-09-01T10:00:00.000Z');
    const r = refusal(s, confirm(s, '2027-02-28T10:00:00.000Z'));
    expect(r).toMatchObject({ kind: 'guard', guard: 'sixMonthsIncidentFree', state: 'stableSafety' });
    expect(r.message.nl).toBe(
      'Nog geen zes maanden zonder incidenten: stabiele veiligheid kan vanaf 1 maart 2027.',
    );
    expect(r.message.en).toBe(
      'Not yet six months without incidents: stable safety is possible from 1 March 2027.',
    );
  });

  it('accepts on the day six months have passed, and a day later', () => {
    const s = stableSince('2026-09-01T10:00:00.000Z');
    expect(stateOf(accepted(s, confirm(s, '2027-03-01T08:00:00.000Z'))).phase).toBe('recovery');
    expect(stateOf(accepted(s, confirm(s, '2027-03-02T10:00:00.000Z'))).phase).toBe('recovery');
  });

  it('clamps month ends: 31 August + 6 months is 28 February, 29 February in a leap year', () => {
    const s = stableSince('2026-08-31T10:00:00.000Z');
    expect(refusal(s, confirm(s, '2027-02-27T10:00:00.000Z')).message.en).toContain('28 February 2027');
    accepted(s, confirm(s, '2027-02-28T10:00:00.000Z'));
    const leap = stableSince('2027-08-31T10:00:00.000Z');
    expect(refusal(leap, confirm(leap, '2028-02-28T10:00:00.000Z')).message.en).toContain('29 February 2028');
    accepted(leap, confirm(leap, '2028-02-29T10:00:00.000Z'));
  });

  it('uses local Amsterdam dates: 23:30 UTC on 28 Feb is already 1 March in Amsterdam', () => {
    const s = stableSince('2026-09-01T10:00:00.000Z');
    accepted(s, confirm(s, '2027-02-28T23:30:00.000Z'));
  });

  it('restarts the clock at the latest minor incident, and uses occurredAt as the event time', () => {
    let s = stableSince('2026-01-05T10:00:00.000Z');
    s = accepted(
      s,
      ev(
        'incident.reported',
        { occurredAt: '2026-03-10T18:00:00.000Z', severity: 'minor', description: 'Ruzie' },
        { at: '2026-03-11T09:00:00.000Z', actor: DIR },
      ),
    );
    expect(stateOf(s).phase).toBe('stableSafety');
    expect(refusal(s, confirm(s, '2026-09-09T10:00:00.000Z')).message.en).toContain('10 September 2026');
    // Recorded late, but the joint assessment took place on the day itself.
    accepted(s, confirm(s, '2026-09-20T10:00:00.000Z', '2026-09-10T10:00:00.000Z'));
    expect(incidentFree(s, '2026-04-10T10:00:00.000Z')).toEqual({
      since: '2026-03-10T18:00:00.000Z',
      days: 31,
      stableSafetyFrom: '2026-09-10',
    });
  });

  it('requires every household member (or a reason for absence) and resolved risk factors', () => {
    const s = stableSince('2026-01-05T10:00:00.000Z');
    const at = '2026-08-01T10:00:00.000Z';
    const missing = ev(
      'stability.confirmed',
      { ...stabilityFor(s), participants: stabilityFor(s).participants.slice(1) },
      { at, actor: DIR, reason: 'x' },
    );
    expect(refusal(s, missing)).toMatchObject({ kind: 'guard', guard: 'allMembersAssessed' });
    const absent = ev(
      'stability.confirmed',
      {
        ...stabilityFor(s),
        participants: [
          ...stabilityFor(s).participants.slice(1),
          { memberId: 'm1', absentReason: 'Opgenomen in kliniek' },
        ],
      },
      { at, actor: DIR, reason: 'x' },
    );
    accepted(s, absent);
    const unknown = ev(
      'stability.confirmed',
      { ...stabilityFor(s), participants: [...stabilityFor(s).participants, { memberId: 'm99' }] },
      { at, actor: DIR, reason: 'x' },
    );
    expect(refusal(s, unknown).guard).toBe('unknownMember');
    const risky = ev(
      'stability.confirmed',
      { ...stabilityFor(s), riskFactorsResolved: false },
      { at, actor: DIR, reason: 'x' },
    );
    expect(refusal(s, risky).guard).toBe('riskFactorsResolved');
  });
});

describe('measures: legal limits of version 1', () => {
  const { s, t } = driveTo('directSafety.planning');
  const start = '2025-03-28T14:00:00.000Z'; // crosses the switch to summer time on 30 March
  const impose = (kind: string, endsAt: string) =>
    ev('measure.imposed', { kind, startsAt: start, endsAt }, { at: t });

  it('huisverbod: 10 days at imposition accepted, 11 refused', () => {
    accepted(s, impose('huisverbod', addDays(start, 10)));
    expect(addDays(start, 10)).toBe('2025-04-07T13:00:00.000Z');
    const r = refusal(s, impose('huisverbod', addDays(start, 11)));
    expect(r).toMatchObject({ kind: 'guard', guard: 'measureWithinLegalLimit' });
    expect(r.message.nl).toContain('10 dagen');
  });

  it('huisverbod: extension up to 28 days from imposition in total, not one day more', () => {
    const imposed = accepted(s, impose('huisverbod', addDays(start, 10)));
    const id = imposed.context.measures[0]!.id;
    accepted(imposed, ev('measure.extended', { measureId: id, endsAt: addDays(start, 28) }, { at: t }));
    expect(
      refusal(imposed, ev('measure.extended', { measureId: id, endsAt: addDays(start, 29) }, { at: t }))
        .guard,
    ).toBe('measureWithinLegalLimit');
    expect(
      refusal(imposed, ev('measure.extended', { measureId: id, endsAt: addDays(start, 9) }, { at: t })).guard,
    ).toBe('extensionEndsLater');
    expect(
      refusal(imposed, ev('measure.extended', { measureId: 'x999', endsAt: addDays(start, 20) }, { at: t }))
        .guard,
    ).toBe('measureActive');
  });

  it('voorlopige OTS: at most 3 months', () => {
    accepted(s, impose('voorlopigeOts', addMonths(start, 3)));
    expect(refusal(s, impose('voorlopigeOts', addDays(addMonths(start, 3), 1))).guard).toBe(
      'measureWithinLegalLimit',
    );
  });

  it('OTS: at most 12 months per term, including each extension', () => {
    accepted(s, impose('ots', addMonths(start, 12)));
    expect(refusal(s, impose('ots', addDays(addMonths(start, 12), 1))).guard).toBe('measureWithinLegalLimit');
    const imposed = accepted(s, impose('ots', addMonths(start, 12)));
    const id = imposed.context.measures[0]!.id;
    accepted(imposed, ev('measure.extended', { measureId: id, endsAt: addMonths(start, 24) }, { at: t }));
    expect(
      refusal(
        imposed,
        ev('measure.extended', { measureId: id, endsAt: addDays(addMonths(start, 24), 1) }, { at: t }),
      ).guard,
    ).toBe('measureWithinLegalLimit');
  });

  it('a measure ends after it starts; an ended measure cannot be ended again', () => {
    expect(refusal(s, impose('shelter', start)).guard).toBe('measureEndsAfterStart');
    const imposed = accepted(s, impose('shelter', addMonths(start, 6)));
    const id = imposed.context.measures[0]!.id;
    const ended = accepted(imposed, ev('measure.ended', { measureId: id }, { at: t }));
    expect(ended.context.measures[0]!.status).toBe('ended');
    expect(refusal(ended, ev('measure.ended', { measureId: id }, { at: t })).kind).toBe('state');
  });
});

describe('safety plan', () => {
  const { s, t } = driveTo('directSafety.planning');
  const plan = planFor(s);

  it('is accepted when it covers every open condition with the family and each child', () => {
    expect(stateOf(accepted(s, ev('plan.agreed', plan, { at: t, actor: DIR }))).phase).toBe(
      'directSafety.planAgreed',
    );
  });

  it('refuses a child without a recorded perspective', () => {
    const r = refusal(s, ev('plan.agreed', { ...plan, childPerspectives: [] }, { at: t, actor: DIR }));
    expect(r).toMatchObject({ kind: 'guard', guard: 'childPerspectiveRequired' });
    expect(r.message.nl).toContain('ontbreekt voor: Kind C.');
    // Never an internal id (issue 10 / API.md: a professional reads aliases, not m3).
    expect(r.message.nl).not.toMatch(/\bm\d+\b/);
  });

  it('refuses an uncovered condition and unknown condition ids', () => {
    const uncovered = {
      ...plan,
      agreements: [{ description: 'x', responsible: 'y', coversConditionIds: [] }],
    };
    expect(refusal(s, ev('plan.agreed', uncovered, { at: t, actor: DIR })).guard).toBe('conditionsCovered');
    const unknown = {
      ...plan,
      agreements: [
        {
          description: 'x',
          responsible: 'y',
          coversConditionIds: [...plan.agreements[0]!.coversConditionIds, 'c404'],
        },
      ],
    };
    expect(refusal(s, ev('plan.agreed', unknown, { at: t, actor: DIR })).guard).toBe('unknownCondition');
    expect(refusal(s, ev('plan.agreed', { ...plan, agreements: [] }, { at: t, actor: DIR })).guard).toBe(
      'agreementRequired',
    );
  });

  it('refuses a plan made without an adult household member, or with unknown members', () => {
    expect(
      refusal(
        s,
        ev('plan.agreed', { ...plan, participants: [{ professional: 'Wijkteam' }] }, { at: t, actor: DIR }),
      ).guard,
    ).toBe('adultParticipantRequired');
    expect(
      refusal(
        s,
        ev(
          'plan.agreed',
          { ...plan, participants: [...plan.participants, { memberId: 'm77' }] },
          { at: t, actor: DIR },
        ),
      ).guard,
    ).toBe('unknownMember');
  });

  it('an incident in direct safety requires a revision before direct safety is achieved', () => {
    let s2 = accepted(s, ev('plan.agreed', plan, { at: t, actor: DIR }));
    s2 = accepted(
      s2,
      ev(
        'incident.reported',
        { occurredAt: t, severity: 'minor', description: 'Ruzie' },
        { at: addDays(t, 1), actor: DIR },
      ),
    );
    expect(s2.context.planRevisionRequired).toBe(true);
    expect(
      refusal(s2, ev('directSafety.achieved', {}, { at: addDays(t, 2), actor: DIR, reason: 'x' })).guard,
    ).toBe('planRevisionPending');
    expect(allowedEvents(s2, DIR)).not.toContain('directSafety.achieved');
    s2 = accepted(s2, ev('plan.revised', planFor(s2), { at: addDays(t, 2), actor: DIR }));
    expect(s2.context.safetyPlan?.version).toBe(2);
    expect(
      stateOf(accepted(s2, ev('directSafety.achieved', {}, { at: addDays(t, 3), actor: DIR, reason: 'x' })))
        .phase,
    ).toBe('stableSafety');
  });

  it('directSafety.achieved is not possible from planning', () => {
    expect(refusal(s, ev('directSafety.achieved', {}, { at: t, actor: DIR, reason: 'x' })).kind).toBe(
      'state',
    );
  });
});

describe('incidents send a family back', () => {
  it('serious in stable safety → direct safety with the plan to be revised; minor in recovery → stable safety', () => {
    const { s, t } = driveTo('stableSafety');
    const serious = accepted(
      s,
      ev(
        'incident.reported',
        { occurredAt: t, severity: 'serious', description: 'Geweld' },
        { at: addDays(t, 1), actor: DIR },
      ),
    );
    expect(stateOf(serious).phase).toBe('directSafety.planAgreed');
    expect(serious.context.planRevisionRequired).toBe(true);
    const r = driveTo('recovery');
    const minor = accepted(
      r.s,
      ev(
        'incident.reported',
        { occurredAt: r.t, severity: 'minor', description: 'Ruzie' },
        { at: addDays(r.t, 1), actor: DIR },
      ),
    );
    expect(stateOf(minor).phase).toBe('stableSafety');
    const seriousInRecovery = accepted(
      r.s,
      ev(
        'incident.reported',
        { occurredAt: r.t, severity: 'serious', description: 'Geweld' },
        { at: addDays(r.t, 1), actor: DIR },
      ),
    );
    expect(stateOf(seriousInRecovery).phase).toBe('directSafety.planAgreed');
  });

  it('refuses an incident that occurs after it is recorded', () => {
    const { s, t } = driveTo('stableSafety');
    expect(
      refusal(
        s,
        ev(
          'incident.reported',
          { occurredAt: addDays(t, 2), severity: 'minor', description: 'x' },
          { at: t, actor: DIR },
        ),
      ).guard,
    ).toBe('incidentNotInFuture');
  });
});

describe('assessment decisions and directors', () => {
  const { s, t } = driveTo('assessment');
  const completed = (payload: object, opts: Partial<Parameters<typeof ev>[2]> = {}) =>
    ev(
      'assessment.completed',
      { acute: false, structural: true, conditions: [{ description: 'Voorwaarde' }], ...payload },
      { at: t, reason: 'Besluit', ...opts },
    );

  it('a missing reason on a decision event is the guard reasonRequired', () => {
    const r = refusal(
      s,
      ev('assessment.completed', { decision: 'close', acute: false, structural: false }, { at: t }),
    );
    expect(r).toMatchObject({ kind: 'guard', guard: 'reasonRequired', state: 'assessment' });
    // A blank motivation fails the envelope schema (the API answers 400 before the machine sees it).
    expect(refusal(s, completed({ decision: 'close' }, { reason: '   ' })).guard).toBe('payloadInvalid');
    expect(refusal(s, ev('case.closed', { reasonCode: 'noGrounds' }, { at: t })).guard).toBe(
      'reasonRequired',
    );
    expect(refusal(s, ev('escalation.raised', { to: 'ZVH' }, { at: t })).guard).toBe('reasonRequired');
  });

  it('handover names a director-role user that the server resolved', () => {
    expect(refusal(s, completed({ decision: 'handover' })).guard).toBe('handoverNamesDirector');
    expect(refusal(s, completed({ decision: 'handover', directorId: DIR.id })).guard).toBe(
      'namedUserResolved',
    );
    expect(
      refusal(
        s,
        completed({ decision: 'handover', directorId: DIR.id }, { named: namedDirector('someone-else') }),
      ).guard,
    ).toBe('namedUserResolved');
    expect(
      refusal(s, completed({ decision: 'handover', directorId: VT2.id }, { named: namedVt(VT2.id) })).guard,
    ).toBe('handoverNamesDirector');
    const h = accepted(
      s,
      completed({ decision: 'handover', directorId: DIR.id }, { named: namedDirector(DIR.id) }),
    );
    expect(stateOf(h)).toEqual({
      phase: 'directSafety.planning',
      oversight: 'handoverPending',
      escalation: 'none',
    });
    // The deciding VT worker stays director until the named director accepts.
    expect(caseDirectorOf(h)).toBe(VT.id);
  });

  it('direct safety needs at least one safety condition', () => {
    expect(refusal(s, completed({ decision: 'conditionsAndFollowUp', conditions: [] })).guard).toBe(
      'safetyConditionRequired',
    );
  });

  it('conditions and follow-up: the deciding VT worker or a named VT colleague becomes director, VT stays involved', () => {
    const own = accepted(s, completed({ decision: 'conditionsAndFollowUp' }));
    expect(caseDirectorOf(own)).toBe(VT.id);
    expect(stateOf(own).oversight).toBe('vtInvolved');
    const colleague = accepted(
      s,
      completed({ decision: 'conditionsAndFollowUp', directorId: VT2.id }, { named: namedVt(VT2.id) }),
    );
    expect(caseDirectorOf(colleague)).toBe(VT2.id);
    expect(
      refusal(
        s,
        completed(
          { decision: 'conditionsAndFollowUp', directorId: DIR.id },
          { named: namedDirector(DIR.id) },
        ),
      ).guard,
    ).toBe('directorIsVtColleague');
  });

  it('investigate only from assessment', () => {
    const inv = accepted(s, completed({ decision: 'investigate' }));
    expect(stateOf(inv).phase).toBe('investigation');
    const r = refusal(
      inv,
      ev(
        'investigation.completed',
        { decision: 'investigate', acute: false, structural: true, conditions: [] },
        { at: t, reason: 'x' },
      ),
    );
    expect(r.guard).toBe('investigateOnlyFromAssessment');
  });

  it('close ends oversight', () => {
    const closed = accepted(s, completed({ decision: 'close' }));
    expect(stateOf(closed)).toEqual({ phase: 'closed', oversight: 'ended', escalation: 'none' });
  });
});

describe('who may send what', () => {
  it('a director event by someone who is not the case director is forbidden', () => {
    const { s, t } = driveTo('directSafety.planning');
    const r = refusal(s, ev('plan.agreed', planFor(s), { at: t, actor: DIR2 }));
    expect(r).toMatchObject({ kind: 'forbidden', guard: 'assignedToCase' });
    // VT no longer directs this family once the local director accepted.
    expect(refusal(s, ev('plan.agreed', planFor(s), { at: t, actor: VT })).kind).toBe('forbidden');
    expect(
      refusal(
        s,
        ev(
          'incident.reported',
          { occurredAt: t, severity: 'minor', description: 'x' },
          { at: t, actor: DIR2 },
        ),
      ).kind,
    ).toBe('forbidden');
    // VT may report incidents on any family of its region.
    accepted(
      s,
      ev('incident.reported', { occurredAt: t, severity: 'minor', description: 'x' }, { at: t, actor: VT }),
    );
  });

  it('a handover is accepted only by the named director', () => {
    const { s, t } = driveTo('assessment');
    const h = must(applyEvent(s, handoverDecision({ at: t, condition: 'x', reason: 'x' })));
    const r = refusal(h, ev('handover.accepted', {}, { at: t, actor: DIR2, reason: 'Ik neem het' }));
    expect(r).toMatchObject({ kind: 'forbidden', guard: 'isNamedReceiver' });
    expect(refusal(h, ev('handover.accepted', {}, { at: t, actor: VT, reason: 'x' })).kind).toBe('forbidden');
    expect(allowedEvents(h, DIR)).toEqual(expect.arrayContaining(['handover.accepted', 'handover.declined']));
    expect(allowedEvents(h, DIR2)).toEqual([]);
    const declined = accepted(
      h,
      ev('handover.declined', {}, { at: t, actor: DIR, reason: 'Geen capaciteit' }),
    );
    expect(stateOf(declined).oversight).toBe('vtInvolved');
    expect(caseDirectorOf(declined)).toBe(VT.id);
    const reoffered = accepted(
      declined,
      ev(
        'handover.offered',
        { directorId: DIR2.id },
        { at: t, reason: 'Andere regisseur', named: namedDirector(DIR2.id) },
      ),
    );
    const acc = accepted(reoffered, ev('handover.accepted', {}, { at: t, actor: DIR2, reason: 'Akkoord' }));
    expect(stateOf(acc).oversight).toBe('monitoring');
    expect(caseDirectorOf(acc)).toBe(DIR2.id);
  });

  it('director to director: two steps, the current director stays until acceptance', () => {
    const { s, t } = driveTo('stableSafety');
    const offered = accepted(
      s,
      ev(
        'handover.offered',
        { directorId: DIR2.id },
        { at: t, actor: DIR, reason: 'Verhuizing', named: namedDirector(DIR2.id) },
      ),
    );
    expect(caseDirectorOf(offered)).toBe(DIR.id);
    expect(
      refusal(
        s,
        ev(
          'handover.offered',
          { directorId: DIR2.id },
          { at: t, actor: DIR2, reason: 'x', named: namedDirector(DIR2.id) },
        ),
      ).kind,
    ).toBe('forbidden');
    expect(
      refusal(
        s,
        ev(
          'handover.offered',
          { directorId: DIR.id },
          { at: t, actor: DIR, reason: 'x', named: namedDirector(DIR.id) },
        ),
      ).guard,
    ).toBe('notToCurrentDirector');
    const acc = accepted(offered, ev('handover.accepted', {}, { at: t, actor: DIR2, reason: 'Akkoord' }));
    expect(caseDirectorOf(acc)).toBe(DIR2.id);
    expect(refusal(acc, ev('plan.revised', planFor(acc), { at: t, actor: DIR })).kind).toBe('state');
    expect(
      refusal(
        acc,
        ev('stability.confirmed', stabilityFor(acc), { at: addMonths(t, 7), actor: DIR, reason: 'x' }),
      ).kind,
    ).toBe('forbidden');
  });

  it('auditors, admins and users sending system events are forbidden; the system sends nothing else', () => {
    const { s, t } = driveTo('stableSafety');
    for (const actor of [AUDITOR, ADMIN]) {
      expect(
        refusal(
          s,
          ev('incident.reported', { occurredAt: t, severity: 'minor', description: 'x' }, { at: t, actor }),
        ).kind,
      ).toBe('forbidden');
      expect(allowedEvents(s, actor)).toEqual([]);
    }
    expect(refusal(s, ev('stability.reviewDue', { dueAt: t }, { at: t, actor: VT })).kind).toBe('forbidden');
    expect(
      refusal(
        s,
        ev(
          'incident.reported',
          { occurredAt: t, severity: 'minor', description: 'x' },
          { at: t, actor: SYSTEM },
        ),
      ).kind,
    ).toBe('forbidden');
    accepted(s, ev('stability.reviewDue', { dueAt: t }, { at: t, actor: SYSTEM }));
  });

  it('monitoring: ended only in recovery; taken back makes VT director again', () => {
    const { s, t } = driveTo('stableSafety');
    expect(refusal(s, ev('monitoring.ended', {}, { at: t })).guard).toBe('stableSafetyReached');
    const back = accepted(
      s,
      ev('monitoring.takenBack', {}, { at: t, actor: VT2, reason: 'Voorwaarden niet nagekomen' }),
    );
    expect(stateOf(back).oversight).toBe('vtInvolved');
    expect(caseDirectorOf(back)).toBe(VT2.id);
    const r = driveTo('recovery');
    const ended = accepted(r.s, ev('monitoring.ended', {}, { at: r.t }));
    expect(stateOf(ended).oversight).toBe('ended');
    expect(caseDirectorOf(ended)).toBe(DIR.id);
  });

  it('a check records met / not met per existing condition', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    const id = s.context.conditions[0]!.id;
    const met = accepted(
      s,
      ev('monitoring.checkRecorded', { results: [{ conditionId: id, met: true }] }, { at: t }),
    );
    expect(met.context.conditions[0]).toMatchObject({ status: 'met', lastResult: true });
    expect(
      refusal(s, ev('monitoring.checkRecorded', { results: [{ conditionId: 'c0', met: true }] }, { at: t }))
        .guard,
    ).toBe('unknownCondition');
  });

  it('allowedEvents follows role, assignment and state', () => {
    const fresh = driveTo('reported').s;
    expect(allowedEvents(fresh, VT)).toEqual(
      expect.arrayContaining(['report.received', 'assessment.started', 'case.closed']),
    );
    expect(allowedEvents(fresh, VT)).not.toContain('plan.agreed');
    expect(allowedEvents(fresh, DIR)).toEqual([]);
    expect(allowedEvents(initialFamily(1), VT)).toEqual(['report.received']);
  });
});

describe('closure and reopening', () => {
  it('closing clears the director, cancels a pending handover, resolves escalation; a repeat report reopens', () => {
    const { s, t } = driveTo('stableSafety');
    let c = accepted(s, ev('escalation.raised', { to: 'MDA++' }, { at: t, actor: DIR, reason: 'Stagnatie' }));
    c = accepted(
      c,
      ev(
        'handover.offered',
        { directorId: DIR2.id },
        { at: t, actor: DIR, reason: 'x', named: namedDirector(DIR2.id) },
      ),
    );
    c = accepted(
      c,
      ev('case.closed', { reasonCode: 'movedAway' }, { at: addDays(t, 1), actor: DIR, reason: 'Verhuisd' }),
    );
    expect(stateOf(c)).toEqual({ phase: 'closed', oversight: 'ended', escalation: 'none' });
    expect(caseDirectorOf(c)).toBeNull();
    expect(c.context.handovers.at(-1)?.outcome).toBe('cancelled');
    expect(c.context.escalations[0]?.resolvedAt).not.toBeNull();
    expect(
      refusal(c, ev('case.closed', { reasonCode: 'other' }, { at: addDays(t, 2), reason: 'x' })).kind,
    ).toBe('state');
    const reopened = accepted(
      c,
      ev(
        'report.received',
        { source: 'citizen', acute: true, summary: 'Nieuwe melding' },
        { at: addDays(t, 30) },
      ),
    );
    expect(stateOf(reopened)).toEqual({ phase: 'reported', oversight: 'vtInvolved', escalation: 'none' });
    expect(reopened.context.cycle).toBe(2);
  });
});

describe('decisions belong to their phase (regression: the oversight region also listens for them)', () => {
  it('offers investigation.completed only in investigation, and assessment.completed only in assessment', () => {
    const { s, t } = driveTo('assessment');
    expect(allowedEvents(s, VT)).toContain('assessment.completed');
    expect(allowedEvents(s, VT)).not.toContain('investigation.completed');
    const early = refusal(
      s,
      ev(
        'investigation.completed',
        { decision: 'close', acute: false, structural: false, conditions: [] },
        { at: t, reason: 'x' },
      ),
    );
    expect(early).toMatchObject({ kind: 'state', guard: 'inInvestigation', state: 'assessment' });

    const inv = accepted(
      s,
      ev(
        'assessment.completed',
        { decision: 'investigate', acute: false, structural: true, conditions: [] },
        { at: addDays(t, 1), reason: 'onderzoek nodig' },
      ),
    );
    expect(stateOf(inv).phase).toBe('investigation');
    expect(allowedEvents(inv, VT)).toContain('investigation.completed');
    expect(allowedEvents(inv, VT)).not.toContain('assessment.completed');
  });
});
