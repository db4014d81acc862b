import { describe, expect, it } from 'vitest';
import type { FamilyView, History, Replay } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { createFamily, handoverDecision, send, useVersionReader } from './flows.ts';
import { harnessForBlock, type Client, type Harness } from './harness.ts';

// The auditor's reading of a family (API.md "Audit", issue 13) through real HTTP: names instead of ids,
// the event at a replay step and the state before it.

/** vt reports and offers the case to director, who declines; vt offers it to director2, who accepts. */
async function declinedThenAccepted(h: Harness, vt: Client, director: Client, director2: Client): Promise<FamilyView> {
  useVersionReader(vt);
  const f = await createFamily(vt);
  await send(vt, f.id, 'assessment.started');
  await send(vt, f.id, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Structurele onveiligheid.');
  await send(director, f.id, 'handover.declined', {}, 'Geen capaciteit deze maand.');
  await send(vt, f.id, 'handover.offered', { directorId: h.users.director2.id }, 'Tweede regisseur heeft ruimte.');
  return send(director2, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
}

/** Every string under an id-like member name (id, …Id, by, …By) in a JSON value. */
function idsIn(value: unknown, key: string | null = null, into = new Set<string>()): Set<string> {
  if (typeof value === 'string' && key !== null && /^(id|by)$|(Id|By)$/.test(key)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) idsIn(v, key, into);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) idsIn(v, k, into);
  return into;
}

describe.each(backends())('audit: names, not ids (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'director2', 'auditor']);

  it('history names every user it mentions, with display name and roles', async () => {
    const { h, as } = ctx();
    const f = await declinedThenAccepted(h, as.vt, as.director, as.director2);
    const res = await as.auditor.get<History>(`/api/v1/families/${f.id}/history`);
    expect(res.status, res.text).toBe(200);
    const { events, people } = res.body;
    // What the history answered before is still there.
    expect(events.map((e) => e.type)).toEqual([
      'report.received',
      'assessment.started',
      'assessment.completed',
      'handover.declined',
      'handover.offered',
      'handover.accepted',
    ]);
    expect(events[4]).toMatchObject({ payload: { directorId: h.users.director2.id }, actor: { id: h.users.vt.id, username: 'vt' } });
    expect(people).toEqual({
      [h.users.vt.id]: { displayName: 'Vera Veilig', roles: ['vt'] },
      [h.users.director.id]: { displayName: 'Rita Regisseur', roles: ['director'] },
      [h.users.director2.id]: { displayName: 'Rob Regisseur', roles: ['director'] },
    });
    // Every user id the events mention is named (members' and conditions' local ids are not users).
    const users = new Set(Object.values(h.users).map((u) => u.id));
    for (const id of idsIn(events)) if (users.has(id)) expect(Object.keys(people)).toContain(id);
  });

  it('replay gives the event at seq, the state before it and the people of event and context', async () => {
    const { h, as } = ctx();
    const f = await declinedThenAccepted(h, as.vt, as.director, as.director2);
    const offered = await as.auditor.get<Replay>(`/api/v1/families/${f.id}/replay?seq=5`);
    expect(offered.status, offered.text).toBe(200);
    const r = offered.body;
    expect(r.seq).toBe(5);
    expect(r.event).toMatchObject({
      seq: 5,
      type: 'handover.offered',
      payload: { directorId: h.users.director2.id },
      reason: 'Tweede regisseur heeft ruimte.',
      actor: { id: h.users.vt.id, role: 'vt' },
    });
    expect(r.event.recordedAt).toBe(h.clock.now().toISOString());
    // Declined: back with VT; offered again: handover pending.
    expect(r.previousState.oversight).not.toBe(r.state.oversight);
    expect(r.state.oversight).toBe('handoverPending');
    // The context names the declining director (handovers) and the offered one: both named, and VT.
    expect(r.people[h.users.director.id]).toEqual({ displayName: 'Rita Regisseur', roles: ['director'] });
    expect(r.people[h.users.director2.id]).toEqual({ displayName: 'Rob Regisseur', roles: ['director'] });
    expect(r.people[h.users.vt.id]).toEqual({ displayName: 'Vera Veilig', roles: ['vt'] });
    // Whose alternatives allowedEvents lists (the next decider, director2) is named too.
    expect(r.allowedFor?.id).toBe(h.users.director2.id);
    const users = new Set(Object.values(h.users).map((u) => u.id));
    for (const id of idsIn([r.event, r.context, r.allowedFor])) if (users.has(id)) expect(r.people).toHaveProperty([id]);

    // Before the first event the state is the initial one; the report's actor is named.
    const first = await as.auditor.get<Replay>(`/api/v1/families/${f.id}/replay?seq=1`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.event.type).toBe('report.received');
    expect(first.body.previousState).toEqual({ phase: 'reported', oversight: 'vtInvolved', escalation: 'none' });
    expect(first.body.people[h.users.vt.id]?.displayName).toBe('Vera Veilig');
  });
});
