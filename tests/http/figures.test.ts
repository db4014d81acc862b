import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kpis, Monitoring } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { advance, createFamily, handoverDecision, send, useVersionReader } from './flows.ts';

// The monitoring list and the figures, on a small history whose numbers are known in advance.

describe.each(backends())('monitoring and figures (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let auditor: Client;
  let vtOther: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, auditor, vtOther] = await Promise.all(['vt', 'director', 'auditor', 'vtother'].map((u) => h.login(u))) as [Client, Client, Client, Client];
    useVersionReader(vt);
    // Monday 09:00. A waits (Maastricht); B and C wait two days; C was acute; D is assessed at once
    // and handed over; E is offered but not yet accepted.
    ids.A = (await createFamily(vt, { municipality: 'Maastricht' })).id;
    ids.B = (await createFamily(vt)).id;
    ids.C = (await createFamily(vt, { acute: true })).id;
    ids.D = (await createFamily(vt)).id;
    ids.E = (await createFamily(vt)).id;
    for (const k of ['D', 'E']) {
      await send(vt, ids[k]!, 'assessment.started');
      await send(vt, ids[k]!, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Lokaal team.');
    }
    await send(director, ids.D!, 'handover.accepted', {}, 'Akkoord.');
    await send(director, ids.D!, 'escalation.raised', { to: 'MDA++' }, 'Meerdere domeinen.');
    await advance(h, 2, vt, director, auditor, vtOther);
    const followUp = { decision: 'conditionsAndFollowUp', acute: false, structural: false, conditions: [{ description: 'Hulp accepteren' }] };
    for (const k of ['B', 'C']) await send(vt, ids[k]!, 'assessment.started');
    await advance(h, 1, vt, director, auditor, vtOther);
    for (const k of ['B', 'C']) await send(vt, ids[k]!, 'assessment.completed', followUp, 'VT houdt regie.');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists monitored families and pending handovers for VT, with conditions and due checks', async () => {
    const res = await vt.get<Monitoring>('/api/v1/monitoring');
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((i) => [i.id, i]));
    expect([...byId.keys()].sort()).toEqual([ids.D, ids.E].sort());
    const d = byId.get(ids.D!)!;
    expect(d.state.oversight).toBe('monitoring');
    expect(d.caseDirector?.id).toBe(h.users.director.id);
    expect(d.conditions).toHaveLength(1);
    expect(d.nextCheckDue).not.toBeNull();
    const e = byId.get(ids.E!)!;
    expect(e.state.oversight).toBe('handoverPending');
    expect(e.pendingDirector?.id).toBe(h.users.director.id);
    expect(e.acceptanceDue).not.toBeNull();
    expect((await director.get('/api/v1/monitoring')).status).toBe(403);
    expect((await vtOther.get<Monitoring>('/api/v1/monitoring')).body.items).toEqual([]);
  });

  it('computes the figures from the history, each with a Dutch and English definition', async () => {
    const res = await vt.get<Kpis>('/api/v1/kpis?from=2025-03-01&to=2025-03-31');
    expect(res.status, res.text).toBe(200);
    const k = res.body;
    expect(k.waitingList.count.value).toBe(1); // A
    expect(k.waitingList.oldestDays.value).toBe(3);
    expect(k.waitingList.oldestSince).toBe('2025-03-03T09:00:00.000Z');
    // Waits: D and E 0 days, B and C 2 days.
    expect(k.assessmentWait.median).toMatchObject({ value: 1, unit: 'days', basis: 4 });
    expect(k.assessmentWait.p90.value).toBe(2);
    // In time: D, E (same day) and B (within 5 working days); C was acute and took 3 days.
    expect(k.assessedWithinDeadline).toMatchObject({ value: 0.75, unit: 'share', basis: 4 });
    expect(k.investigationsWithinTenWeeks.value).toBeNull();
    expect(k.timePerPhase.reported).toMatchObject({ value: 1, basis: 4 });
    expect(k.timePerPhase.assessment).toMatchObject({ value: 0.5, basis: 4 });
    expect(k.escalations.value).toBe(1);
    expect(k.repeatReports.value).toBe(0);
    for (const kpi of [k.waitingList.count, k.assessmentWait.median, k.assessedWithinDeadline, k.stagnationSignals, k.incidentsAfterStableSafety]) {
      expect(kpi.definition.nl.length).toBeGreaterThan(20);
      expect(kpi.definition.en.length).toBeGreaterThan(20);
    }
  });

  it('filters by municipality and period, and counts only what the caller may see', async () => {
    const maastricht = await auditor.get<Kpis>('/api/v1/kpis?municipality=Maastricht&from=2025-03-01&to=2025-03-31');
    expect(maastricht.body.waitingList.count.value).toBe(1);
    expect(maastricht.body.assessmentWait.median.value).toBeNull();
    const before = await auditor.get<Kpis>('/api/v1/kpis?from=2025-01-01&to=2025-02-28');
    expect(before.body.assessedWithinDeadline.basis).toBe(0);
    const other = await vtOther.get<Kpis>('/api/v1/kpis?from=2025-03-01&to=2025-03-31');
    expect(other.body.waitingList.count.value).toBe(0);
    expect(other.body.assessmentWait.median.basis).toBe(0);
    expect((await director.get('/api/v1/kpis')).status).toBe(403);
  });

  it('filters the family list by phase, municipality, director, overdue and text', async () => {
    const list = async (q: string) =>
      (await vt.get<{ items: { id: string; overdue: boolean }[]; total: number }>(`/api/v1/families?${q}`)).body;
    expect((await list('phase=reported')).items.map((i) => i.id)).toEqual([ids.A]);
    expect((await list('phase=directSafety')).total).toBe(4);
    expect((await list('municipality=Maastricht')).items.map((i) => i.id)).toEqual([ids.A]);
    const mine = await director.get<{ items: { id: string }[] }>('/api/v1/families?director=me');
    expect(mine.body.items.map((i) => i.id)).toEqual([ids.D]);
    // C's acute 24 hours passed before its assessment was completed, but it was completed: nothing is overdue now.
    expect((await list('overdue=true')).total).toBe(0);
    expect((await list('overdue=false')).total).toBe(5);
    const paged = await list('pageSize=2&page=2');
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBe(5);
    const ref = (await vt.get<{ reference: string }>(`/api/v1/families/${ids.B}`)).body.reference;
    expect((await list(`q=${ref.toLowerCase()}`)).items.map((i) => i.id)).toEqual([ids.B]);
  });

  it('marks a family overdue once its assessment deadline has passed', async () => {
    await advance(h, 7, vt, director, auditor, vtOther);
    const res = await vt.get<{ items: { id: string; overdue: boolean }[] }>('/api/v1/families?overdue=true');
    expect(res.body.items.map((i) => i.id)).toContain(ids.A);
    expect(res.body.items.every((i) => i.overdue)).toBe(true);
    const notOverdue = await vt.get<{ items: { id: string }[] }>('/api/v1/families?overdue=false');
    expect(notOverdue.body.items.map((i) => i.id)).not.toContain(ids.A);
  });
});
