import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyList, Monitoring, MonitoringItem } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { conferencePayload, current, handoverDecision, iso, send, useVersionReader, v2Family } from './flows.ts';

// Issue 14: every familyCase@2 durable timer fires once, at its due time, as a `deadline.missed`
// through the real scheduler (the manual clock moved over HTTP), and the miss shows on VT's
// monitoring list until it is made good; missed first contacts and first plans come first.

type HistoryEvent = { seq: number; type: string; payload: { kind?: string; dueAt?: string } };

describe.each(backends())('familyCase@2 deadlines fire once and reach the monitoring list (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let auditor: Client;

  const setClock = async (at: number) => {
    const res = await vt.post<{ now: string }>('/api/v1/clock', { set: new Date(at).toISOString() });
    expect(res.status, res.text).toBe(200);
  };
  const missedOf = async (id: string, kind: string) => {
    const res = await auditor.get<{ events: HistoryEvent[] }>(`/api/v1/families/${id}/history`);
    expect(res.status, res.text).toBe(200);
    return res.body.events.filter((e) => e.type === 'deadline.missed' && e.payload.kind === kind);
  };
  const openDue = async (id: string, kind: string) => {
    const due = (await current(vt, id)).deadlines.filter((d) => d.kind === kind && d.status === 'open').map((d) => d.dueAt);
    expect(due, `${kind} open on ${id}`).toHaveLength(1);
    return due[0]!;
  };
  /** The family as the overdue filter of the family list (decided in SQL on overdueAt) shows it, or undefined. */
  const overdueRow = async (id: string) => {
    const res = await vt.get<FamilyList>('/api/v1/families?overdue=true&pageSize=100');
    expect(res.status, res.text).toBe(200);
    return res.body.items.find((i) => i.id === id);
  };
  const monitoring = async (): Promise<MonitoringItem[]> => {
    const res = await vt.get<Monitoring>('/api/v1/monitoring?pageSize=200');
    expect(res.status, res.text).toBe(200);
    return res.body.items;
  };

  /**
   * The open deadlines of `kinds` (read before the clock moves) do not fire a minute before they are
   * due, each fires exactly once when the clock reaches it, and none again a day later. Answers the
   * due dates by kind.
   */
  async function firesOnceAtDue(id: string, ...kinds: string[]): Promise<Record<string, string>> {
    const due: Record<string, string> = {};
    for (const kind of kinds) due[kind] = await openDue(id, kind);
    const fired = async (kind: string) => (await missedOf(id, kind)).filter((e) => e.payload.dueAt === due[kind]).length;
    for (const at of [...new Set(Object.values(due))].sort()) {
      const now = kinds.filter((k) => due[k] === at);
      await setClock(Date.parse(at) - 60_000);
      for (const kind of now) expect(await fired(kind), `${kind} before its due time`).toBe(0);
      await setClock(Date.parse(at));
      for (const kind of now) expect(await fired(kind), `${kind} at its due time`).toBe(1);
    }
    await setClock(Math.max(...Object.values(due).map(Date.parse)) + 86_400_000);
    for (const kind of kinds) expect(await fired(kind), `${kind} a day later`).toBe(1);
    return due;
  }

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, auditor] = (await Promise.all(['vt', 'director', 'auditor'].map((u) => h.login(u)))) as [Client, Client, Client];
    useVersionReader(vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('interim contact while waiting, every 5 working days, each miss once; listed until the contact', async () => {
    const waiting = await v2Family(vt);
    const first = (await firesOnceAtDue(waiting.id, 'interimContact')).interimContact!;
    let row = (await monitoring()).find((i) => i.id === waiting.id);
    expect(row?.missedDeadlines).toEqual([{ kind: 'interimContact', dueAt: first }]);
    expect(row?.overdue).toBe(true);
    // The next interim contact is due 5 working days after the missed one, and fires once as well.
    const second = (await firesOnceAtDue(waiting.id, 'interimContact')).interimContact!;
    expect(Date.parse(second)).toBeGreaterThan(Date.parse(first));
    expect(await missedOf(waiting.id, 'interimContact')).toHaveLength(2);
    row = (await monitoring()).find((i) => i.id === waiting.id);
    expect(row?.missedDeadlines).toEqual([{ kind: 'interimContact', dueAt: second }]);
    await send(vt, waiting.id, 'contact.interim', { with: 'reporter' });
    expect((await monitoring()).some((i) => i.id === waiting.id)).toBe(false);
  });

  it('feedback to reporter and household, first contact and first plan after a handover: each once; missed first help first', async () => {
    // A family whose interim contact was missed before: earlier due, yet listed after missed first help.
    const early = await v2Family(vt);
    const interim = (await firesOnceAtDue(early.id, 'interimContact')).interimContact!;
    const f = await v2Family(vt);
    await send(vt, f.id, 'assessment.started');
    await send(vt, f.id, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Naar het lokale team.');
    await send(director, f.id, 'handover.accepted', {}, 'Ik neem de regie.');

    const due = await firesOnceAtDue(f.id, 'reporterFeedback', 'householdFeedback', 'firstContact', 'firstPlan');
    const { reporterFeedback: reporter, householdFeedback: household, firstContact, firstPlan } = due as Record<string, string>;
    expect(Date.parse(interim)).toBeLessThan(Date.parse(firstContact!));
    let list = await monitoring();
    const row = list.find((i) => i.id === f.id)!;
    expect(row.missedDeadlines.map((d) => d.kind).sort()).toEqual(['firstContact', 'firstPlan', 'householdFeedback', 'reporterFeedback']);
    expect(row.missedDeadlines.find((d) => d.kind === 'reporterFeedback')?.dueAt).toBe(reporter);
    expect(row.missedDeadlines.find((d) => d.kind === 'householdFeedback')?.dueAt).toBe(household);
    const firstHelp = (i: MonitoringItem) => i.missedDeadlines.some((d) => d.kind === 'firstContact' || d.kind === 'firstPlan');
    const ranked = list.map(firstHelp);
    expect(ranked.indexOf(false)).toBe(ranked.filter(Boolean).length); // every missed first help before the rest
    expect(list.findIndex((i) => i.id === f.id)).toBeLessThan(list.findIndex((i) => i.id === early.id));

    // Made good: the feedback and the first contact leave the list; the first plan is still owed and first.
    await send(vt, f.id, 'reporter.informed', { channel: 'phone' });
    await send(vt, f.id, 'household.informed', { channel: 'letter' });
    const member = (await current(vt, f.id)).members[0]!.id;
    await send(director, f.id, 'contact.first', { with: [member], warm: true });
    list = await monitoring();
    expect(list[0]?.missedDeadlines.some((d) => d.kind === 'firstContact' || d.kind === 'firstPlan')).toBe(true);
    expect(list.find((i) => i.id === f.id)?.missedDeadlines).toEqual([{ kind: 'firstPlan', dueAt: firstPlan }]);
  });

  it("the family list's overdue filter counts v2's owed deadlines: a first contact not made is overdue from its due date", async () => {
    const f = await v2Family(vt);
    await send(vt, f.id, 'assessment.started');
    await send(vt, f.id, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Naar het lokale team.');
    await send(director, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
    // The feedback is given, so the first contact is the earliest thing owed.
    await send(vt, f.id, 'reporter.informed', { channel: 'phone' });
    await send(vt, f.id, 'household.informed', { channel: 'letter' });
    const firstContact = await openDue(f.id, 'firstContact');
    const others = (await current(vt, f.id)).deadlines.filter((d) => d.status === 'open' && d.kind !== 'firstContact');
    expect(others.every((d) => Date.parse(d.dueAt) > Date.parse(firstContact)), 'nothing else due first').toBe(true);
    await setClock(Date.parse(firstContact) - 60_000);
    expect(await overdueRow(f.id)).toBeUndefined();
    await setClock(Date.parse(firstContact) + 60_000);
    expect(await overdueRow(f.id)).toMatchObject({ overdue: true, overdueKind: 'firstContact', overdueSince: firstContact });
    // Made good: no longer overdue.
    await send(director, f.id, 'contact.first', { with: [(await current(vt, f.id)).members[0]!.id], warm: true });
    expect(await overdueRow(f.id)).toBeUndefined();
  });

  it('conference agreements with a due date and the next conference: each once, listed until the next conference', async () => {
    const f = await v2Family(vt);
    const member = f.members[0]!.id;
    await send(vt, f.id, 'conference.held', conferencePayload(h, member, 'actieOverleg', 3, 10));
    const { conferenceAgreement: agreement, nextConference: next } = await firesOnceAtDue(f.id, 'conferenceAgreement', 'nextConference');
    const row = (await monitoring()).find((i) => i.id === f.id);
    expect(row?.missedDeadlines.filter((d) => d.kind !== 'interimContact')).toEqual([
      { kind: 'conferenceAgreement', dueAt: agreement },
      { kind: 'nextConference', dueAt: next },
    ]);
    // The next conference replaces the agreements and the date it was due on.
    await send(vt, f.id, 'conference.held', {
      kind: 'actieOverleg',
      heldAt: iso(h, 0),
      participants: [{ memberId: member }],
      agreements: [{ description: 'Evaluatie', responsible: 'Wijkteam' }],
    });
    const after = (await monitoring()).find((i) => i.id === f.id);
    expect((after?.missedDeadlines ?? []).filter((d) => d.kind !== 'interimContact')).toEqual([]);
  });
});
