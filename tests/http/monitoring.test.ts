import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Monitoring, MonitoringItem } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { advance, createV1Family, handedOver, handoverDecision, send, useVersionReader } from './flows.ts';

// GET /monitoring pages in the database (page, pageSize, total) over columns the write path keeps
// (server/engine/projections.ts), ordered by the earliest due date, so overdue first. The families
// are familyCase@1 families: the order asserted here is that of v1's deadlines (condition checks and
// handover acceptance); v2's missed first contacts and first plans, which come first, are in
// deadlinesV2.test.ts.

const dueOf = (i: MonitoringItem) => [i.nextCheckDue, i.acceptanceDue].filter((d): d is string => d !== null).sort()[0] ?? null;

describe.each(backends())('monitoring list, paged (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let director2: Client;
  let vtOther: Client;
  const monitored: string[] = [];
  const pending: string[] = [];

  const list = async (client: Client, query = '') => {
    const res = await client.get<Monitoring>(`/api/v1/monitoring${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, director2, vtOther] = (await Promise.all(['vt', 'director', 'director2', 'vtother'].map((u) => h.login(u)))) as [
      Client,
      Client,
      Client,
      Client,
    ];
    useVersionReader(vt);
    // Five families under monitoring, a day apart (so their checks fall due a day apart), two
    // handovers offered and not yet accepted, and one family on the waiting list.
    for (let i = 0; i < 5; i++) {
      monitored.push((await handedOver(h, vt, director, h.users.director.id, 1)).id);
      await advance(h, 1, vt, director, director2, vtOther);
    }
    for (let i = 0; i < 2; i++) {
      const f = await createV1Family(h, vt);
      await send(vt, f.id, 'assessment.started');
      await send(vt, f.id, 'assessment.completed', handoverDecision(h, h.users.director2.id), 'Lokaal team 2.');
      pending.push(f.id);
    }
    await createV1Family(h, vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers the first page of 50 with the total, ordered by the earliest due date', async () => {
    const all = await list(vt);
    expect(all).toMatchObject({ total: 7, page: 1, pageSize: 50 });
    expect(all.items.map((i) => i.id).sort()).toEqual([...monitored, ...pending].sort());
    expect(all.items.every((i) => dueOf(i) !== null)).toBe(true);
    // Ties (conditions due a day apart can share a due date across a weekend) go by reference.
    const key = (i: MonitoringItem) => `${dueOf(i)} ${i.reference}`;
    expect(all.items.map(key)).toEqual(all.items.map(key).sort());
    // Acceptance is due within five working days, the first condition check only after thirty days.
    expect(all.items.slice(0, 2).map((i) => i.id).sort()).toEqual([...pending].sort());
    expect(all.items.every((i) => !i.overdue)).toBe(true);
  });

  it('pages through the same order, and answers an empty page beyond the end', async () => {
    const all = (await list(vt)).items.map((i) => i.id);
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await list(vt, `?page=${page}&pageSize=3`);
      expect(res).toMatchObject({ total: 7, page, pageSize: 3 });
      expect(res.items.length).toBe(page < 3 ? 3 : 1);
      pages.push(...res.items.map((i) => i.id));
    }
    expect(pages).toEqual(all);
    expect(await list(vt, '?page=4&pageSize=3')).toMatchObject({ items: [], total: 7, page: 4 });
    expect((await list(vt, '?pageSize=200')).items).toHaveLength(7);
  });

  it('refuses a page size over 200, a page below 1 and unknown parameters', async () => {
    for (const q of ['?pageSize=201', '?pageSize=0', '?page=0', '?page=x', '?sort=due']) {
      const res = await vt.get(`/api/v1/monitoring${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('logs one access-log row per family on the page returned, and one row for an empty page', async () => {
    const rows = () => h.db.prisma.accessLog.findMany({ where: { action: 'monitoring', userId: h.users.vt.id }, orderBy: { id: 'asc' } });
    const before = (await rows()).length;
    const page = await list(vt, '?page=2&pageSize=2');
    const after = await rows();
    expect(after.slice(before).map((r) => r.familyId)).toEqual(page.items.map((i) => i.id));
    expect(after.slice(before).every((r) => r.result === 'ok' && r.role === 'vt')).toBe(true);
    await list(vt, '?page=9');
    const empty = (await rows()).slice(after.length);
    expect(empty.map((r) => r.familyId)).toEqual([null]);
  });

  it('shows a VT worker of another region nothing, and directors are refused', async () => {
    expect(await list(vtOther)).toMatchObject({ items: [], total: 0 });
    expect((await director.get('/api/v1/monitoring')).status).toBe(403);
  });

  it('follows each write: a recorded check moves the family back, a passed deadline moves it to the top', async () => {
    const first = monitored[0]!;
    const item = (await list(vt)).items.find((i) => i.id === first)!;
    const conditionId = item.conditions[0]!.id;
    await send(vt, first, 'monitoring.checkRecorded', { results: [{ conditionId, met: false }], notes: 'Nog niet.' });
    const after = (await list(vt)).items;
    const moved = after.find((i) => i.id === first)!;
    expect(moved.lastCheckAt).toBe(h.clock.now().toISOString());
    expect(moved.conditions[0]).toMatchObject({ id: conditionId, lastResult: false, lastCheckedAt: moved.lastCheckAt });
    expect(after.at(-1)!.id).toBe(first);
    expect(Date.parse(dueOf(moved)!)).toBeGreaterThan(Date.parse(dueOf(item)!));

    // Past the acceptance deadline of the two offered handovers (the scheduler records the miss).
    await advance(h, 8, vt, director, director2, vtOther);
    const late = await list(vt);
    expect(late.items.slice(0, 2).map((i) => [i.id, i.overdue]).sort()).toEqual(pending.map((id) => [id, true]).sort());
    expect(late.items.slice(2).every((i) => !i.overdue)).toBe(true);
    await send(director2, pending[0]!, 'handover.accepted', {}, 'Alsnog geaccepteerd.');
    const accepted = (await list(vt)).items.find((i) => i.id === pending[0])!;
    expect(accepted).toMatchObject({ acceptanceDue: null, overdue: false, state: { oversight: 'monitoring' } });
  });
});
