import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../machines/schemas/events.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { createFamily } from './flows.ts';
import { fuzzSeeds, runsPerSeed } from '../reliability/fuzz/seeds.ts';
import { fuzzRuns, fuzzTimeout } from '../reliability/sizes.ts';

// No input a client can send makes the server fail: arbitrary bodies, types, versions and query
// strings all end in a 2xx or a 4xx problem, never a 5xx. Seeded like every fuzz suite (the fixed
// seed and a printed rotating one; FUZZ_SEED replays, FUZZ_RUNS sets the number of cases).

const seeds = fuzzSeeds();
const runs = { events: fuzzRuns(60), registrations: fuzzRuns(40), paths: fuzzRuns(60) };
const label = (what: string, seed: { name: string; seed: number }) =>
  `${what} (${seed.name} seed ${seed.seed}; FUZZ_SEED=${seed.seed} replays it)`;

describe.each(backends())('arbitrary input never causes a 5xx (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let familyId: string;
  beforeAll(async () => {
    h = await startHarness(provider);
    vt = await h.login('vt');
    familyId = (await createFamily(vt)).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(seeds)('event requests (%o)', async (seed) => {
    console.log(`[robustness ${provider}] ${label('event requests', seed)}`);
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            type: fc.oneof(fc.constantFrom(...eventTypes), fc.string()),
            expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(2 ** 40)),
            payload: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('decision', 'directorId', 'conditions', 'occurredAt', 'measureId', 'to', 'results'), fc.jsonValue())),
            reason: fc.oneof(fc.string(), fc.jsonValue()),
          },
          { requiredKeys: [] },
        ),
        async (body) => {
          const res = await vt.post(`/api/v1/families/${familyId}/events`, body);
          expect(res.status, res.text).toBeLessThan(500);
          expect(res.status === 200 || /json/.test(res.headers.get('content-type') ?? '')).toBe(true);
        },
      ),
      { numRuns: runsPerSeed(runs.events, seeds), seed: seed.seed },
    );
  }, fuzzTimeout(runs.events));

  it.each(seeds)('family registrations and query strings (%o)', async (seed) => {
    console.log(`[robustness ${provider}] ${label('registrations', seed)}`);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.dictionary(fc.constantFrom('phase', 'municipality', 'q', 'page', 'pageSize', 'overdue', 'director', 'x'), fc.string()), async (body, query) => {
        const created = await vt.post('/api/v1/families', body);
        expect(created.status, created.text).toBeLessThan(500);
        const qs = new URLSearchParams(query).toString();
        const listed = await vt.get(`/api/v1/families?${qs}`);
        expect(listed.status, listed.text).toBeLessThan(500);
        const kpis = await vt.get(`/api/v1/kpis?${qs}`);
        expect(kpis.status, kpis.text).toBeLessThan(500);
      }),
      { numRuns: runsPerSeed(runs.registrations, seeds), seed: seed.seed },
    );
  }, fuzzTimeout(runs.registrations));

  it.each(seeds)('paths (%o)', async (seed) => {
    console.log(`[robustness ${provider}] ${label('paths', seed)}`);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 120 }), async (segment) => {
        const res = await vt.get(`/api/v1/families/${encodeURIComponent(segment)}/replay?seq=${encodeURIComponent(segment)}`);
        expect(res.status, res.text).toBeLessThan(500);
      }),
      { numRuns: runsPerSeed(runs.paths, seeds), seed: seed.seed },
    );
  }, fuzzTimeout(runs.paths));
});
