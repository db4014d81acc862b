import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildClient } from '../../scripts/buildClient.ts';
import { ManualClock } from '../../server/clock.ts';
import { Scheduler } from '../../server/engine/index.ts';
import { createApp } from '../../server/http/app.ts';
import { createLogger } from '../../server/logger.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { createTestDb, type Provider, type TestDb } from '../support/db.ts';

// The browser tests run the real thing: the client built by Vite, served by the real Express app on
// an ephemeral port, a fresh SQLite database with the demo seed, the manual clock, and Debian's
// Chromium driven by playwright-core. A missing Chromium fails the suite; it is never skipped.
// BROWSER_BACKEND=postgresql (with TEST_DATABASE_URL) serves the same suites from a fresh PostgreSQL
// schema instead.

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** A Monday morning; the demo's two years of history end here. */
export const START = new Date('2025-06-02T07:00:00.000Z');

export type Server$ = {
  base: string;
  db: TestDb;
  clock: ManualClock;
  close(): Promise<void>;
};

export { buildClient };

/** The database the browser suites are served from: SQLite, or PostgreSQL when BROWSER_BACKEND says so. */
export function browserBackend(): Provider {
  const chosen = process.env.BROWSER_BACKEND ?? 'sqlite';
  if (chosen !== 'sqlite' && chosen !== 'postgresql') throw new Error(`BROWSER_BACKEND must be sqlite or postgresql, not ${chosen}`);
  return chosen;
}

export async function startServer(clientDir: string): Promise<Server$> {
  const db = await createTestDb(browserBackend());
  const clock = new ManualClock(START);
  const seeded = await seedDemo(db, { clock, production: false });
  if (!seeded.seeded) throw new Error(`demo seed did not run: ${seeded.reason}`);
  const scheduler = new Scheduler(db, clock);
  const app = createApp({
    db,
    clock,
    scheduler,
    clientDir,
    config: { trustProxy: false, nodeEnv: 'test', clock: 'manual' },
    logger: createLogger({ level: 'silent' }),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    clock,
    async close() {
      await scheduler.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await db.drop();
    },
  };
}

export type Browser$ = { context: BrowserContext; page: Page; errors: string[]; close(): Promise<void> };

/** A fresh Chromium with an empty profile; collects uncaught page errors so tests can assert none. */
export async function launchBrowser(): Promise<Browser$> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is required at ${CHROMIUM} (apt-get install -y chromium)`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'veilig-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'nl-NL',
    // A zone other than Amsterdam shows that dates are converted, not taken from the browser.
    timezoneId: 'America/New_York',
  });
  // Fail fast with a readable locator error rather than at the test's own timeout.
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
};

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules on the page as it is now. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
    };
    const result = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** Readable summary for a failed expectation. */
export function describeViolations(v: AxeViolation[]): string {
  return v
    .map((x) => `${x.id} (${x.impact}): ${x.help} @ ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

/** On failure, a full-page screenshot in the temp dir says more than a locator timeout. */
export async function keepScreenshot(page: Page | undefined, name: string): Promise<void> {
  if (!page || page.isClosed()) return;
  const file = path.join(os.tmpdir(), `veilig-browser-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  console.error(`screenshot of the failed step: ${file}`);
}

export type Suite = {
  client: { dir: string };
  server: Server$;
  browser: Browser$;
  page: Page;
  /** What the suite counts per screen (axe violations, layout shift …), printed under its name after it. */
  figures: Record<string, number | string>;
};

/**
 * The usual frame of a browser suite: build, serve, launch before all tests; a screenshot of every
 * failed step; close everything after; print the suite's figures under `name`. The returned object is
 * filled in by `beforeAll`.
 */
export function browserSuite(name?: string): Suite {
  const suite = { figures: {} } as Suite;
  let built: Awaited<ReturnType<typeof buildClient>> | undefined;
  beforeAll(async () => {
    built = await buildClient();
    suite.client = built;
    suite.server = await startServer(built.dir);
    suite.browser = await launchBrowser();
    suite.page = suite.browser.page;
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshot(suite.page, task.name);
  });
  afterAll(async () => {
    if (name) console.log(`${name}: ${JSON.stringify(suite.figures)}`);
    await suite.browser?.close();
    await suite.server?.close();
    built?.remove();
  });
  return suite;
}

/**
 * axe at each width (default 1366 and 320 px), counted into `record` under `name @width`, with the
 * page never scrolling sideways (WCAG 1.4.10); back at 1366 px afterwards.
 */
export async function expectAccessibleAtWidths(page: Page, name: string, record: Suite['figures'], widths = [1366, 320]): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const v = await axe(page);
    record[`${name} @${width}`] = v.length;
    expect(v, `${name} at ${width}px: ${describeViolations(v)}`).toEqual([]);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(over, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}
