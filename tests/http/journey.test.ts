import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History, Kpis, Replay, Verify } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import {
  advance,
  createFamily,
  current,
  handoverDecision,
  iso,
  planFor,
  send,
  stabilityFor,
  trySend,
  useVersionReader,
} from './flows.ts';

// The contract's whole path, through HTTP only: report → assessment → handover offered and accepted →
// plan → direct safety → a minor incident restarts the six-month clock → stable safety refused, then
// confirmed after the clock moves → monitoring ended → recovery → closure → a repeat report. Ends with
// the chain verified and the replay equal to the stored state.

describe.each(backends())('the complete path of a family (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let auditor: Client;
  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, auditor] = await Promise.all([h.login('vt'), h.login('director'), h.login('auditor')]);
    useVersionReader(vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs from report to repeat report with a valid chain and an exact replay', async () => {
    const created = await createFamily(vt);
    expect(created.version).toBe(1);
    expect(created.state).toEqual({ phase: 'reported', oversight: 'vtInvolved', escalation: 'none' });
    expect(created.allowedEvents).toContain('assessment.started');
    const id = created.id;

    // The director cannot see the family before it is offered to them.
    expect((await director.get(`/api/v1/families/${id}`)).status).toBe(404);

    await send(vt, id, 'assessment.started');
    const offered = await send(vt, id, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Lokaal team kan regie voeren.');
    expect(offered.state.phase).toBe('directSafety.planning');
    expect(offered.state.oversight).toBe('handoverPending');
    expect(offered.pendingDirector?.id).toBe(h.users.director.id);
    expect(offered.caseDirector?.id).toBe(h.users.vt.id);

    const seenByDirector = await current(director, id);
    expect(seenByDirector.allowedEvents).toEqual(expect.arrayContaining(['handover.accepted', 'handover.declined']));
    const accepted = await send(director, id, 'handover.accepted', {}, 'Ik neem de regie.');
    expect(accepted.state.oversight).toBe('monitoring');
    expect(accepted.caseDirector?.id).toBe(h.users.director.id);

    const planned = await send(director, id, 'plan.agreed', planFor(accepted));
    expect(planned.state.phase).toBe('directSafety.planAgreed');
    const safe = await send(director, id, 'directSafety.achieved', {}, 'Geen geweld meer sinds het plan.');
    expect(safe.state.phase).toBe('stableSafety');

    await advance(h, 60, vt, director, auditor);
    const incident = await send(director, id, 'incident.reported', {
      occurredAt: iso(h, -1),
      severity: 'minor',
      description: 'Verbale ruzie, geen fysiek geweld.',
    });
    expect(incident.state.phase).toBe('stableSafety');
    expect(incident.incidentFree.since).toBe(iso(h, -1));

    await advance(h, 150, vt, director, auditor);
    const early = await trySend(director, id, 'stability.confirmed', stabilityFor(incident), 'Zes maanden rustig.');
    expect(early.status, early.text).toBe(422);
    expect(early.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(early.body.guard).toBe('sixMonthsIncidentFree');
    expect(early.body.state).toBe('stableSafety');
    expect(early.body.explanation).toEqual({ nl: expect.any(String), en: expect.any(String) });

    await advance(h, 35, vt, director, auditor);
    const stable = await send(director, id, 'stability.confirmed', stabilityFor(incident), 'Zes maanden zonder incidenten; samen beoordeeld.');
    expect(stable.state.phase).toBe('recovery');

    const ended = await send(vt, id, 'monitoring.ended', {});
    expect(ended.state.oversight).toBe('ended');
    // familyCase@2 (new families start on it): recovery is completed after every member's trauma screening.
    expect(created.machineVersion).toBe(2);
    for (const m of ended.members) await send(director, id, 'trauma.screened', { memberId: m.id, outcome: 'noSigns', by: 'GGD jeugdarts' });
    const closed = await send(director, id, 'recovery.completed', {}, 'Herstel afgerond.');
    expect(closed.state.phase).toBe('closed');

    const again = await send(vt, id, 'report.received', { source: 'professional', acute: false, summary: 'School meldt nieuwe zorgen.' });
    expect(again.state).toEqual({ phase: 'reported', oversight: 'vtInvolved', escalation: 'none' });

    const verify = await auditor.get<Verify>(`/api/v1/families/${id}/verify`);
    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({ valid: true, events: again.version });

    const final = await current(auditor, id);
    const replay = await auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${final.version}`);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body.seq).toBe(final.version);
    expect(replay.body.state).toEqual(final.state);

    const history = await auditor.get<History>(`/api/v1/families/${id}/history`);
    expect(history.body.events.map((e) => e.seq)).toEqual(Array.from({ length: final.version }, (_, i) => i + 1));
    expect(history.body.events[0]!.type).toBe('report.received');
    expect(history.body.events.at(-1)!.stateAfter).toEqual(final.state);
    // Each event chains onto the one before it.
    history.body.events.slice(1).forEach((e, i) => expect(e.prevHash).toBe(history.body.events[i]!.hash));
    const types = history.body.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['handover.accepted', 'incident.reported', 'stability.confirmed', 'recovery.completed', 'report.received']));

    // Replaying to the refusal's point shows the family in stable safety with the director's options.
    const atIncident = history.body.events.find((e) => e.type === 'incident.reported')!;
    const mid = await auditor.get<Replay>(`/api/v1/families/${id}/replay?seq=${atIncident.seq}`);
    expect(mid.body.state.phase).toBe('stableSafety');
    expect(mid.body.allowedFor).not.toBeNull();

    // The figures see the same history: one incident after stable safety, one repeat report, and
    // one completed stay in each phase from reported to recovery.
    const kpis = await auditor.get<Kpis>('/api/v1/kpis?from=2025-01-01&to=2026-12-31');
    expect(kpis.status, kpis.text).toBe(200);
    expect(kpis.body.incidentsAfterStableSafety.value).toBe(1);
    expect(kpis.body.repeatReports.value).toBe(1);
    expect(kpis.body.escalations.value).toBe(0);
    expect(kpis.body.waitingList.count.value).toBe(1);
    for (const phase of ['reported', 'assessment', 'directSafety', 'stableSafety', 'recovery'] as const) {
      expect(kpis.body.timePerPhase[phase].basis, phase).toBe(1);
    }
    expect(kpis.body.timePerPhase.stableSafety.value).toBe(245);
  });
});
