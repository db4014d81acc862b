import { beforeAll, describe, expect, it } from 'vitest';
import { defaultNorms } from '../../machines/index.ts';
import type { Kpis } from '../../contract/index.ts';
import type { Principal } from '../../server/auth/policy.ts';
import { backends } from '../support/db.ts';
import { parseCsv } from '../support/csv.ts';
import { projectionProblems } from '../support/invariants.ts';
import { referenceKpiData, referenceV2Figures } from '../support/kpiReference.ts';
import { harnessForBlock, type Client, type Harness } from './harness.ts';
import { advance, handoverDecision, iso, send, useVersionReader, v2Family } from './flows.ts';

// Issue 14: the familyCase@2 figures of GET /kpis, from KPI facts written with each event: the wait
// from the decision to investigate to its start, feedback to reporter and household in time, days
// without help after a handover, working days from a serious incident to the next conference, and
// escalations and stagnation signals by obstacle. Hand-computed for a week in March 2025 (the harness
// starts on Monday 3 March, 09:00), and equal to a fresh fold of the histories for several periods.

describe.each(backends())('familyCase@2 figures in GET /kpis (%s)', (provider) => {
  const started = harnessForBlock(provider, ['vt', 'director', 'auditor'] as const);
  let h: Harness;
  let vt: Client;
  let director: Client;
  let auditor: Client;
  let start: Date;

  beforeAll(async () => {
    ({ h, as: { vt, director, auditor } } = started());
    useVersionReader(vt);
    start = h.clock.now();
    // Monday: an investigation decided, a handover accepted, a serious incident, an escalation with two obstacles.
    const investigated = await v2Family(vt);
    await send(vt, investigated.id, 'assessment.started');
    await send(vt, investigated.id, 'assessment.completed', { decision: 'investigate', acute: false, structural: true, conditions: [] }, 'Onderzoek nodig.');
    const handedOver = await v2Family(vt);
    await send(vt, handedOver.id, 'assessment.started');
    await send(vt, handedOver.id, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Naar het lokale team.');
    await send(director, handedOver.id, 'handover.accepted', {}, 'Ik neem de regie.');
    const incident = await v2Family(vt);
    await send(vt, incident.id, 'incident.reported', { occurredAt: iso(h, 0), severity: 'serious', description: 'Politie ter plaatse na ruzie.' });
    const escalated = await v2Family(vt);
    await send(vt, escalated.id, 'escalation.raised', { to: 'MDA++', obstacles: ['waitingList', 'noCapacity'] }, 'Hulp komt niet op gang.');
    // Wednesday: the reporter hears back in time. Thursday: the investigation starts, 3 days after the decision.
    await advance(h, 2, vt);
    await send(vt, investigated.id, 'reporter.informed', { channel: 'phone' });
    await advance(h, 1, vt);
    await send(vt, investigated.id, 'investigation.started');
    // Friday: the local team's first contact, 4 working days after accepting.
    await advance(h, 1, vt);
    const mother = handedOver.members[0]!.id;
    await send(director, handedOver.id, 'contact.first', { with: [mother], warm: false });
    // The next Monday: a conference on the incident, 5 working days later.
    await advance(h, 3, vt);
    await send(vt, incident.id, 'conference.held', {
      kind: 'actieOverleg',
      heldAt: iso(h, 0),
      participants: [{ memberId: incident.members[0]!.id }],
      agreements: [{ description: 'Veiligheidsplan opstellen', responsible: 'Wijkteam' }],
    });
    // Saturday: the household hears back, late (due Monday 09:00). Meanwhile the two families still
    // waiting stagnate (10 days in `reported`), one of them escalated.
    await advance(h, 5, vt);
    await send(vt, investigated.id, 'household.informed', { channel: 'letter' });
  });

  const figures = async (query = '') => {
    const res = await vt.get<Kpis>(`/api/v1/kpis${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  it('gives the hand-computed figures for the week', async () => {
    const k = await figures();
    expect(k.investigationStartWait.median).toMatchObject({ value: 3, unit: 'days', basis: 1 });
    expect(k.feedbackInTime.reporter).toMatchObject({ value: 1, unit: 'share', basis: 1 });
    expect(k.feedbackInTime.household).toMatchObject({ value: 0, unit: 'share', basis: 1 });
    expect(k.daysWithoutHelp.median).toMatchObject({ value: 4, unit: 'workingDays', basis: 1 });
    expect(k.daysWithoutHelp.p90.value).toBe(4);
    expect(k.incidentToConference.median).toMatchObject({ value: 5, unit: 'workingDays', basis: 1 });
    expect(k.obstacles.escalations.waitingList.value).toBe(1);
    expect(k.obstacles.escalations.noCapacity.value).toBe(1);
    expect(k.obstacles.escalations.legal.value).toBe(0);
    expect(k.obstacles.stagnation.waitingList.value).toBe(1);
    expect(k.obstacles.stagnation.noCapacity.value).toBe(1);
    expect(k.obstacles.stagnation.none.value).toBe(1);
    expect(k.stagnationSignals.value).toBe(2);
    expect(k.daysWithoutHelp.median.definition.nl).toMatch(/^Dagen zonder hulp/);
  });

  it('equals a fresh fold of the histories, for several periods', async () => {
    expect(await projectionProblems(h.db)).toEqual([]);
    const vtUser = h.users.vt;
    const principal: Principal = { id: vtUser.id, username: vtUser.username, displayName: vtUser.displayName, roles: ['vt'], region: 'zuid-limburg' };
    const now = h.clock.now();
    const day = 86_400_000;
    const periods = [
      { from: new Date(start.getTime() - day), to: now },
      { from: new Date(start.getTime() + 2.5 * day), to: now },
      { from: start, to: new Date(start.getTime() + 3.5 * day) },
    ];
    for (const scope of periods) {
      const k = await figures(`?from=${scope.from.toISOString()}&to=${scope.to.toISOString()}`);
      const expected = referenceV2Figures(await referenceKpiData(h.db, principal, scope), scope, defaultNorms);
      const { investigationStartWait, feedbackInTime, daysWithoutHelp, incidentToConference, obstacles } = k;
      expect({ investigationStartWait, feedbackInTime, daysWithoutHelp, incidentToConference, obstacles }).toEqual(expected);
    }
  });

  it('serves them as CSV rows with their definitions', async () => {
    const csv = await auditor.request('GET', '/api/v1/kpis', undefined, { headers: { Accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.text);
    expect(rows.find((r) => r[0] === 'daysWithoutHelp.median')).toEqual(expect.arrayContaining(['4', 'workingDays', '1']));
    expect(rows.find((r) => r[0] === 'obstacles.stagnation.none')?.[1]).toBe('1');
  });
});
