import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { ROOT, startServerProcess } from '../support/server-process.ts';

// Issue 17 (memory): `npm start` runs the server built into one JavaScript file (scripts/start.mjs),
// not the sources under the TypeScript loader. What starts is that build, fresh, and it serves the
// API, the web client and its demo data; SIGTERM ends it cleanly. The RSS after start is printed (a
// figure for BENCHMARKS.md, never asserted: `npm run bench` measures memory).

const BUNDLE = path.join(ROOT, 'dist', 'server', 'main.mjs');

describe.each(backends())('npm start runs the compiled server (%s)', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(provider, { migrate: false });
  });
  afterAll(() => db?.drop());

  it('builds the bundle at start, runs it without tsx, serves API, client and demo data, stops on SIGTERM', async () => {
    // `npm start` is the command startServerProcess runs (it spawns node itself, to own the pid).
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    const before = Date.now();
    const server = await startServerProcess({ databaseUrl: db.url, clockStart: new Date(), env: { DEMO_DATA: 'true' } });
    try {
      const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(cmdline.slice(1)).toEqual([path.join(ROOT, 'scripts', 'start.mjs')]);
      // The process holds the bundle, not the TypeScript loader or the sources.
      const maps = readFileSync(`/proc/${server.pid}/maps`, 'utf8');
      expect(maps).not.toMatch(/node_modules\/(tsx|esbuild|vite)\//);
      expect(statSync(BUNDLE).mtimeMs).toBeGreaterThanOrEqual(before - 1000);

      expect((await fetch(`${server.base}/api/v1/health`)).status).toBe(200);
      const page = await fetch(`${server.base}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('<div id="root">');
      // The demo data: the demo accounts sign in and see families.
      const login = await fetch(`${server.base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'vt', password: 'demo' }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const families = await fetch(`${server.base}/api/v1/families`, { headers: { cookie } });
      expect(families.status).toBe(200);
      expect(((await families.json()) as { total: number }).total).toBeGreaterThan(0);
      console.log(`compiled server (${provider}): RSS after start with the demo data ${((server.rss() ?? 0) / 1048576).toFixed(0)} MiB`);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  }, 120_000);
});
