import { expect } from 'vitest';
import type { Page } from 'playwright-core';

// Page-level steps shared by the browser suites. They act as a user would (labels, buttons) and
// wait on what the user would see, never on timers.

export async function login(page: Page, base: string, username: string, password = 'demo'): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('#families-title').waitFor();
}

export async function logout(page: Page): Promise<void> {
  await page.locator('.user-box button').click();
  await page.locator('#login-title').waitFor();
}

/** Opens the family page of `id` through the app (client-side route). */
/**
 * Moves the manual clock `days` on (as `username`, over the API) and reloads the family page; the idle
 * session may have ended meanwhile, so the client may ask to sign in again and then returns to the page.
 */
export async function advanceAndReload(page: Page, base: string, username: string, days: number): Promise<void> {
  const other = await apiAs(base, username);
  const moved = await other<{ now: string }>('POST', '/clock', { advanceDays: days });
  expect(moved.status).toBe(200);
  await page.reload();
  await page.locator('#login-title, #actions-title').first().waitFor();
  if (await page.locator('#login-title').isVisible()) {
    await page.locator('#login-username').fill(username);
    await page.locator('#login-password').fill('demo');
    await page.locator('form button[type=submit]').click();
  }
  await page.locator('#actions-title').waitFor();
}

/**
 * Opens the new-report form and fills the report's own fields (a police report of partner violence in
 * Heerlen), an adult (`alias`, `born`) and a child (`childAlias`, `childBorn`) as its first two members.
 */
export async function startReport(
  page: Page,
  reference: string,
  members: { alias: string; born: string; childAlias: string; childBorn: string },
): Promise<void> {
  await page.getByRole('link', { name: 'Nieuwe melding' }).first().click();
  await page.locator('#new-report-title').waitFor();
  await page.getByLabel('Referentie').fill(reference);
  await page.getByLabel('Gemeente').selectOption('Heerlen');
  await page.getByLabel('Politie').check();
  await page.getByLabel('Partnergeweld').check();
  await page.getByLabel('Alias').fill(members.alias);
  await page.getByLabel('Volwassene of kind').selectOption('adult');
  await page.getByLabel('Geboortejaar').fill(members.born);
  await page.getByRole('button', { name: 'Directbetrokkene toevoegen' }).click();
  await page.locator('#report-members-1-alias').fill(members.childAlias);
  await page.locator('#report-members-1-kind').selectOption('child');
  await page.locator('#report-members-1-birthYear').fill(members.childBorn);
}

export async function openFamily(page: Page, base: string, id: string): Promise<void> {
  await page.goto(`${base}/families/${id}`);
  await page.locator('#actions-title').waitFor();
}

export function eventForm(page: Page, type: string) {
  return page.locator(`form[data-event-type="${type}"]`);
}

export async function openAction(page: Page, type: string): Promise<void> {
  await page.locator(`button[data-event="${type}"]`).click();
  await eventForm(page, type).waitFor();
}

/** Submits the open event form and waits until the server accepted it (the form closes, a notice shows). */
export async function submitAccepted(page: Page, type: string): Promise<void> {
  const before = Number(await page.getByTestId('family-version').textContent());
  await eventForm(page, type).locator('button[type=submit]').click();
  await page.getByTestId('notice').waitFor();
  await expect
    .poll(async () => Number(await page.getByTestId('family-version').textContent()))
    .toBe(before + 1);
  expect(await eventForm(page, type).count()).toBe(0);
}

export async function badges(page: Page): Promise<string> {
  return (await page.locator('.family-summary .badges').first().innerText()).replace(/\s+/g, ' ').trim();
}

/** The id of the family whose page is open, from the path (the only thing the URL holds). */
export function familyIdOf(url: string): string {
  const m = /\/families\/([A-Za-z0-9_-]+)/.exec(new URL(url).pathname);
  if (!m?.[1]) throw new Error(`not a family page: ${url}`);
  return m[1];
}

/** An API call from outside the browser, as another user (bearer token): a second worker at the same time. */
export async function apiAs(base: string, username: string, password = 'demo') {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/**
 * Presses Tab until the focused element matches `css` (and, if given, contains `text`), failing after
 * `max` presses: proves the control is reachable by keyboard.
 */
export async function tabTo(page: Page, css: string, text?: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ([sel, txt]) => {
        const el = document.activeElement;
        return (
          !!el &&
          el.matches(sel as string) &&
          (txt === null || (el.textContent ?? '').includes(txt as string))
        );
      },
      [css, text ?? null] as const,
    );
    if (hit) return;
  }
  throw new Error(`no focusable element matched after ${max} presses of Tab`);
}

/** The focused element shows a visible focus indicator (an outline, from :focus-visible). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return (
      el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
    );
  });
}
