import { describe, expect, it } from 'vitest';
import type { FamilyView, History, Problem } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { createFamily, current, handedOver, send, trySend } from './flows.ts';
import { harnessForBlock } from './harness.ts';

// `case.upgraded` { toVersion: 2 } by the family's director through POST /families/{id}/events
// (DOMAIN.md "Versioning in practice"): offered for a v1 family, a decision (motivated), recorded
// once; the family goes on under v2 and its history replays and verifies.

describe.each(backends())('case.upgraded by the director (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'director2', 'auditor']);

  it('is offered to the director of a v1 family, needs a motivation, and moves the family to v2 once', async () => {
    const { h, as } = ctx();
    const f = await handedOver(h, as.vt, as.director, h.users.director.id, 1);
    expect(f.machineVersion).toBe(1);
    expect((await current(as.director, f.id)).allowedEvents).toContain('case.upgraded');
    // Only the family's director: VT and another director are not offered it and are refused (403).
    expect((await current(as.vt, f.id)).allowedEvents).not.toContain('case.upgraded');
    const byVt = await trySend(as.vt, f.id, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
    expect(byVt.status, byVt.text).toBe(403);
    expect((byVt.body as unknown as Problem).guard).toBe('assignedToCase');
    const byAuditor = await trySend(as.auditor, f.id, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
    expect(byAuditor.status, byAuditor.text).toBe(403);

    // A decision: without a motivation the request is refused (400 naming the field), nothing changes.
    const unmotivated = await trySend(as.director, f.id, 'case.upgraded', { toVersion: 2 });
    expect(unmotivated.status, unmotivated.text).toBe(400);
    expect(unmotivated.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((unmotivated.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(['reason']);
    expect((await current(as.director, f.id)).version).toBe(f.version);

    const moved = await send(as.director, f.id, 'case.upgraded', { toVersion: 2 }, 'Het gezin gaat verder volgens de nieuwe werkwijze.');
    expect(moved).toMatchObject({ machineVersion: 2, version: f.version + 1, state: f.state });
    expect(moved.allowedEvents).not.toContain('case.upgraded');
    const again = await trySend(as.director, f.id, 'case.upgraded', { toVersion: 2 }, 'Nogmaals.');
    expect(again.status, again.text).toBe(422);
    expect((again.body as unknown as Problem).guard).toBe('upgradePending');

    // It goes on under v2: a v2 event (the acceptance was under v1, so no first contact is owed).
    const contacted = await send(as.director, f.id, 'riskFactors.updated', { factors: [{ kind: 'debts', status: 'present' }] });
    expect(contacted.machineVersion).toBe(2);

    const history = await as.auditor.get<History>(`/api/v1/families/${f.id}/history`);
    const upgraded = history.body.events.find((e) => e.type === 'case.upgraded')!;
    expect(upgraded).toMatchObject({
      machineVersion: 2,
      reason: 'Het gezin gaat verder volgens de nieuwe werkwijze.',
      actor: { id: h.users.director.id },
    });
    expect(history.body.events.filter((e) => e.seq < upgraded.seq).every((e) => e.machineVersion === 1)).toBe(true);
    const verify = await as.auditor.get<{ valid: boolean }>(`/api/v1/families/${f.id}/verify`);
    expect(verify.body.valid).toBe(true);
    const replay = await as.auditor.get<{ state: FamilyView['state'] }>(`/api/v1/families/${f.id}/replay?seq=${contacted.version}`);
    expect(replay.body.state).toEqual(contacted.state);
  });

  it('is not offered for a family that starts on v2', async () => {
    const { as } = ctx();
    const f = await createFamily(as.vt);
    expect(f.machineVersion).toBe(2);
    expect(f.allowedEvents).not.toContain('case.upgraded');
    const res = await trySend(as.vt, f.id, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
    expect(res.status, res.text).toBe(422);
    expect((res.body as unknown as Problem).guard).toBe('upgradePending');
  });
});
