import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyList, Monitoring } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { advance, createV1Family, handoverDecision, send, useVersionReader } from './flows.ts';

// GET /families additions (API.md "Families", issue 12 caseload, issue 11 items 4 and 14): the
// director's inbox and pending handovers, escalated, the orders, overdueKind, pendingDirector,
// overdue decided in SQL, and q matched literally.

describe.each(backends())('family list filters and orders (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let director2: Client;
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};

  const list = async (client: Client, query: string) => {
    const res = await client.get<FamilyList>(`/api/v1/families?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const idsOf = (l: FamilyList) => l.items.map((i) => i.id);

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, director2] = await Promise.all(['vt', 'director', 'director2'].map((u) => h.login(u))) as [Client, Client, Client];
    useVersionReader(vt);
    // A waits (Maastricht, reference with % and _); B is offered to director; C to director2;
    // D is accepted by director and escalated; E waits (reference with a plain 'x' where A has '_').
    // familyCase@1 families: the monitoring list's membership asserted below is v1's (under v2 a waiting
    // family whose interim contact is overdue is VT's work too: deadlinesV2.test.ts).
    const make = async (key: string, reference: string, overrides: Record<string, unknown> = {}) => {
      const f = await createV1Family(h, vt, { reference, ...overrides });
      ids[key] = f.id;
      refs[key] = reference;
    };
    await make('A', 'ZL-100%_A', { municipality: 'Maastricht' });
    await make('B', 'ZL-200-B');
    await make('C', 'ZL-300-C', { municipality: 'Kerkrade' });
    await make('D', 'ZL-400-D');
    await make('E', 'ZL-100x-E', { municipality: 'Sittard-Geleen' });
    for (const [k, d] of [['B', h.users.director], ['C', h.users.director2], ['D', h.users.director]] as const) {
      await send(vt, ids[k]!, 'assessment.started');
      await send(vt, ids[k]!, 'assessment.completed', handoverDecision(h, d.id), 'Lokaal team.');
    }
    await send(director, ids.D!, 'handover.accepted', {}, 'Akkoord.');
    await send(director, ids.D!, 'escalation.raised', { to: 'MDA++' }, 'Meerdere domeinen.');
  });
  afterAll(async () => {
    await h?.close();
  });

  it("lists a director's inbox and every pending handover, with the director it is offered to", async () => {
    const inbox = await list(director, 'handover=offeredToMe');
    expect(idsOf(inbox)).toEqual([ids.B]);
    expect(inbox.items[0]!.pendingDirector).toMatchObject({ id: h.users.director.id, displayName: 'Rita Regisseur' });
    expect(idsOf(await list(director2, 'handover=offeredToMe'))).toEqual([ids.C]);
    // VT has no handovers offered to it, but sees every pending one in its region.
    expect((await list(vt, 'handover=offeredToMe')).total).toBe(0);
    expect(idsOf(await list(vt, 'handover=pending&sort=reference'))).toEqual([ids.B, ids.C]);
    const view = await director.get<{ pendingDirector: unknown }>(`/api/v1/families/${ids.B}`);
    expect(view.body.pendingDirector).toMatchObject({ id: h.users.director.id, username: 'director' });
    // Accepted: out of the inbox.
    expect((await list(director, 'handover=offeredToMe&director=me')).total).toBe(0);
  });

  it('filters escalated families', async () => {
    expect(idsOf(await list(vt, 'escalated=true'))).toEqual([ids.D]);
    expect(idsOf(await list(director, 'escalated=true'))).toEqual([ids.D]);
    expect((await vt.get('/api/v1/families?escalated=false')).status).toBe(400);
  });

  it('orders by each sort key, ties by reference', async () => {
    const all = await list(vt, 'sort=reference');
    expect(all.items.map((i) => i.reference)).toEqual([...Object.values(refs)].sort());
    const byMunicipality = (await list(vt, 'sort=municipality')).items.map((i) => i.municipality);
    expect(byMunicipality).toEqual([...byMunicipality].sort());
    expect(byMunicipality[0]).toBe('Heerlen');
    // Phases in the order of the approach: the waiting families (reported) before the assessed ones.
    const byPhase = (await list(vt, 'sort=phase')).items.map((i) => i.state.phase.split('.')[0]);
    expect(byPhase).toEqual(['reported', 'reported', 'directSafety', 'directSafety', 'directSafety']);
    const reportedAsc = (await list(vt, 'sort=reportedAt')).items.map((i) => i.reportedAt);
    expect(reportedAsc).toEqual([...reportedAsc].sort());
    const reportedDesc = (await list(vt, 'sort=-reportedAt')).items.map((i) => i.reportedAt);
    expect(reportedDesc).toEqual([...reportedDesc].sort().reverse());
    const dueAsc = (await list(vt, 'sort=nextDueAt')).items.map((i) => i.nextDueAt).filter((d) => d !== null);
    expect(dueAsc).toEqual([...dueAsc].sort());
    expect(dueAsc.length).toBeGreaterThan(1);
    const dueDesc = (await list(vt, 'sort=-nextDueAt')).items.map((i) => i.nextDueAt).filter((d) => d !== null);
    expect(dueDesc).toEqual([...dueAsc].reverse());
    // The default is nextDueAt; pages follow the order without overlap.
    const byPage = [...idsOf(await list(vt, 'pageSize=2&page=1')), ...idsOf(await list(vt, 'pageSize=2&page=2')), ...idsOf(await list(vt, 'pageSize=2&page=3'))];
    expect(byPage).toEqual(idsOf(await list(vt, 'sort=nextDueAt')));
    const referenceDesc = (await list(vt, 'sort=-reference')).items.map((i) => i.reference);
    expect(referenceDesc).toEqual([...Object.values(refs)].sort().reverse());
    const phaseDesc = (await list(vt, 'sort=-phase')).items.map((i) => i.state.phase.split('.')[0]);
    expect(phaseDesc).toEqual(['directSafety', 'directSafety', 'directSafety', 'reported', 'reported']);
    expect((await vt.get('/api/v1/families?sort=name')).status).toBe(400);
  });

  it('matches q literally: % and _ are characters', async () => {
    expect(idsOf(await list(vt, 'q=%25'))).toEqual([ids.A]);
    expect(idsOf(await list(vt, 'q=_'))).toEqual([ids.A]);
    expect(idsOf(await list(vt, `q=${encodeURIComponent('100%_')}`))).toEqual([ids.A]);
    expect(idsOf(await list(vt, 'q=zl-100x'))).toEqual([ids.E]);
    expect(idsOf(await list(vt, 'q=ZL-100&sort=reference'))).toEqual([ids.A, ids.E]);
    expect((await list(vt, 'q=%5C')).total).toBe(0);
  });

  it('decides overdue in SQL and names the overdue deadline', async () => {
    expect((await list(vt, 'overdue=true')).total).toBe(0);
    expect(
      (await list(vt, 'overdue=false')).items.every((i) => !i.overdue && i.overdueKind === null && i.overdueSince === null),
    ).toBe(true);
    // Past five working days A and E's assessments are overdue; past the acceptance deadline B's and
    // C's handovers too (the norm's working days); D's monitoring check is not due yet.
    await advance(h, 8, vt, director, director2);
    const overdue = await list(vt, 'overdue=true&sort=reference');
    const byId = new Map(overdue.items.map((i) => [i.id, i]));
    expect(byId.get(ids.A!)).toMatchObject({ overdue: true, overdueKind: 'assessment' });
    expect(byId.get(ids.E!)).toMatchObject({ overdue: true, overdueKind: 'assessment' });
    expect(byId.get(ids.B!)).toMatchObject({ overdue: true, overdueKind: 'handoverAcceptance' });
    expect(byId.has(ids.D!)).toBe(false);
    expect(overdue.items.every((i) => i.overdueSince !== null && Date.parse(i.overdueSince) <= h.clock.now().getTime())).toBe(true);
    const notOverdue = await list(vt, 'overdue=false');
    expect(idsOf(notOverdue)).toContain(ids.D);
    expect(overdue.total + notOverdue.total).toBe(5);
    // Combined with the other filters, in SQL.
    expect(idsOf(await list(vt, 'overdue=true&handover=pending&sort=reference'))).toEqual([ids.B, ids.C]);
    expect(idsOf(await list(vt, 'overdue=true&municipality=Maastricht'))).toEqual([ids.A]);
    expect((await list(vt, 'overdue=true&pageSize=1&page=2')).items).toHaveLength(1);
    // The assessment completed: A's deadline is met (late), it is no longer overdue.
    await send(vt, ids.A!, 'assessment.started');
    const followUp = { decision: 'conditionsAndFollowUp', acute: false, structural: false, conditions: [{ description: 'Hulp accepteren' }] };
    await send(vt, ids.A!, 'assessment.completed', followUp, 'VT houdt regie.');
    expect(idsOf(await list(vt, 'overdue=true'))).not.toContain(ids.A);
  });

  it('lists a declined offer on VT\'s monitoring list as work to do, until it is offered again', async () => {
    await send(director, ids.B!, 'handover.declined', {}, 'Geen capaciteit.');
    const monitoring = await vt.get<Monitoring>('/api/v1/monitoring');
    const b = monitoring.body.items.find((i) => i.id === ids.B);
    expect(b).toMatchObject({
      state: { oversight: 'vtInvolved' },
      pendingDirector: null,
      declinedHandover: { declinedBy: { id: h.users.director.id, displayName: 'Rita Regisseur' }, reason: 'Geen capaciteit.' },
      overdue: true,
    });
    // Families VT holds that were never offered are not on the list; monitored ones carry no decline.
    expect(monitoring.body.items.map((i) => i.id)).not.toContain(ids.E);
    expect(monitoring.body.items.find((i) => i.id === ids.D)?.declinedHandover).toBeNull();
    expect(idsOf(await list(director, 'handover=offeredToMe'))).toEqual([]);
    await send(vt, ids.B!, 'handover.offered', { directorId: h.users.director2.id }, 'Andere regisseur.');
    const again = (await vt.get<Monitoring>('/api/v1/monitoring')).body.items.find((i) => i.id === ids.B);
    expect(again).toMatchObject({ state: { oversight: 'handoverPending' }, declinedHandover: null });
    expect(idsOf(await list(director2, 'handover=offeredToMe&sort=reference'))).toEqual([ids.B, ids.C]);
  });
});
