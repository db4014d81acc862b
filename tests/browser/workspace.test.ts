import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axe, browserSuite, describeViolations, type Suite } from './harness.ts';
import { apiAs, eventForm, login, openAction, submitAccepted } from './helpers.ts';

// Issue 12, the professionals' workspace: each finding pinned by what a VT worker or a case director
// sees in Chromium. Every screen touched is also checked with axe at 1366 and 320 px.

const figures: Record<string, number> = {};
const suite = browserSuite(() => `workspace axe violations: ${JSON.stringify(figures)}`);
let page: Page;
let server: Suite['server'];
beforeAll(() => {
  page = suite.page;
  server = suite.server;
});

async function noViolations(name: string): Promise<void> {
  for (const width of [1366, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const v = await axe(page);
    figures[`${name} @${width}`] = v.length;
    expect(v, `${name} at ${width}px: ${describeViolations(v)}`).toEqual([]);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

/** An answer of the API's family list with the overdue filter. */
const familiesAnswer = (url: string) =>
  new URL(url).pathname === '/api/v1/families' && new URL(url).searchParams.get('overdue') === 'true';

/** Signs in afresh as `username` (each describe can run on its own). */
async function signIn(username: string): Promise<void> {
  await page.context().clearCookies();
  await login(page, server.base, username);
}

/** The page does not scroll sideways at 320 px (WCAG 1.4.10 reflow). */
async function reflows(): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  const { over, wide } = await page.evaluate(() => {
    // The outermost elements that stick out, for a readable failure.
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.parentElement?.closest('.table-wrap, .main-nav') || el.matches('.visually-hidden'))
      .filter(
        (el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1,
      )
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}#${el.id}`);
    return { over: document.documentElement.scrollWidth - window.innerWidth, wide };
  });
  await page.setViewportSize({ width: 1366, height: 900 });
  expect(over, wide.join(', ')).toBeLessThanOrEqual(0);
}

type Summary = {
  id: string;
  reference: string;
  overdue: boolean;
  nextDueAt: string | null;
  nextDueKind: string | null;
};

describe('caseload (finding 8): filters and page in the URL, the overdue item named', () => {
  it('keeps phase and overdue filter through reload and back; never puts the search text in the URL', async () => {
    await signIn('vt');
    await page.locator('.results[aria-busy="false"] table.families').waitFor();
    await page.locator('#filter-phase').selectOption('directSafety');
    await page.locator('#filter-overdue').check();
    await page.locator('#filter-q').fill('VT-2025');
    const answered = page.waitForResponse((r) => familiesAnswer(r.url()));
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('phase')).toBe('directSafety');
    expect(new URL(page.url()).searchParams.get('overdue')).toBe('true');
    // The search text is sent to the API but never put in the page's URL.
    expect(new URL((await answered).url()).searchParams.get('q')).toBe('VT-2025');
    expect(page.url()).not.toContain('VT-2025');

    const reloaded = page.waitForResponse((r) => familiesAnswer(r.url()));
    await page.reload();
    const { total } = (await (await reloaded).json()) as { total: number };
    await expect.poll(() => page.locator('#filter-phase').inputValue()).toBe('directSafety');
    await expect.poll(() => page.locator('#filter-overdue').isChecked()).toBe(true);
    await expect
      .poll(() => page.locator('.results').textContent())
      .toContain(total === 0 ? 'Geen gezinnen gevonden.' : `${total} gezin`);

    await page.goBack();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(() => page.locator('#filter-overdue').isChecked()).toBe(false);
    await expect.poll(() => page.locator('#filter-phase').inputValue()).toBe('');
  });

  it('pages with 25/50/100 per page in the URL, and names what is overdue instead of marking a date', async () => {
    await page.goto(`${server.base}/`);
    await page.locator('table.families').waitFor();
    await page.locator('#page-size').selectOption('50');
    await expect.poll(() => new URL(page.url()).searchParams.get('pageSize')).toBe('50');
    // The answer the page renders, read from the wire.
    const answer = page.waitForResponse((r) => {
      const u = new URL(r.url());
      return u.pathname === '/api/v1/families' && u.searchParams.get('page') === '2';
    });
    await page.getByRole('button', { name: 'Volgende pagina' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBe('2');
    const list = { body: (await (await answer).json()) as { items: Summary[] } };
    await page.locator('.results[aria-busy="false"] table.families').waitFor();
    expect(await page.locator('table.families tbody tr').count()).toBe(list.body.items.length);
    const rows = page.locator('table.families tbody tr');
    const overdueRefs = list.body.items.filter((f) => f.overdue).map((f) => f.reference);
    expect(overdueRefs.length, 'the demo has overdue families on this page').toBeGreaterThan(0);
    for (const f of list.body.items) {
      const row = rows.filter({ has: page.getByRole('link', { name: f.reference, exact: true }) });
      const marker = row.getByTestId('overdue-item');
      if (!f.overdue) {
        expect(await marker.count(), f.reference).toBe(0);
        continue;
      }
      const text = (await marker.textContent()) ?? '';
      // Never the bare word next to a date, never "Geen".
      expect(text).not.toBe('Over tijd');
      expect(await row.textContent()).not.toContain('Geen');
      expect(text).toMatch(/^Over tijd: \S|^Een termijn is over tijd$/);
    }
    await noViolations('caseload');
    await reflows();
  });
});

describe('error summaries (finding 5)', () => {
  it('name each field, and focus moves to the summary', async () => {
    await signIn('vt');
    await page.goto(`${server.base}/families/new`);
    await page.locator('#new-report-title').waitFor();
    await page.getByRole('button', { name: 'Melding registreren' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    const items = (await summary.locator('li').allTextContents()).map((s) => s.trim());
    expect(items.length).toBeGreaterThanOrEqual(3);
    // Each line names its field; no two lines are the same sentence.
    expect(new Set(items).size).toBe(items.length);
    expect(items).toContain('Referentie: Vul dit veld in.');
    for (const item of items) expect(item).toMatch(/^[^:]+: /);
    await noViolations('new report (errors)');
    await reflows();
  });
});

type MonitoringItem = {
  id: string;
  reference: string;
  conditions: { id: string; status: string }[];
  overdue: boolean;
};

describe('monitoring check (finding 1)', () => {
  it('can be recorded from the monitoring list for a family whose conditions were all met before', async () => {
    const vt = await apiAs(server.base, 'vt');
    const list = await vt<{ items: MonitoringItem[] }>('GET', '/monitoring?pageSize=200');
    const family = list.body.items.find((f) => f.conditions.some((c) => c.status !== 'withdrawn'));
    expect(family, 'the demo has a monitored family with conditions').toBeTruthy();
    // Bring it where the dead end was: every condition met at the last check.
    const view = await vt<{ version: number; conditions: { id: string; status: string }[] }>(
      'GET',
      `/families/${family!.id}`,
    );
    const live = view.body.conditions.filter((c) => c.status !== 'withdrawn');
    const met = await vt('POST', `/families/${family!.id}/events`, {
      type: 'monitoring.checkRecorded',
      expectedVersion: view.body.version,
      payload: { results: live.map((c) => ({ conditionId: c.id, met: true })) },
    });
    expect(met.status).toBe(200);
    family!.conditions = live;

    await signIn('vt');
    await page.goto(`${server.base}/monitoring`);
    await page.locator('#monitoring-title').waitFor();
    await page.getByRole('link', { name: family!.reference, exact: true }).click();
    await page.locator('#actions-title').waitFor();
    await openAction(page, 'monitoring.checkRecorded');
    const form = eventForm(page, 'monitoring.checkRecorded');
    // The met conditions are offered for checking, not "there are no open conditions".
    expect(await form.textContent()).not.toContain('geen open');
    expect(await form.locator('input[type=radio]').count()).toBe(family!.conditions.length * 2);

    // Nothing answered: one clear error, named.
    await form.locator('button[type=submit]').click();
    await form.locator('.error-summary').waitFor();
    expect(await form.locator('.error-summary li').allTextContents()).toEqual([
      expect.stringContaining('Beantwoord ten minste één voorwaarde.'),
    ]);
    await noViolations('monitoring check (errors)');

    await form.getByLabel('Nageleefd').first().check();
    await form.getByLabel('Notities').fill('Huisbezoek, afspraken worden nagekomen.');
    await submitAccepted(page, 'monitoring.checkRecorded');
    const history = await vt<{ events: { type: string }[] }>('GET', `/families/${family!.id}/history`);
    expect(history.body.events.at(-1)?.type).toBe('monitoring.checkRecorded');
    await noViolations('family page (after a check)');
    await reflows();
  });
});

describe('no raw or internal text in the Dutch UI (finding 6)', () => {
  it('names access-log actions and results in words, and KPI definitions without state names', async () => {
    await signIn('auditor');
    await page.goto(`${server.base}/kpis`);
    await page.locator('table.kpis').waitFor();
    const kpis = (await page.locator('table.kpis').textContent()) ?? '';
    expect(kpis).not.toMatch(/\b(reported|assessment|investigation|directSafety|stableSafety|recovery)\b/);
    await page.goto(`${server.base}/access-log`);
    await page.locator('table.access-log tbody tr').first().waitFor();
    const cells = await page.locator('table.access-log tbody td').allTextContents();
    for (const raw of [
      'kpis',
      'ok',
      'refused',
      'denied',
      'not_found',
      'monitoring',
      'access-log',
      'list',
      'read',
    ])
      expect(cells, raw).not.toContain(raw);
    expect(cells).toContain('Kengetallen opgevraagd');
    expect(cells).toContain('Toegestaan');
    await noViolations('access log');
  });
});
