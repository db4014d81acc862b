import { describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { harnessForBlock } from './harness.ts';
import { advance, conferencePayload, createV1Family, v2Family, current, handoverDecision, iso, planFor, send, useVersionReader } from './flows.ts';

// API.md "Version 2 events and the family's view": FamilyView shows each familyCase@2 fact after the
// event that records it (read from the flat v2 context), and a v1 family gives null or empty lists.

describe.each(backends())("the family's view of familyCase@2 facts (%s)", (provider) => {
  const block = harnessForBlock(provider, ['vt', 'director']);

  it('a v1 family gives null and empty lists for every v2 fact', async () => {
    const { h, as } = block();
    const f = await createV1Family(h, as.vt);
    expect(f.triage).toBeNull();
    expect(f.interimContact).toBeNull();
    expect(f.investigation).toBeNull();
    expect(f.feedback).toBeNull();
    expect(f.firstContact).toBeNull();
    expect(f.conference).toBeNull();
    expect(f.riskFactors).toEqual([]);
    expect(f.screenings).toEqual([]);
    expect(f.screeningExcused).toEqual([]);
    expect(f.members.every((m) => m.expectedMonth === null)).toBe(true);
    // The move to v2 is offered (decided by v2's chart on the migrated snapshot), and then v2's facts show.
    expect(f.allowedEvents).toContain('case.upgraded');
    const moved = await send(as.vt, f.id, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
    expect(moved.allowedEvents).not.toContain('case.upgraded');
    expect(moved.feedback).toEqual({ reporter: null, household: null, owed: [] });
  });

  it('shows each v2 fact after its event, from report to closure', async () => {
    const { h, as } = block();
    const { vt, director } = as;
    useVersionReader(vt);
    const f = await v2Family(vt);
    expect(f.machineVersion).toBe(2);
    // Waiting: interim contact is due, none recorded yet.
    expect(f.interimContact).toMatchObject({ lastAt: null, with: null });
    expect(f.interimContact!.dueAt).not.toBeNull();
    expect(f.feedback).toEqual({ reporter: null, household: null, owed: [] });

    const triaged = await send(vt, f.id, 'triage.recorded', {
      urgency: 'high',
      instrument: 'lirik',
      score: 14,
      notes: 'Kinderen getuige van geweld.',
    });
    expect(triaged.triage).toMatchObject({ urgency: 'high', instrument: 'lirik', score: 14, notes: 'Kinderen getuige van geweld.' });
    expect(triaged.triage!.by!.displayName).toBe('Vera Veilig');

    await advance(h, 1, vt);
    const contacted = await send(vt, f.id, 'contact.interim', { with: 'household' });
    expect(contacted.interimContact!.with).toBe('household');
    expect(contacted.interimContact!.lastAt).not.toBeNull();
    expect(Date.parse(contacted.interimContact!.dueAt!)).toBeGreaterThan(Date.parse(f.interimContact!.dueAt!));

    // An unborn member: its birth year is the expected year (machines/schemas/requestIssues.test.ts: up to next year).
    const year = new Date(iso(h)).getUTCFullYear();
    const repeat = await send(vt, f.id, 'report.received', {
      source: 'professional',
      acute: false,
      summary: 'Moeder is zwanger.',
      violenceForms: [],
      members: [{ alias: 'Baby', kind: 'unborn', birthYear: year, expectedMonth: `${year}-12` }],
    });
    expect(repeat.members.find((m) => m.alias === 'Baby')).toMatchObject({ kind: 'unborn', expectedMonth: `${year}-12` });
    expect(repeat.members.find((m) => m.alias === 'Moeder')!.expectedMonth).toBeNull();

    await send(vt, f.id, 'assessment.started');
    const assessing = await current(vt, f.id);
    expect(assessing.interimContact).toMatchObject({ with: 'household', dueAt: null });

    const waiting = await send(
      vt,
      f.id,
      'assessment.completed',
      {
        decision: 'investigate',
        acute: false,
        structural: true,
        conditions: [],
        riskFactors: [{ kind: 'debts', notes: 'Schulden bij de woningcorporatie.' }, { kind: 'housing' }],
      },
      'Onderzoek nodig.',
    );
    expect(waiting.investigation).toEqual({ status: 'waiting', startedAt: null });
    expect(waiting.riskFactors.map((r) => [r.kind, r.status, r.notes])).toEqual([
      ['debts', 'present', 'Schulden bij de woningcorporatie.'],
      ['housing', 'present', null],
    ]);
    expect(waiting.feedback!.owed.map((o) => o.to).sort()).toEqual(['household', 'reporter']);
    expect(waiting.feedback!.owed.every((o) => !o.missed && Date.parse(o.dueAt) > Date.parse(iso(h)))).toBe(true);

    const ongoing = await send(vt, f.id, 'investigation.started');
    expect(ongoing.investigation!.status).toBe('ongoing');
    expect(ongoing.investigation!.startedAt).not.toBeNull();

    const told = await send(vt, f.id, 'reporter.informed', { channel: 'phone' });
    expect(told.feedback!.reporter!.channel).toBe('phone');
    expect(told.feedback!.owed.map((o) => o.to)).toEqual(['household']);
    const both = await send(vt, f.id, 'household.informed', { channel: 'letter' });
    expect(both.feedback).toMatchObject({ household: { channel: 'letter' }, owed: [] });

    await send(vt, f.id, 'investigation.completed', handoverDecision(h, h.users.director.id), 'Naar het lokale team.');
    const accepted = await send(director, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
    expect(accepted.investigation).toBeNull();
    expect(accepted.firstContact).toMatchObject({ at: null, with: [], warm: null, firstPlanAt: null });
    expect(accepted.firstContact!.dueAt).not.toBeNull();
    expect(accepted.firstContact!.firstPlanDueAt).not.toBeNull();

    const escalated = await send(director, f.id, 'escalation.raised', { to: 'MDA++', obstacles: ['waitingList', 'noConsent'] }, 'Vastgelopen.');
    expect(escalated.escalations.at(-1)!.obstacles).toEqual(['waitingList', 'noConsent']);

    const mother = accepted.members.find((m) => m.alias === 'Moeder')!.id;
    const met = await send(director, f.id, 'contact.first', { with: [mother], warm: true });
    expect(met.firstContact).toMatchObject({ with: [mother], warm: true, dueAt: null });
    expect(met.firstContact!.at).not.toBeNull();

    const conferred = await send(director, f.id, 'conference.held', conferencePayload(h, mother, 'mdaPlusPlus', 14, 42));
    expect(conferred.conference).toMatchObject({
      kind: 'mdaPlusPlus',
      withMandate: true,
      agreements: [
        { description: 'Huisbezoek samen met de wijkagent', responsible: 'Wijkteam', dueAt: iso(h, 14) },
        { description: 'Schuldhulp aanvragen', responsible: 'Moeder', dueAt: null },
      ],
      nextAt: iso(h, 42),
    });
    expect(conferred.state.escalation).toBe('none');

    const updated = await send(director, f.id, 'riskFactors.updated', {
      factors: [
        { kind: 'debts', status: 'reduced', notes: 'Regeling getroffen.' },
        { kind: 'housing', status: 'resolved' },
      ],
    });
    expect(updated.riskFactors.map((r) => [r.kind, r.status, r.notes])).toEqual([
      ['debts', 'reduced', 'Regeling getroffen.'],
      ['housing', 'resolved', null],
    ]);

    const planned = await send(director, f.id, 'plan.agreed', planFor(updated));
    expect(planned.firstContact!.firstPlanAt).not.toBeNull();
    expect(planned.firstContact!.firstPlanDueAt).toBeNull();
    const stable = await send(director, f.id, 'directSafety.achieved', {}, 'De geweldsdreiging is gestopt.');
    const checked = await send(vt, f.id, 'monitoring.checkRecorded', {
      results: [{ conditionId: stable.conditions[0]!.id, met: true }],
      recoveryAttention: true,
    });
    expect(checked.checks.at(-1)!.recoveryAttention).toBe(true);

    const child = stable.members.find((m) => m.kind === 'child')!.id;
    const screened = await send(director, f.id, 'trauma.screened', { memberId: child, outcome: 'referred', by: 'GGZ-team' });
    expect(screened.screenings).toEqual([expect.objectContaining({ memberId: child, outcome: 'referred', by: 'GGZ-team' })]);

    await advance(h, 200, vt, director);
    const before = await current(director, f.id);
    await send(
      director,
      f.id,
      'stability.confirmed',
      { participants: before.members.map((m) => ({ memberId: m.id })), professionals: ['Wijkteam'] },
      'Zes maanden rustig; samen beoordeeld.',
    );
    const others = before.members.filter((m) => m.id !== child);
    const closed = await send(
      director,
      f.id,
      'recovery.completed',
      { excused: others.map((m) => ({ memberId: m.id, reason: 'Geen aanleiding volgens het wijkteam.' })) },
      'Herstel afgerond.',
    );
    expect(closed.state.phase).toBe('closed');
    expect(closed.screeningExcused.map((x) => x.memberId).sort()).toEqual(others.map((m) => m.id).sort());
    expect(closed.screenings.map((x) => x.memberId)).toEqual([child]);
    expect(closed.conference).toBeNull();
    expect(closed.firstContact).toBeNull();
  });
});
