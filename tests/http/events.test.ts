import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { eventTypes, routedEventTypes, systemEventTypes, type UserEventType } from '../../machines/schemas/events.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import {
  advance,
  createFamily,
  createV1Family,
  current,
  handedOver,
  handoverDecision,
  inStableSafety,
  iso,
  planFor,
  send,
  stabilityFor,
  trySend,
  useVersionReader,
} from './flows.ts';

// Every event type people send: one accepted over HTTP, one refused because of who sends it (403),
// one refused by the state or a guard (422, naming the guard and the state). The events with a route
// of their own (a member's access and answer) are covered by tests/http/memberAccess.test.ts.

const notHere: readonly string[] = [...systemEventTypes, ...routedEventTypes];
const userTypes = eventTypes.filter((t) => !notHere.includes(t)) as UserEventType[];

describe.each(backends())('events (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let director2: Client;
  let auditor: Client;
  const covered = { ok: new Set<string>(), forbidden: new Set<string>(), unprocessable: new Set<string>() };

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, director2, auditor] = await Promise.all([
      h.login('vt'),
      h.login('director'),
      h.login('director2'),
      h.login('auditor'),
    ]);
    useVersionReader(vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function ok(client: Client, f: { id: string }, type: UserEventType, payload: unknown = {}, reason?: string) {
    const before = await current(vt, f.id);
    const after = await send(client, f.id, type, payload, reason);
    expect(after.version).toBe(before.version + 1);
    covered.ok.add(type);
    return after;
  }
  async function forbidden(client: Client, f: { id: string }, type: UserEventType, payload: unknown = {}, reason?: string) {
    const res = await trySend(client, f.id, type, payload, reason, (await current(vt, f.id)).version);
    expect(res.status, `${type}: ${res.text}`).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    covered.forbidden.add(type);
    return res.body as unknown as Problem;
  }
  async function refused(
    client: Client,
    f: { id: string },
    type: UserEventType,
    guard: string | null,
    payload: unknown = {},
    reason?: string,
  ) {
    const res = await trySend(client, f.id, type, payload, reason);
    expect(res.status, `${type}: ${res.text}`).toBe(422);
    const p = res.body as unknown as Problem;
    expect(p.guard, `${type}: ${res.text}`).toBe(guard);
    expect(typeof p.state).toBe('string');
    expect(p.explanation?.nl.length).toBeGreaterThan(0);
    expect(p.explanation?.en.length).toBeGreaterThan(0);
    covered.unprocessable.add(type);
    return p;
  }

  // The first tests mean familyCase@1's rules (an investigation without a start, the risk-factor
  // checkbox, recovery without screenings): their families are v1 families. The v2 events come after.
  it('report and assessment events (familyCase@1)', async () => {
    const f = await createV1Family(h, vt);
    // The director cannot see this family: for them it does not exist.
    const unseen = await trySend(director, f.id, 'report.received', { source: 'citizen', acute: false, summary: 'x' }, undefined, 1);
    expect(unseen.status).toBe(404);
    await forbidden(auditor, f, 'assessment.started');
    await refused(vt, f, 'report.received', 'reportNotInFuture', {
      source: 'citizen',
      acute: false,
      summary: 'Buren horen geschreeuw.',
      receivedAt: iso(h, 2),
    });
    await ok(vt, f, 'report.received', { source: 'citizen', acute: false, summary: 'Buren horen geschreeuw.' });
    await ok(vt, f, 'assessment.started');
    await refused(vt, f, 'assessment.started', null);
    await refused(vt, f, 'assessment.completed', 'handoverNamesDirector', {
      decision: 'handover',
      acute: false,
      structural: true,
      conditions: [{ description: 'Geen geweld' }],
    }, 'Overdracht.');
    await refused(vt, f, 'assessment.completed', 'safetyConditionRequired', {
      decision: 'conditionsAndFollowUp',
      acute: false,
      structural: false,
      conditions: [],
    }, 'Voorwaarden.');
    const inv = await ok(vt, f, 'assessment.completed', { decision: 'investigate', acute: false, structural: true, conditions: [] }, 'Onderzoek nodig.');
    expect(inv.state.phase).toBe('investigation');
    await refused(vt, f, 'investigation.completed', 'investigateOnlyFromAssessment', {
      decision: 'investigate', acute: false, structural: true, conditions: [],
    }, 'Nog meer onderzoek.');
    await forbidden(auditor, f, 'investigation.completed', { decision: 'close', acute: false, structural: false, conditions: [] }, 'Geen grond.');
    const followUp = await ok(vt, f, 'investigation.completed', {
      decision: 'conditionsAndFollowUp', acute: false, structural: false, conditions: [{ description: 'Vader volgt hulp' }],
    }, 'VT houdt de zaak.');
    expect(followUp.state.phase).toBe('directSafety.planning');
    expect(followUp.caseDirector?.id).toBe(h.users.vt.id);

    // While a VT worker directs, the VT worker sends the director events.
    const planned = await ok(vt, f, 'plan.agreed', planFor(followUp));
    expect(planned.state.phase).toBe('directSafety.planAgreed');
    const cond = planned.conditions[0]!;
    await refused(vt, f, 'monitoring.checkRecorded', 'unknownCondition', { results: [{ conditionId: 'nope', met: true }] });
    await ok(vt, f, 'monitoring.checkRecorded', { results: [{ conditionId: cond.id, met: true }], notes: 'Afspraak nagekomen.' });
    await refused(vt, f, 'monitoring.takenBack', null, {}, 'Terugnemen.');
    await forbidden(auditor, f, 'monitoring.checkRecorded', { results: [{ conditionId: cond.id, met: true }] });
  });

  it('handover events', async () => {
    const f = await createFamily(vt);
    await send(vt, f.id, 'assessment.started');
    const early = await trySend(director, f.id, 'handover.accepted', {}, 'Ja.', (await current(vt, f.id)).version);
    expect(early.status).toBe(404);
    const pending = await ok(vt, f, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Naar het lokale team.');
    expect(pending.state.oversight).toBe('handoverPending');
    await forbidden(vt, f, 'handover.accepted', {}, 'Zelf accepteren.');
    await forbidden(vt, f, 'handover.declined', {}, 'Zelf weigeren.');
    const declined = await ok(director, f, 'handover.declined', {}, 'Geen capaciteit deze maand.');
    expect(declined.state.oversight).toBe('vtInvolved');
    // After declining, the director no longer sees the family.
    expect((await director.get(`/api/v1/families/${f.id}`)).status).toBe(404);
    await refused(vt, f, 'handover.offered', 'offeredToDirector', { directorId: h.users.vtOther.id }, 'Aan een VT-collega.');
    await ok(vt, f, 'handover.offered', { directorId: h.users.director2.id }, 'Tweede regisseur heeft ruimte.');
    const accepted = await ok(director2, f, 'handover.accepted', {}, 'Ik neem de regie.');
    expect(accepted.caseDirector?.id).toBe(h.users.director2.id);
    await refused(director2, f, 'handover.declined', 'handoverIsPending', {}, 'Er is niets te weigeren.');
    await refused(director2, f, 'handover.accepted', 'handoverIsPending', {}, 'Er is niets te accepteren.');
    // Between directors: director2 offers to director, who accepts.
    await refused(director2, f, 'handover.offered', 'notToCurrentDirector', { directorId: h.users.director2.id }, 'Aan mezelf.');
    await forbidden(auditor, f, 'handover.offered', { directorId: h.users.director.id }, 'Audit.');
    await ok(director2, f, 'handover.offered', { directorId: h.users.director.id }, 'Verhuisd naar andere wijk.');
    const moved = await ok(director, f, 'handover.accepted', {}, 'Overgenomen.');
    expect(moved.caseDirector?.id).toBe(h.users.director.id);
    expect((await director2.get(`/api/v1/families/${f.id}`)).status).toBe(404);
  });

  it('plan, safety, incident, measure and escalation events (familyCase@1)', async () => {
    const f = await handedOver(h, vt, director, h.users.director.id, 1);
    await forbidden(vt, f, 'plan.agreed', planFor(f));
    await forbidden(director, f, 'report.received', { source: 'citizen', acute: false, summary: 'Nieuwe melding.' });
    await forbidden(director, f, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Regisseur beslist.');
    await refused(director, f, 'plan.agreed', 'adultParticipantRequired', { ...planFor(f), participants: [{ professional: 'Wijkteam' }] });
    await refused(director, f, 'directSafety.achieved', null, {}, 'Te vroeg.');
    const planned = await ok(director, f, 'plan.agreed', planFor(f));
    await refused(director, f, 'plan.revised', 'conditionsCovered', {
      ...planFor(planned),
      agreements: [{ description: 'Iets anders', responsible: 'Moeder', coversConditionIds: [] }],
    });
    await forbidden(vt, f, 'plan.revised', planFor(planned));

    await refused(director, f, 'incident.reported', 'incidentNotInFuture', { occurredAt: iso(h, 3), severity: 'minor', description: 'Later.' });
    await forbidden(auditor, f, 'incident.reported', { occurredAt: iso(h, -1), severity: 'minor', description: 'Ruzie.' });
    await ok(vt, f, 'incident.reported', { occurredAt: iso(h, -1), severity: 'minor', description: 'Ruzie, geen letsel.' });
    // An incident during direct safety sends the plan back for revision before safety can be declared.
    await refused(director, f, 'directSafety.achieved', 'planRevisionPending', {}, 'Veilig.');
    await ok(director, f, 'plan.revised', planFor(planned));

    await refused(director, f, 'measure.imposed', 'measureWithinLegalLimit', { kind: 'huisverbod', startsAt: iso(h), endsAt: iso(h, 20) });
    await forbidden(auditor, f, 'measure.imposed', { kind: 'huisverbod', startsAt: iso(h), endsAt: iso(h, 10) });
    const imposed = await ok(director, f, 'measure.imposed', { kind: 'huisverbod', startsAt: iso(h), endsAt: iso(h, 10) });
    const measure = imposed.measures[0]!;
    await refused(director, f, 'measure.extended', 'measureWithinLegalLimit', { measureId: measure.id, endsAt: iso(h, 40) });
    await forbidden(auditor, f, 'measure.extended', { measureId: measure.id, endsAt: iso(h, 20) });
    await ok(director, f, 'measure.extended', { measureId: measure.id, endsAt: iso(h, 20) });
    await refused(director, f, 'measure.ended', 'measureActive', { measureId: 'x999' });
    await forbidden(auditor, f, 'measure.ended', { measureId: measure.id });
    await ok(director, f, 'measure.ended', { measureId: measure.id });

    await forbidden(auditor, f, 'escalation.raised', { to: 'MDA++' }, 'Complex.');
    await ok(director, f, 'escalation.raised', { to: 'MDA++' }, 'Meerdere domeinen; MDA++ nodig.');
    await refused(director, f, 'escalation.raised', null, { to: 'ZVH' }, 'Nog een.');
    await forbidden(auditor, f, 'escalation.resolved', {}, 'Klaar.');
    const resolved = await ok(director, f, 'escalation.resolved', {}, 'MDA++ heeft een plan.');
    expect(resolved.state.escalation).toBe('none');
    await refused(director, f, 'escalation.resolved', null, {}, 'Nogmaals.');

    await forbidden(vt, f, 'directSafety.achieved', {}, 'VT.');
    const stable = await ok(director, f, 'directSafety.achieved', {}, 'Veilig.');
    expect(stable.state.phase).toBe('stableSafety');
    await refused(director, f, 'recovery.completed', null, {}, 'Te vroeg.');
    await refused(vt, f, 'monitoring.ended', 'stableSafetyReached', {});
    await forbidden(director, f, 'monitoring.ended', {});
    await refused(director, f, 'stability.confirmed', 'riskFactorsResolved', { ...stabilityFor(stable), riskFactorsResolved: false }, 'Samen beoordeeld.');
    await forbidden(vt, f, 'stability.confirmed', stabilityFor(stable), 'VT.');
    await forbidden(director, f, 'monitoring.takenBack', {}, 'Niet aan mij.');
    const back = await ok(vt, f, 'monitoring.takenBack', {}, 'Voorwaarden niet nagekomen.');
    expect(back.state.oversight).toBe('vtInvolved');
    expect(back.caseDirector?.id).toBe(h.users.vt.id);
  });

  it('stability, recovery, monitoring end and closure (familyCase@1)', async () => {
    const f = await inStableSafety(h, vt, director, h.users.director.id, 1);
    await advance(h, 200, vt, director, director2, auditor);
    const before = await current(director, f.id);
    const recovery = await ok(director, f, 'stability.confirmed', stabilityFor(before), 'Zes maanden rustig; samen beoordeeld.');
    expect(recovery.state.phase).toBe('recovery');
    await forbidden(vt, f, 'recovery.completed', {}, 'VT.');
    await ok(vt, f, 'monitoring.ended', {});
    await forbidden(auditor, f, 'case.closed', { reasonCode: 'movedAway' }, 'Verhuisd.');
    await forbidden(vt, f, 'case.closed', { reasonCode: 'movedAway' }, 'Verhuisd.');
    const closed = await ok(director, f, 'recovery.completed', {}, 'Herstel afgerond.');
    expect(closed.state.phase).toBe('closed');
    await refused(vt, f, 'case.closed', null, { reasonCode: 'other' }, 'Dubbel.');
    await refused(vt, f, 'escalation.raised', 'phaseNotClosed', { to: 'RvdK' }, 'Na sluiting.');

    const other = await handedOver(h, vt, director, h.users.director.id, 1);
    const closedEarly = await ok(director, other, 'case.closed', { reasonCode: 'movedAway' }, 'Gezin verhuisd naar Friesland.');
    expect(closedEarly.state.phase).toBe('closed');
  });

  it('a system event sent by a person is refused with 403', async () => {
    const f = await createFamily(vt);
    for (const type of systemEventTypes) {
      const payloads: Record<string, unknown> = {
        'measure.expired': { measureId: 'x1' },
        'deadline.missed': { kind: 'assessment', ref: 'r1', dueAt: iso(h) },
        'stability.reviewDue': { dueAt: iso(h) },
        'stagnation.detected': { phase: 'reported', since: iso(h, -20), dueAt: iso(h) },
      };
      const res = await vt.post<Problem>(`/api/v1/families/${f.id}/events`, { type, expectedVersion: 1, payload: payloads[type] });
      expect(res.status, `${type}: ${res.text}`).toBe(403);
    }
  });

  it('a stale expectedVersion is a 409 naming the current version', async () => {
    const f = await createFamily(vt);
    const res = await trySend(vt, f.id, 'assessment.started', {}, undefined, 0);
    expect(res.status).toBe(409);
    expect((res.body as unknown as Problem).currentVersion).toBe(1);
  });

  it('familyCase@2 events, once the family has moved to v2 (case.upgraded)', async () => {
    const f = await createV1Family(h, vt);
    // A v1 family knows no v2 events until it is moved: it says so.
    const unknown = await refused(vt, f, 'triage.recorded', 'upgradeRequired', { urgency: 'high' });
    expect(unknown.explanation?.nl).toContain('zet de zaak eerst over naar de nieuwe werkwijze');
    await forbidden(auditor, f, 'case.upgraded', { toVersion: 2 }, 'Audit.');
    const moved = await ok(vt, f, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
    expect(moved.machineVersion).toBe(2);
    await refused(vt, f, 'case.upgraded', 'upgradePending', { toVersion: 2 }, 'Nogmaals.');

    await forbidden(auditor, f, 'triage.recorded', { urgency: 'high' });
    await ok(vt, f, 'triage.recorded', { urgency: 'high', instrument: 'lirik' });
    await forbidden(auditor, f, 'contact.interim', { with: 'reporter' });
    await ok(vt, f, 'contact.interim', { with: 'reporter' });
    await send(vt, f.id, 'assessment.started');
    await refused(vt, f, 'contact.interim', null, { with: 'household' });
    await refused(vt, f, 'reporter.informed', 'reporterFeedbackOwed', { channel: 'phone' });
    await refused(vt, f, 'household.informed', 'householdFeedbackOwed', { channel: 'phone' });
    const waiting = await send(vt, f.id, 'assessment.completed', {
      decision: 'investigate', acute: false, structural: true, conditions: [], riskFactors: [{ kind: 'debts' }],
    }, 'Onderzoek nodig.');
    expect(waiting.state.phase).toBe('investigation.waiting');
    await refused(vt, f, 'investigation.completed', 'investigationStarted', {
      decision: 'close', acute: false, structural: false, conditions: [],
    }, 'Te vroeg.');
    await forbidden(auditor, f, 'investigation.started');
    await ok(vt, f, 'investigation.started');
    await refused(vt, f, 'investigation.started', null);
    await forbidden(auditor, f, 'reporter.informed', { channel: 'phone' });
    await ok(vt, f, 'reporter.informed', { channel: 'phone' });
    await forbidden(auditor, f, 'household.informed', { channel: 'letter' });
    await ok(vt, f, 'household.informed', { channel: 'letter' });
    await send(vt, f.id, 'investigation.completed', handoverDecision(h, h.users.director.id), 'Naar het lokale team.');
    const accepted = await send(director, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
    expect(accepted.deadlines.some((d) => d.kind === 'firstContact' && d.status === 'open')).toBe(true);
    const member = accepted.members[0]!.id;
    await forbidden(vt, f, 'contact.first', { with: [member], warm: true });
    await refused(director, f, 'contact.first', 'unknownMember', { with: ['m999'], warm: true });
    await ok(director, f, 'contact.first', { with: [member], warm: true });
    const conference = {
      kind: 'mdaPlusPlus',
      heldAt: iso(h, 0),
      participants: [{ memberId: member }, { professional: 'Wijkagent', organisation: 'Politie', mandate: true }],
      agreements: [{ description: 'Huisbezoek samen met de wijkagent', responsible: 'Wijkteam', dueAt: iso(h, 14) }],
      nextAt: iso(h, 42),
    };
    await forbidden(auditor, f, 'conference.held', conference);
    await refused(director, f, 'conference.held', 'conferenceNotInFuture', { ...conference, heldAt: iso(h, 2) });
    await ok(director, f, 'conference.held', conference);
    await forbidden(vt, f, 'riskFactors.updated', { factors: [{ kind: 'debts', status: 'reduced' }] });
    await ok(director, f, 'riskFactors.updated', { factors: [{ kind: 'debts', status: 'reduced' }] });
    const screening = { memberId: member, outcome: 'noSigns', by: 'GGZ-team' };
    await refused(director, f, 'trauma.screened', null, screening);
    // The family's own view: the director shields one member's data from another (issue 15).
    const [first, second] = accepted.members.map((m) => m.id);
    await forbidden(vt, f, 'member.shielded', { memberId: second, from: [first] });
    await refused(director, f, 'member.shielded', 'notShieldedFromSelf', { memberId: second, from: [second] });
    const shielded = await ok(director, f, 'member.shielded', { memberId: second, from: [first] });
    expect(shielded.familyAccess?.members.find((m) => m.memberId === second)?.shieldedFrom).toEqual([first]);
    expect(shielded.allowedEvents).not.toContain('member.shielded'); // its own panel: familyAccess.canManage
    expect(shielded.familyAccess?.canManage).toBe(true);
    const planned = await send(director, f.id, 'plan.agreed', planFor(await current(vt, f.id)));
    await send(director, f.id, 'directSafety.achieved', {}, 'De geweldsdreiging is gestopt.');
    await forbidden(auditor, f, 'trauma.screened', screening);
    const screened = await ok(director, f, 'trauma.screened', screening);
    expect(screened.state.phase).toBe('stableSafety');
    expect(planned.machineVersion).toBe(2);

    // Closed: nothing of v2 applies any more (the state refuses).
    const g = await createV1Family(h, vt);
    await send(vt, g.id, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
    await send(vt, g.id, 'case.closed', { reasonCode: 'noGrounds' }, 'Geen grond.');
    await refused(vt, g, 'riskFactors.updated', null, { factors: [{ kind: 'debts', status: 'resolved' }] });
  });

  it('covers every event type people send', () => {
    for (const type of userTypes) {
      expect(covered.ok.has(type), `happy path for ${type}`).toBe(true);
      expect(covered.forbidden.has(type), `403 for ${type}`).toBe(true);
      expect(covered.unprocessable.has(type), `422 for ${type}`).toBe(true);
    }
  });

  it('keeps FamilyView consistent with the family after each event', async () => {
    const f: FamilyView = await createFamily(vt);
    expect(f.members.map((m) => m.alias)).toEqual(['Moeder', 'Vader', 'Kind A']);
    expect(f.deadlines.some((d) => d.kind === 'assessment' && d.status === 'open')).toBe(true);
  });
});
