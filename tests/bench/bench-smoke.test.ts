import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Proves that `npm run bench` runs end to end in its smallest mode and produces figures with their
// same-run limits and ratios. Timings are never asserted: they depend on the machine and its load.

type Spread = { median: number; min: number; max: number; runs: number[] };

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function expectSpread(s: Spread | undefined, what: string): void {
  expect(s, what).toBeDefined();
  expect(Number.isFinite(s!.median), `${what} median`).toBe(true);
  expect(s!.min, `${what} min`).toBeLessThanOrEqual(s!.max);
  expect(s!.runs.length, `${what} runs`).toBeGreaterThan(0);
}

describe('bench harness (smoke)', () => {
  it('runs every suite and reports figures, same-run limits and ratios', async () => {
    const out = path.join(dir, 'results.json');
    const pg = process.env.TEST_DATABASE_URL;
    const args = ['--smoke', '--out', out, '--backends', pg ? 'sqlite,postgresql' : 'sqlite', ...(pg ? ['--pg-url', pg] : [])];
    const { code, stderr } = await runBench(args);
    expect(code, stderr.slice(-2000)).toBe(0);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const backends = pg ? ['sqlite', 'postgresql'] : ['sqlite'];

    expect(r.machine.cores).toBeGreaterThan(0);
    expect(typeof r.machine.sqlite).toBe('string');
    expect(Number.isFinite(r.load.before.load1)).toBe(true);

    expect(r.transitions.map((t: { backend: string }) => t.backend)).toEqual(backends);
    for (const t of r.transitions) {
      expect(t.levels.length).toBeGreaterThan(0);
      for (const l of t.levels) {
        expectSpread(l.perSec, `${t.backend} transitions/s at ${l.clients}`);
        expectSpread(l.rawPerSec, `${t.backend} raw inserts/s at ${l.clients}`);
        expectSpread(l.ratio, `${t.backend} ratio at ${l.clients}`);
        expectSpread(l.p99, `${t.backend} p99 at ${l.clients}`);
        expect(l.nonOk, `${t.backend} non-200 replies at ${l.clients}`).toBe(0);
        // The server's own SQL tally: a transition reads and writes. On SQLite it commits (the group
        // commit); on PostgreSQL the append is one statement, committed on its own.
        expect(l.sql.statements.median, `${t.backend} SQL statements per transition at ${l.clients}`).toBeGreaterThan(1);
        if (t.backend === 'sqlite') expect(l.sql.commitMs.median, `commit ms per transition at ${l.clients}`).toBeGreaterThan(0);
      }
      // The levels of 8 clients and more again with minimal answers: every event accepted (the
      // client's own copy of the family kept it on the machine's path).
      expect(t.minimal.map((l: { clients: number }) => l.clients)).toEqual([8]);
      for (const l of t.minimal) {
        expectSpread(l.serverCpuMs, `${t.backend} CPU per transition with return=minimal at ${l.clients}`);
        expectSpread(l.ratio, `${t.backend} ratio with return=minimal at ${l.clients}`);
        expect(l.nonOk, `${t.backend} non-200 replies with return=minimal at ${l.clients}`).toBe(0);
      }
      expectSpread(t.page.serverCpuMs, `${t.backend} family page CPU`);
      expect(t.page.sql.statements.median, `${t.backend} SQL statements per family page`).toBeGreaterThan(1);
      expectSpread(t.page.sql.statementMs, `${t.backend} SQL ms per family page`);
    }

    // The floor: both servers answered every request, with the real answer's size.
    expect(r.floor.answerBytes).toBeGreaterThan(500);
    expect(r.floor.modes.map((m: { mode: string }) => m.mode)).toEqual(['node', 'express']);
    for (const m of r.floor.modes) {
      for (const l of m.levels) {
        expectSpread(l.serverCpuMs, `floor ${m.mode} CPU at ${l.clients}`);
        expect(l.nonOk, `floor ${m.mode} non-200 at ${l.clients}`).toBe(0);
      }
    }

    for (const b of r.replay) {
      expectSpread(b.replayPerSec, `${b.backend} replay`);
      expectSpread(b.rawPerSec, `${b.backend} raw transition()`);
      expectSpread(b.ratio, `${b.backend} replay ratio`);
      expectSpread(b.verify.ms, `${b.backend} verify`);
      expectSpread(b.http.verifyMs, `${b.backend} GET /verify`);
      expect(Object.keys(b.http.verifyStatuses)).toEqual(['200']);
      expect(b.sameState).toBe(true);
      expect(b.verify.valid).toBe(true);
      expect(b.verify.events).toBeGreaterThan(0);
    }

    for (const g of r.growth) {
      expect(g.points.length).toBeGreaterThan(1);
      for (const p of g.points) {
        expectSpread(p.transitionP50, `${g.backend} growth transition at ${p.events}`);
        expectSpread(p.pageP50, `${g.backend} growth page at ${p.events}`);
        expect(Object.keys(p.statuses)).toEqual(['200']);
      }
    }

    const s = r.scale[0];
    expect(s.generation.families).toBe(s.world.families);
    expect(s.generation.events).toBeGreaterThan(s.generation.families);
    expect(s.backends.map((b: { backend: string }) => b.backend)).toEqual(backends);
    for (const b of s.backends) {
      expect(b.sample.valid).toBe(b.sample.verified);
      expect(b.sample.replayed).toBe(b.sample.verified);
      expect(Number.isFinite(b.serverPeakRssMiB)).toBe(true);
      expect(b.queries.map((q: { name: string }) => q.name)).toEqual(
        expect.arrayContaining(['caseload', 'monitoring', 'monitoringBrowser', 'family', 'kpiMunicipality', 'kpiCountry']),
      );
      // The list asked for as a browser asks is the same answer, compressed and decoded again.
      const byName = (name: string) => b.queries.find((q: { name: string }) => q.name === name) as { bytes: number };
      expect(byName('monitoringBrowser').bytes, `${b.backend}: the compressed list decodes to the same answer`).toBe(byName('monitoring').bytes);
      // The costed lists again from 8 clients at once (the rest one request at a time).
      for (const q of b.queries as { name: string; clients?: number; inFlight: number }[]) {
        const at8 = ['caseloadAt8', 'monitoringAt8', 'inboxAt8'].includes(q.name);
        expect(q.clients, `${b.backend} ${q.name}`).toBe(at8 ? 8 : undefined);
        expect(q.inFlight, `${b.backend} ${q.name}: requests open at once`).toBe(at8 ? 8 : 1);
      }
      expect(byName('monitoringAt8').bytes, `${b.backend}: the list read from 8 clients is the same answer`).toBe(byName('monitoring').bytes);
      // SQLite's costed lists, their rounds taken in turn with the empty inbox's (read by as many clients): each round's ratio to it.
      const costed = ['caseload', 'monitoring', 'monitoringBrowser', 'inbox', 'caseloadAt8', 'monitoringAt8', 'inboxAt8'];
      for (const q of b.queries as { name: string; perInboxOutsideSql?: { median: number } }[]) {
        if (b.backend !== 'sqlite' || !costed.includes(q.name)) expect(q.perInboxOutsideSql, `${b.backend} ${q.name}`).toBeUndefined();
        else if (q.name === 'inbox' || q.name === 'inboxAt8') expect(q.perInboxOutsideSql?.median).toBe(1);
        else expect(Number.isFinite(q.perInboxOutsideSql?.median), `${q.name} ÷ the inbox`).toBe(true);
      }
      for (const q of b.queries) {
        expectSpread(q.p95, `${b.backend} ${q.name} p95`);
        expectSpread(q.serverCpuMs, `${b.backend} ${q.name} server CPU`);
        expect(q.sql.statements.median, `${b.backend} ${q.name} SQL statements per request`).toBeGreaterThan(0);
        // Outside SQL, round by round: on SQLite less each round's statements (their time is never 0),
        // on PostgreSQL all of the server's CPU (the statements run in the database).
        expectSpread(q.outsideSqlMs, `${b.backend} ${q.name} CPU outside SQL`);
        if (b.backend === 'sqlite') expect(q.outsideSqlMs.median, `${q.name} outside SQL`).toBeLessThan(q.serverCpuMs.median);
        else expect(q.outsideSqlMs.median, `${q.name} outside SQL`).toBe(q.serverCpuMs.median);
        expect(Object.keys(q.statuses), `${b.backend} ${q.name}`).toEqual(['200']);
      }
    }

    expect(r.querybuilder.map((b: { backend: string }) => b.backend)).toEqual(backends);
    for (const b of r.querybuilder) {
      expect(b.sameRow, `${b.backend}: the runner and Kysely read the same family row`).toBe(true);
      expectSpread(b.runnerPerSec, `${b.backend} runner appends/s`);
      expectSpread(b.kyselyPerSec, `${b.backend} Kysely appends/s`);
      expectSpread(b.ratio, `${b.backend} Kysely / runner`);
      expectSpread(b.cpuRatio, `${b.backend} Kysely / runner CPU`);
    }
  }, 900_000);
});
