import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

// The docs page renders the OpenAPI document in a real browser under the strict CSP (no inline
// script, no CDN): a CSP violation or a failed load would leave it empty.

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('API docs page in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}`);
    h = await startHarness('sqlite');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lists every operation and schema without CSP violations', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${h.base}/api/v1/docs`);
    await page.waitForSelector('section.op');
    const operations = await page.locator('section.op').count();
    const doc = (await (await fetch(`${h.base}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    const expected = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(operations).toBe(expected);
    expect(await page.locator('#schemas details').count()).toBeGreaterThan(20);
    expect(await page.locator('#op-sendEvent, #sendEvent').count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
