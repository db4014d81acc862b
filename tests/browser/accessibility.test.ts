import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  axe,
  buildClient,
  describeViolations,
  keepScreenshot,
  launchBrowser,
  startServer,
  type Browser$,
  type Server$,
} from './harness.ts';
import { apiAs, eventForm, focusIsVisible, login, logout, openAction, tabTo } from './helpers.ts';

// WCAG 2.1 AA in real Chromium: axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) finds no violation on
// any main page; the main flow works with the keyboard alone and focus stays visible; the language
// switch changes the words and the document language, and is the only thing the browser remembers.

let client: Awaited<ReturnType<typeof buildClient>>;
let server: Server$;
let browser: Browser$;
let page: Page;
const figures: Record<string, number> = {};

beforeAll(async () => {
  client = await buildClient();
  server = await startServer(client.dir);
  browser = await launchBrowser();
  page = browser.page;
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await keepScreenshot(page, task.name);
});

afterAll(async () => {
  // The per-page figures, for the report.
  console.log(`axe violations per page: ${JSON.stringify(figures)}`);
  await browser?.close();
  await server?.close();
  client?.remove();
});

async function expectNoViolations(name: string): Promise<void> {
  const violations = await axe(page);
  figures[name] = violations.length;
  expect(violations, describeViolations(violations)).toEqual([]);
}

/** A family of the demo region in `phase`, as VT sees it. */
async function familyIn(phase: string): Promise<string> {
  const vt = await apiAs(server.base, 'vt');
  const list = await vt<{ items: { id: string }[] }>('GET', `/families?phase=${phase}&pageSize=5`);
  const id = list.body.items[0]?.id;
  if (!id) throw new Error(`the demo has no family in ${phase}`);
  return id;
}

describe('axe-core finds no WCAG 2.1 A/AA violations', () => {
  it('is really running: an unlabeled field planted in the page is reported', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#login-title').waitFor();
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'planted';
      document.querySelector('main')?.append(input);
    });
    const violations = await axe(page);
    expect(violations.map((v) => v.id)).toContain('label');
    await page.evaluate(() => document.getElementById('planted')?.remove());
  });

  it('on the login page, also with an error shown', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#login-title').waitFor();
    await expectNoViolations('login');
    await page.locator('#login-username').fill('vt');
    await page.locator('#login-password').fill('wrong');
    await page.locator('form button[type=submit]').click();
    await page.locator('#login-error').waitFor();
    await expectNoViolations('login (error)');
  });

  it('on the family list and the new-report form with field errors', async () => {
    await login(page, server.base, 'vt');
    await page.locator('table.families').waitFor();
    await expectNoViolations('family list');
    await page.getByRole('link', { name: 'Nieuwe melding' }).first().click();
    await page.locator('#new-report-title').waitFor();
    await expectNoViolations('new report');
    await page.getByRole('button', { name: 'Melding registreren' }).click();
    await page.locator('.error-summary').waitFor();
    await expectNoViolations('new report (errors)');
  });

  it('on a family page, with an event form open and after a refusal', async () => {
    await page.goto(`${server.base}/families/${await familyIn('stableSafety')}`);
    await page.locator('#actions-title').waitFor();
    await expectNoViolations('family page');
    // (Stable safety itself is blocked here, shown disabled with its sentence: issue 12 finding 3.)
    await openAction(page, 'incident.reported');
    await expectNoViolations('family page (form open)');
    await eventForm(page, 'incident.reported').locator('button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    await expectNoViolations('family page (form errors)');
  });

  it('on the monitoring list and the key figures', async () => {
    await page.getByRole('link', { name: 'Monitoring' }).click();
    await page.locator('#monitoring-title').waitFor();
    await page.locator('#monitoring-title ~ .table-wrap table, #monitoring-title ~ p').first().waitFor();
    await expectNoViolations('monitoring');
    await page.getByRole('link', { name: 'Kengetallen' }).click();
    await page.locator('table.kpis').waitFor();
    await expectNoViolations('kpis');
  });

  it('on history, replay (while stepping) and the access log, as auditor', async () => {
    const id = await familyIn('recovery');
    await logout(page);
    await login(page, server.base, 'auditor');
    await page.goto(`${server.base}/families/${id}/history`);
    await page.locator('ol.history').waitFor();
    await expectNoViolations('history');
    await page.getByRole('link', { name: 'Beslissingen naspelen' }).first().click();
    const step = page.getByTestId('replay-step');
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    await page.getByTestId('replay-next').click();
    await expect.poll(() => step.getAttribute('data-seq')).toBe('2');
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    await expectNoViolations('replay');
    await page.getByTestId('verify').click();
    await page.getByTestId('verify-result').waitFor();
    await expectNoViolations('replay (verified)');
    await page.getByRole('link', { name: 'Toegangslog' }).click();
    await page.locator('table.access-log').waitFor();
    await expectNoViolations('access log');
  });
});

describe('keyboard only', () => {
  it('signs in, opens a family, records an incident and reaches its history without a mouse', async () => {
    await logout(page);
    await page.goto(`${server.base}/login`);
    await page.locator('#login-title').waitFor();

    // The first Tab reveals the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    expect(await focusIsVisible(page)).toBe(true);

    await tabTo(page, '#login-username');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.type('vt');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo');
    await page.keyboard.press('Enter');
    await page.locator('table.families').waitFor();

    await tabTo(page, 'table.families tbody a', undefined, 200);
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#actions-title').waitFor();
    // Focus moved to the new page's heading, as a page load would start at the top.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    const version = Number(await page.getByTestId('family-version').textContent());
    await tabTo(page, 'button[data-event="incident.reported"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await eventForm(page, 'incident.reported').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ev-incident-reported-title');

    await tabTo(page, 'input[type=radio][name="ev-incident-reported-severity"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Space');
    await tabTo(page, '#ev-incident-reported-description');
    await page.keyboard.type('Ruzie in de avond, buren belden de politie.');
    await tabTo(page, 'form[data-event-type="incident.reported"] button[type=submit]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('notice').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('family-version').textContent()))
      .toBe(version + 1);
    // After saving, focus returns to the actions heading rather than being lost.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('actions-title');

    await tabTo(page, 'a', 'Geschiedenis', 200);
    await page.keyboard.press('Enter');
    await page.locator('ol.history').waitFor();
    expect(await page.locator('ol.history').textContent()).toContain('Incident vastgelegd');
  });
});

describe('language', () => {
  it('switches from Dutch to English, sets the lang attribute, and remembers only the language', async () => {
    await page.goto(`${server.base}/`);
    await page.locator('#families-title').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    expect(await page.locator('#families-title').textContent()).toBe('Gezinnen');

    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('#families-title').textContent()).toBe('Families');
    expect(await page.getByRole('navigation', { name: 'Main menu' }).count()).toBe(1);
    await expectNoViolations('family list (English)');

    await page.reload();
    await page.locator('#families-title').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('#families-title').textContent()).toBe('Families');

    // Having opened families and forms, the browser holds the language and nothing else.
    const stored = await page.evaluate(() => ({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: sessionStorage.length,
    }));
    expect(stored).toEqual({ local: { 'veilig-pad.language': 'en' }, session: 0 });

    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('nl');
    expect(await page.locator('#families-title').textContent()).toBe('Gezinnen');
  });

  it('shows a refusal in the chosen language', async () => {
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.goto(`${server.base}/families/${await familyIn('assessment')}`);
    await page.locator('#actions-title').waitFor();
    await openAction(page, 'assessment.completed');
    const form = eventForm(page, 'assessment.completed');
    await form.getByLabel('Conditions and follow-up (Veilig Thuis keeps the case)').check();
    await form.getByLabel('Motivation').fill('Conditions are needed before anything else.');
    await form.locator('button[type=submit]').click();
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    expect(text).toContain('Not allowed.');
    expect(text.toLowerCase()).toContain('condition');
    await expectNoViolations('family page (refusal, English)');
    await page.getByTestId('language-switch').click();
  });
});
