import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, type Suite } from './harness.ts';
import { login } from './helpers.ts';

// Issue 18, the client's part: the shell has its final layout before /me answers (cumulative layout
// shift < 0.1, measured by the browser's own layout-shift entries), the first screen loads only its
// own JavaScript (the other screens are separate chunks), and zod runs without JIT so the strict CSP
// (no 'unsafe-eval') reports no violation on any page.

const suite = browserSuite('first screen');
const { figures } = suite;

/** Collects layout shifts (as Lighthouse counts them: not after input) and CSP violations from the very start. */
const observe = () => {
  const w = window as unknown as { __cls: number; __shifts: string[]; __csp: string[] };
  w.__cls = 0;
  w.__shifts = [];
  w.__csp = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as {
      value: number;
      hadRecentInput: boolean;
      sources?: { node?: Node }[];
    }[]) {
      if (e.hadRecentInput) continue;
      w.__cls += e.value;
      w.__shifts.push(
        `${e.value.toFixed(3)} ${(e.sources ?? []).map((s) => (s.node as Element | undefined)?.className ?? s.node?.nodeName).join(',')}`,
      );
    }
  }).observe({ type: 'layout-shift', buffered: true });
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  });
};

let page: Page;
let server: Suite['server'];
beforeAll(async () => {
  page = suite.page;
  server = suite.server;
  await suite.browser.context.addInitScript(observe);
});

const cls = () => page.evaluate(() => (window as unknown as { __cls: number }).__cls);
const shifts = () => page.evaluate(() => (window as unknown as { __shifts: string[] }).__shifts.join('\n'));
const csp = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** Holds /me back until `release()`, as a slow network would: the shell must not wait for it. */
async function slowMe(): Promise<{ release(): void; seen: Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let seen!: () => void;
  const seenP = new Promise<void>((r) => (seen = r));
  await page.route('**/api/v1/me', async (route) => {
    seen();
    await gate;
    await route.continue();
  });
  return { release, seen: seenP };
}

describe('first screen', () => {
  for (const width of [1366, 320]) {
    it(`keeps its layout while /me is answered, signed in, at ${width} px (CLS < 0.1)`, async () => {
      await page.setViewportSize({ width, height: 800 });
      await page.context().clearCookies();
      await login(page, server.base, 'vt');
      const me = await slowMe();
      await page.goto(`${server.base}/`);
      await me.seen;
      // The shell is on screen, with its session bar at full height, before /me has answered.
      await page.getByTestId('session-bar').waitFor();
      const barBefore = await page.getByTestId('session-bar').boundingBox();
      const mainBefore = await page.locator('main').boundingBox();
      me.release();
      await page.locator('table.families').waitFor();
      await page.unroute('**/api/v1/me');
      const barAfter = await page.getByTestId('session-bar').boundingBox();
      const mainAfter = await page.locator('main').boundingBox();
      expect(barAfter).toEqual(barBefore);
      expect(mainAfter?.y).toBe(mainBefore?.y);
      // Let the browser deliver the buffered layout-shift entries before reading the sum.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const value = await cls();
      figures[`CLS caseload ${width}px`] = Number(value.toFixed(4));
      expect(value, await shifts()).toBeLessThan(0.1);
    });
  }

  it('paints its frame from the HTML alone, before any JavaScript, where the app then draws it', async () => {
    for (const width of [1366, 320]) {
      const plain = await page.context().browser()!.newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
      const html = await plain.newPage();
      await html.goto(`${server.base}/`);
      const frame = {
        brand: await html.locator('header.app-header .brand-name').textContent(),
        bar: await html.locator('.session-bar').boundingBox(),
        main: await html.locator('main').boundingBox(),
        footer: await html.locator('footer.app-footer').textContent(),
      };
      await plain.close();
      expect(frame.brand).toBe('Veilig Pad');
      expect(frame.footer).toMatch(/Gebruik aliassen/);
      // With JavaScript the app draws the same boxes where the HTML put them.
      await page.setViewportSize({ width, height: 800 });
      await page.context().clearCookies();
      await page.goto(`${server.base}/`);
      await page.locator('#login-title').waitFor();
      expect(await page.getByTestId('session-bar').boundingBox(), `session bar at ${width} px`).toEqual(frame.bar);
      expect((await page.locator('main').boundingBox())?.y, `main at ${width} px`).toBe(frame.main?.y);
    }
  });

  it('shows the sign-in form without asking /me when the browser holds no session', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.context().clearCookies();
    const asked: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (new URL(r.url()).pathname === '/api/v1/me') asked.push(r.url());
    };
    page.on('request', onRequest);
    await page.goto(`${server.base}/`);
    await page.locator('#login-title').waitFor();
    page.off('request', onRequest);
    // No 401 to log in the console on every visit to the sign-in page.
    expect(asked).toEqual([]);
  });

  it('keeps its layout on the sign-in page while /me says the session has ended (CLS < 0.1)', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.context().clearCookies();
    // The hint of a session that has since ended (signed out elsewhere, expired): /me is asked and says 401.
    await page.context().addCookies([{ name: 'vp_signed_in', value: '1', url: server.base }]);
    const me = await slowMe();
    await page.goto(`${server.base}/`);
    await me.seen;
    const mainBefore = await page.locator('main').boundingBox();
    me.release();
    await page.locator('#login-title').waitFor();
    await page.unroute('**/api/v1/me');
    expect((await page.locator('main').boundingBox())?.y).toBe(mainBefore?.y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const value = await cls();
    figures['CLS login 1366px'] = Number(value.toFixed(4));
    expect(value, await shifts()).toBeLessThan(0.1);
  });

  it('loads only the first screen’s JavaScript; other screens come as their own chunks when opened', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    const scripts: string[] = [];
    const onRequest = (r: { url(): string; resourceType(): string }) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    };
    page.on('request', onRequest);
    await login(page, server.base, 'vt');
    const initial = [...scripts];
    // The family page (forms, editors) is not part of the first load …
    const assets = readdirSync(path.join(suite.client.dir, 'assets'));
    const familyChunk = assets.find((f) => /^FamilyPage-.*\.js$/.test(f));
    expect(familyChunk, assets.join(', ')).toBeTruthy();
    expect(initial.some((s) => s.endsWith(familyChunk!))).toBe(false);
    // … and arrives when a family is opened.
    await page.locator('table.families tbody a').first().click();
    await page.locator('#actions-title').waitFor();
    expect(scripts.some((s) => s.endsWith(familyChunk!))).toBe(true);
    page.off('request', onRequest);
    // (The size stated in the README is measured on `npm run build`; this build runs under
    // NODE_ENV=test and so carries React's development code.)
    figures['scripts on the first screen'] = initial
      .map((s) => path.basename(s).replace(/-.*/, ''))
      .join(' ');
    figures['chunks in the build'] = assets.filter((f) => f.endsWith('.js')).length;
  });

  it('reports no CSP violation on the screens it opens (zod without JIT)', async () => {
    await page.context().clearCookies();
    await login(page, server.base, 'vt');
    await page.locator('table.families tbody a').first().click();
    await page.locator('#actions-title').waitFor();
    expect(await csp(), 'family page').toEqual([]);
    const visited: string[] = [];
    for (const to of ['/', '/monitoring', '/kpis', '/families/new']) {
      await page.goto(`${server.base}${to}`);
      await page.locator('main h1').first().waitFor();
      await page
        .locator('main [aria-busy="true"]')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      expect(await csp(), to).toEqual([]);
      visited.push(to);
    }
    // And the check itself works: an inline script the CSP forbids is reported.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
    });
    await expect.poll(csp).not.toEqual([]);
    expect(visited).toHaveLength(4);
  });
});
