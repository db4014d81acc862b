import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kpis, MunicipalityKpis } from '../../contract/index.ts';
import { regions } from '../../machines/schemas/regions.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { createFamily, handoverDecision, send, useVersionReader } from './flows.ts';
import { parseCsv } from '../support/csv.ts';

// Issue 13's figures on a small history whose every value is worked out by hand below, with working
// days around Easter 2026 (Good Friday 3 April is a working day, Easter Monday 6 April is not),
// Koningsdag (Monday 27 April 2026) and Christmas (Friday 25 and Saturday 26 December 2026).
// Instants are UTC; the local (Amsterdam) date is the same day in each case.
//
// Heerlen, spring 2026:
//   H1 reported Mon 30-03 10:00 local. Assessment started and completed (handover offered) Thu 02-04:
//      wait 3 days. Deadline: 5 working days = Tue 31, Wed 1, Thu 2, Fri 3 (Good Friday), Tue 7 (Easter
//      Monday skipped) → due Tue 07-04; completed Thu 02-04 → in time. Accepted Tue 07-04: the working
//      days after Thu 2 up to Tue 7 are Fri 3 and Tue 7 → 2 working days.
//   H4 reported Thu 02-04 10:00 local. Due: Fri 3, Tue 7, Wed 8, Thu 9, Fri 10 → Fri 10-04 10:00 local.
//      Started and completed Fri 10-04 12:00 local → late (with Good Friday off it would have been due
//      Mon 13-04 and in time). Wait: 8 days and 2 hours = 8.083 days.
//   H2 reported Tue 21-04. Started and completed (handover offered) Fri 24-04: wait 3 days, in time.
//      Accepted Tue 28-04: after Fri 24 come Sat, Sun, Koningsdag (Mon 27), Tue 28 → 1 working day.
//   Escalations: H1 to MDA++, H2 to ZVH, both Tue 28-04.
//   April (30-03 … 30-04): reports 3; waits 3, 3, 8.083 → median 3, p90 (nearest rank 3 of 3) 8.083;
//   assessed in time 2 of 3 → 0.667 against 0.9; handover acceptance 2 and 1 working days → median
//   1.5, p90 (rank 2 of 2) 2; escalations MDA++ 1, ZVH 1, RvdK 0; Heerlen per 10,000 inhabitants:
//   3 / 87,510 × 10,000 = 0.343.
// Maastricht, Christmas 2026:
//   H3 reported Mon 21-12 10:00 local. Due: Tue 22, Wed 23, Thu 24, Mon 28 (Fri 25 Christmas, Sat 26),
//      Tue 29 → due Tue 29-12. Started and completed (handover offered) Wed 23-12: wait 2 days, in
//      time. Accepted Tue 29-12: after Wed 23 come Thu 24, Fri 25 (Christmas), Sat 26 (second Christmas
//      day and Saturday), Sun 27, Mon 28, Tue 29 → 3 working days.

const HEERLEN_POPULATION = 87_510;

describe.each(backends())('KPI figures by hand (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let auditor: Client;
  let vtOther: Client;
  const ids: Record<string, string> = {};

  async function at(instant: string) {
    const res = await vt.post<{ now: string }>('/api/v1/clock', { set: instant });
    expect(res.status, res.text).toBe(200);
  }

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, auditor, vtOther] = (await Promise.all(['vt', 'director', 'auditor', 'vtother'].map((u) => h.login(u)))) as [
      Client,
      Client,
      Client,
      Client,
    ];
    useVersionReader(vt);
    const followUp = { decision: 'conditionsAndFollowUp', acute: false, structural: false, conditions: [{ description: 'Hulp accepteren' }] };
    await at('2026-03-30T08:00:00.000Z');
    ids.H1 = (await createFamily(vt, { municipality: 'Heerlen' })).id;
    await at('2026-04-02T08:00:00.000Z');
    ids.H4 = (await createFamily(vt, { municipality: 'Heerlen' })).id;
    await send(vt, ids.H1, 'assessment.started');
    await send(vt, ids.H1, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Lokaal team.');
    await at('2026-04-07T08:00:00.000Z');
    await send(director, ids.H1, 'handover.accepted', {}, 'Akkoord.');
    await at('2026-04-10T10:00:00.000Z');
    await send(vt, ids.H4, 'assessment.started');
    await send(vt, ids.H4, 'assessment.completed', followUp, 'VT houdt regie.');
    await at('2026-04-21T08:00:00.000Z');
    ids.H2 = (await createFamily(vt, { municipality: 'Heerlen' })).id;
    await at('2026-04-24T08:00:00.000Z');
    await send(vt, ids.H2, 'assessment.started');
    await send(vt, ids.H2, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Lokaal team.');
    await at('2026-04-28T08:00:00.000Z');
    await send(director, ids.H2, 'handover.accepted', {}, 'Akkoord.');
    await send(director, ids.H1, 'escalation.raised', { to: 'MDA++' }, 'Meerdere domeinen.');
    await send(director, ids.H2, 'escalation.raised', { to: 'ZVH' }, 'Zorg en veiligheid.');
    await at('2026-12-21T09:00:00.000Z');
    ids.H3 = (await createFamily(vt, { municipality: 'Maastricht' })).id;
    await at('2026-12-23T09:00:00.000Z');
    await send(vt, ids.H3, 'assessment.started');
    await send(vt, ids.H3, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Lokaal team.');
    await at('2026-12-29T09:00:00.000Z');
    await send(director, ids.H3, 'handover.accepted', {}, 'Akkoord.');
  });
  afterAll(async () => {
    await h?.close();
  });

  const APRIL = 'from=2026-03-30&to=2026-04-30';

  it('computes each figure of the spring as worked out by hand (Easter, Koningsdag)', async () => {
    const res = await vt.get<Kpis>(`/api/v1/kpis?${APRIL}`);
    expect(res.status, res.text).toBe(200);
    const k = res.body;
    expect(k.reports.count).toMatchObject({ value: 3, unit: 'count', basis: 3 });
    expect(k.assessmentWait.median).toMatchObject({ value: 3, basis: 3 });
    expect(k.assessmentWait.p90).toMatchObject({ value: 8.083, basis: 3 });
    expect(k.assessedWithinDeadline).toMatchObject({ value: 0.667, unit: 'share', basis: 3, target: 0.9 });
    expect(k.investigationsWithinTenWeeks).toMatchObject({ value: null, basis: 0, target: 0.8 });
    expect(k.handoverAcceptance.median).toMatchObject({ value: 1.5, unit: 'workingDays', basis: 2 });
    expect(k.handoverAcceptance.p90).toMatchObject({ value: 2, unit: 'workingDays', basis: 2 });
    expect(k.escalations.value).toBe(2);
    expect(k.escalationsByDestination['MDA++'].value).toBe(1);
    expect(k.escalationsByDestination.ZVH.value).toBe(1);
    expect(k.escalationsByDestination.RvdK).toMatchObject({ value: 0, basis: 0 });
    // Figures without a norm carry no target.
    expect(k.assessmentWait.median.target).toBeUndefined();
    expect(k.handoverAcceptance.median.target).toBeUndefined();
    // VT of South Limburg: the 16 municipalities' inhabitants added up by hand; 3 / 596,937 × 10,000 = 0.050.
    expect(k.reports.population).toBe(596_937);
    expect(k.reports.per10k).toMatchObject({ value: 0.05, unit: 'per10k', basis: 3 });
    for (const kpi of [k.handoverAcceptance.median, k.reports.per10k, k.escalationsByDestination.ZVH]) {
      expect(kpi.definition.nl).not.toMatch(/reported|directSafety|handoverPending/);
      expect(kpi.definition.en.length).toBeGreaterThan(20);
    }
  });

  it('counts reports per 10,000 inhabitants of one municipality', async () => {
    const heerlen = await auditor.get<Kpis>(`/api/v1/kpis?${APRIL}&municipality=Heerlen`);
    expect(heerlen.body.reports.population).toBe(HEERLEN_POPULATION);
    expect(heerlen.body.reports.per10k).toMatchObject({ value: 0.343, unit: 'per10k', basis: 3 });
    const maastricht = await auditor.get<Kpis>(`/api/v1/kpis?${APRIL}&municipality=Maastricht`);
    expect(maastricht.body.reports.count.value).toBe(0);
    expect(maastricht.body.reports.per10k.value).toBe(0);
  });

  it('counts working days around Christmas', async () => {
    const res = await vt.get<Kpis>('/api/v1/kpis?from=2026-12-01&to=2026-12-31&municipality=Maastricht');
    const k = res.body;
    expect(k.handoverAcceptance.median).toMatchObject({ value: 3, basis: 1 });
    expect(k.assessedWithinDeadline).toMatchObject({ value: 1, basis: 1 });
    expect(k.assessmentWait.median).toMatchObject({ value: 2, basis: 1 });
  });

  it('compares the municipalities: how long families wait, and where', async () => {
    const res = await vt.get<MunicipalityKpis>(`/api/v1/kpis/municipalities?${APRIL}`);
    expect(res.status, res.text).toBe(200);
    const m = res.body;
    expect(m.municipalities.map((r) => r.municipality).sort()).toEqual([...regions['zuid-limburg']].sort());
    // Longest median wait first: only Heerlen had assessments in April.
    expect(m.municipalities[0]).toEqual({
      municipality: 'Heerlen',
      population: HEERLEN_POPULATION,
      waitingCount: 0,
      waitingOldestDays: null,
      waitMedianDays: 3,
      waitP90Days: 8.083,
      waitBasis: 3,
      assessedWithinDeadline: 0.667,
      assessedBasis: 3,
      reports: 3,
      reportsPer10k: 0.343,
    });
    const vaals = m.municipalities.find((r) => r.municipality === 'Vaals')!;
    expect(vaals).toMatchObject({ waitMedianDays: null, reports: 0, reportsPer10k: 0, population: expect.any(Number) });
    expect(m.assessedTarget).toBe(0.9);
    expect(m.definitions.waitMedianDays.nl).toMatch(/melding/);
    // Another region sees none of this region's families and none of its municipalities.
    const other = await vtOther.get<MunicipalityKpis>(`/api/v1/kpis/municipalities?${APRIL}`);
    expect(other.body.municipalities.every((r) => r.reports === 0 && r.municipality !== 'Heerlen')).toBe(true);
    // The auditor sees every family: the facts are read alone (each carries its municipality), not
    // through the region's families, and give the same row.
    const all = await auditor.get<MunicipalityKpis>(`/api/v1/kpis/municipalities?${APRIL}`);
    expect(all.status, all.text).toBe(200);
    expect(all.body.municipalities.find((r) => r.municipality === 'Heerlen')).toEqual(m.municipalities[0]);
    expect((await director.get('/api/v1/kpis/municipalities')).status).toBe(403);
    const bad = await vt.get('/api/v1/kpis/municipalities?from=2026-05-01&to=2026-04-01');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('serves the same figures as CSV, access-logged like the JSON', async () => {
    const json = (await auditor.get<Kpis>(`/api/v1/kpis?${APRIL}&municipality=Heerlen`)).body;
    const before = await h.db.prisma.accessLog.count({ where: { action: 'kpis', userId: h.users.auditor.id } });
    const csv = await auditor.request('GET', `/api/v1/kpis?${APRIL}&municipality=Heerlen`, undefined, { headers: { Accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    expect(await h.db.prisma.accessLog.count({ where: { action: 'kpis', userId: h.users.auditor.id } })).toBe(before + 1);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['figure', 'value', 'unit', 'basis', 'target', 'definition_nl', 'definition_en']);
    // Every figure of the JSON is one row with the same value, unit, basis, target and definitions, and
    // every other value (period, municipality, population) a row with its value.
    const expected: string[][] = [];
    const walk = (v: unknown, path: string) => {
      if (v && typeof v === 'object' && 'definition' in v) {
        const kpi = v as Kpis['assessedWithinDeadline'];
        expected.push([path, str(kpi.value), kpi.unit, String(kpi.basis), str(kpi.target ?? null), kpi.definition.nl, kpi.definition.en]);
      } else if (v && typeof v === 'object') {
        for (const [key, x] of Object.entries(v)) walk(x, path ? `${path}.${key}` : key);
      } else {
        expected.push([path, str(v as string | number | null), '', '', '', '', '']);
      }
    };
    // generatedAt is the clock's now in both answers (the manual clock does not move between them).
    walk(json, '');
    expect(rows).toEqual(expected);
    expect(rows.find((r) => r[0] === 'assessedWithinDeadline')).toEqual(expect.arrayContaining(['0.667', 'share', '3', '0.9']));

    const mJson = (await vt.get<MunicipalityKpis>(`/api/v1/kpis/municipalities?${APRIL}`)).body;
    const mCsv = await vt.request('GET', `/api/v1/kpis/municipalities?${APRIL}`, undefined, { headers: { Accept: 'text/csv' } });
    const [mHeader, ...mRows] = parseCsv(mCsv.text);
    expect(mRows).toEqual(mJson.municipalities.map((r) => mHeader!.map((c) => str(r[c as keyof typeof r]))));
    expect(mHeader).toContain('waitMedianDays');
  });
});

function str(v: string | number | boolean | null): string {
  return v === null ? '' : String(v);
}
