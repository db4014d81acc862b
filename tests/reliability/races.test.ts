import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { allProblems } from '../support/invariants.ts';
import { newReport, startHarness, type Client, type Harness } from '../http/harness.ts';
import { sizes, timeouts } from './sizes.ts';

// Optimistic concurrency under a burst: N writers read the same version and send at once. Exactly
// one may win each round; every loser hears 409 with the version that won, and the history stays a
// gap-free, verifiable chain. The refused attempts are access-logged too.

describe.each(backends())('races on one expected version (%s)', (provider) => {
  let h: Harness;
  let vt: Client[];
  let auditor: Client;
  beforeAll(async () => {
    h = await startHarness(provider);
    // Several sessions of the same VT worker, as several open browser tabs would be.
    vt = await Promise.all([h.login('vt'), h.login('vt'), h.login('vt')]);
    auditor = await h.login('auditor');
  });
  afterAll(async () => {
    await h?.close();
  });

  it(
    `lets exactly one of ${sizes.races.parallel} parallel transitions win, ${sizes.races.rounds} rounds`,
    async () => {
      const created = await vt[0]!.post<FamilyView>('/api/v1/families', newReport());
      expect(created.status, created.text).toBe(201);
      const id = created.body.id;
      expect(created.body.allowedEvents).toContain('report.received');

      const figures = { winners: 0, conflicts: 0, other: [] as string[], badCurrentVersion: [] as string[] };
      for (let round = 0; round < sizes.races.rounds; round++) {
        const before = await vt[0]!.get<FamilyView>(`/api/v1/families/${id}`);
        const v = before.body.version;
        // A repeat report keeps the family in `reported`, so every round starts from the same state.
        const replies = await Promise.all(
          Array.from({ length: sizes.races.parallel }, (_, i) =>
            vt[i % vt.length]!.post<FamilyView & Problem>(`/api/v1/families/${id}/events`, {
              type: 'report.received',
              expectedVersion: v,
              payload: { source: 'citizen', acute: false, summary: `Ronde ${round}, melder ${i}` },
            }),
          ),
        );
        const ok = replies.filter((r) => r.status === 200);
        const conflicts = replies.filter((r) => r.status === 409);
        figures.winners += ok.length;
        figures.conflicts += conflicts.length;
        for (const r of replies)
          if (r.status !== 200 && r.status !== 409) figures.other.push(`${r.status} ${r.text.slice(0, 200)}`);
        expect(ok, `round ${round}: winners`).toHaveLength(1);
        expect(ok[0]!.body.version).toBe(v + 1);
        for (const c of conflicts) {
          expect(c.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          // Nothing else writes during the round, so the version that won is the current one.
          if (c.body.currentVersion !== v + 1)
            figures.badCurrentVersion.push(`round ${round}: ${c.body.currentVersion}`);
        }
      }
      expect(figures.other).toEqual([]);
      expect(figures.badCurrentVersion).toEqual([]);
      expect(figures.conflicts).toBe(sizes.races.rounds * (sizes.races.parallel - 1));

      const history = await auditor.get<{ events: { seq: number; type: string }[] }>(
        `/api/v1/families/${id}/history`,
      );
      expect(history.body.events.map((e) => e.seq)).toEqual(
        Array.from({ length: sizes.races.rounds + 1 }, (_, i) => i + 1),
      );
      expect((await auditor.get(`/api/v1/families/${id}/verify`)).body).toEqual({
        valid: true,
        events: sizes.races.rounds + 1,
      });
      expect(await allProblems(h.db)).toEqual([]);
      // Each loser's attempt is in the access log as a refused write; each winner's as a write.
      const refused = await h.db.prisma.accessLog.count({
        where: { familyId: id, action: 'write', result: 'refused' },
      });
      const written = await h.db.prisma.accessLog.count({
        where: { familyId: id, action: 'write', result: 'ok' },
      });
      expect({ refused, written }).toEqual({ refused: figures.conflicts, written: sizes.races.rounds });
      console.log(
        `[races ${provider}] ${JSON.stringify({ rounds: sizes.races.rounds, parallel: sizes.races.parallel, ...figures, other: figures.other.length })}`,
      );
    },
    timeouts.races,
  );

  it('keeps one winner when the racers send different events from different roles', async () => {
    // A family handed over to the director: the director's plan and VT's incident report race.
    const v0 = await vt[0]!.post<FamilyView>('/api/v1/families', newReport());
    const id = v0.body.id;
    const send = (c: Client, type: string, version: number, payload: unknown, reason?: string) =>
      c.post<FamilyView & Problem>(`/api/v1/families/${id}/events`, {
        type,
        expectedVersion: version,
        payload,
        ...(reason ? { reason } : {}),
      });
    expect((await send(vt[0]!, 'assessment.started', 1, {})).status).toBe(200);
    const decided = await send(
      vt[0]!,
      'assessment.completed',
      2,
      {
        decision: 'handover',
        acute: false,
        structural: true,
        directorId: h.users.director.id,
        conditions: [{ description: 'Geen geweld.' }],
      },
      'Structureel.',
    );
    expect(decided.status, decided.text).toBe(200);
    const director = await h.login('director');
    const accepted = await send(director, 'handover.accepted', 3, {}, 'Akkoord.');
    expect(accepted.status, accepted.text).toBe(200);
    const f = accepted.body;
    const adult = f.members.find((m) => m.kind === 'adult')!;
    const plan = {
      agreements: [
        { description: 'Afspraak', responsible: 'Ouder', coversConditionIds: f.conditions.map((c) => c.id) },
      ],
      participants: [{ memberId: adult.id }],
      childPerspectives: f.members
        .filter((m) => m.kind === 'child')
        .map((m) => ({ memberId: m.id, perspective: 'Rust.' })),
    };
    const replies = await Promise.all(
      Array.from({ length: sizes.races.parallel }, (_, i) =>
        i % 2 === 0
          ? send(director, 'plan.agreed', 4, plan)
          : send(director, 'incident.reported', 4, {
              occurredAt: h.clock.now().toISOString(),
              severity: 'minor',
              description: `Incident ${i}`,
            }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(sizes.races.parallel - 1);
    expect(await allProblems(h.db)).toEqual([]);
  });
});
