import { describe, expect, it } from 'vitest';
import type { FamilyView, History, Replay } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { rulesWithV3 } from '../support/rulesV3.ts';
import {
  advance,
  createFamily,
  current,
  handedOver,
  handoverDecision,
  inStableSafety,
  iso,
  send,
  stabilityFor,
  useVersionReader,
} from './flows.ts';
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

/** A family handed over to director, who imposes a 10-day huisverbod (lawful under v1): its seq. */
async function tenDayHuisverbod(h: Harness, vt: Client, director: Client): Promise<{ id: string; seq: number }> {
  const f = await handedOver(h, vt, director, h.users.director.id);
  const after = await send(director, f.id, 'measure.imposed', { kind: 'huisverbod', startsAt: iso(h), endsAt: iso(h, 10) });
  return { id: f.id, seq: after.version };
}

describe.each(backends())('audit: under today\'s rules, a test-only v3 as current version (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'auditor'], { rules: rulesWithV3 });

  it('names the rule v3 refuses a v2 decision with, in the caller\'s language; allows the others', async () => {
    const { h, as } = ctx();
    const { id, seq } = await tenDayHuisverbod(h, as.vt, as.director);
    const history = await as.auditor.get<History>(`/api/v1/families/${id}/history`);
    expect(history.body.events.every((e) => e.machineVersion === 2)).toBe(true);

    const nl = await as.auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${seq}&rules=current`);
    expect(nl.status, nl.text).toBe(200);
    expect(nl.body.event.type).toBe('measure.imposed');
    expect(nl.body.currentRules).toEqual({
      version: 3,
      allowed: false,
      guard: 'measureWithinLegalLimit',
      message: 'Een tijdelijk huisverbod duurt bij oplegging ten hoogste 7 dagen.',
    });
    const en = await as.auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${seq}&rules=current`, {
      headers: { 'Accept-Language': 'en' },
    });
    expect(en.body.currentRules?.message).toBe('A temporary restraining order (huisverbod) lasts at most 7 days when imposed.');
    // The recorded state is still the one v2 decided: the replay itself runs under the recorded version.
    expect(en.body.state).toEqual(nl.body.state);

    for (let n = 1; n < seq; n++) {
      const r = await as.auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${n}&rules=current`);
      expect(r.status, r.text).toBe(200);
      expect(r.body.currentRules, `seq ${n} (${r.body.event.type})`).toEqual({ version: 3, allowed: true });
    }
    // Without rules=current there is no verdict.
    const plain = await as.auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${seq}`);
    expect(plain.body).not.toHaveProperty('currentRules');
  });
});

describe.each(backends())('audit: under today\'s rules, production registry (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'auditor']);

  it('every decision of a v2 family is allowed by v2, the version it was recorded under; a bad rules value is a 400', async () => {
    const { h, as } = ctx();
    const { id, seq } = await tenDayHuisverbod(h, as.vt, as.director);
    const r = await as.auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${seq}&rules=current`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.currentRules).toEqual({ version: 2, allowed: true });
    const bad = await as.auditor.get(`/api/v1/families/${id}/replay?seq=${seq}&rules=tomorrow`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('compares every decision of a v1 family with v2: v2 names the rule where it differs by design', async () => {
    const { h, as } = ctx();
    const stable = await inStableSafety(h, as.vt, as.director, h.users.director.id, 1);
    await advance(h, 200, as.vt, as.director, as.auditor);
    await send(as.director, stable.id, 'stability.confirmed', stabilityFor(await current(as.vt, stable.id)), 'Zes maanden rustig; samen beoordeeld.');
    const closed = await send(as.director, stable.id, 'recovery.completed', {}, 'Herstel afgerond.');
    expect(closed).toMatchObject({ machineVersion: 1, state: { phase: 'closed' } });
    const verdicts: { type: string; verdict: unknown }[] = [];
    for (let n = 1; n <= closed.version; n++) {
      const r = await as.auditor.get<Replay>(`/api/v1/families/${stable.id}/replay?seq=${n}&rules=current`);
      expect(r.status, r.text).toBe(200);
      expect(r.body.event.machineVersion).toBe(1);
      verdicts.push({ type: r.body.event.type, verdict: r.body.currentRules });
    }
    // Each v1 event is put to v2 (the state before it migrated); v2 completes recovery only after a
    // trauma screening of every member (DOMAIN.md "familyCase version 2"), so that decision is refused.
    const recovery = verdicts.at(-1)!;
    expect(recovery).toEqual({
      type: 'recovery.completed',
      verdict: { version: 2, allowed: false, guard: 'everyMemberScreened', message: expect.stringContaining('traumascreening') },
    });
    for (const v of verdicts.slice(0, -1)) expect(v.verdict, v.type).toEqual({ version: 2, allowed: true });
  });
});
