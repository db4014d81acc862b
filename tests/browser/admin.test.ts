import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axe, browserSuite, describeViolations, type Suite } from './harness.ts';
import { apiAs, login, logout } from './helpers.ts';

// Issue 16 in Chromium: the functional administrator adds a case director, who activates the account
// with the one-time code, signs in and sees an empty caseload. Every administration screen has no
// axe violations in Dutch and in English, at 1366 and at 320 px (where it does not scroll sideways).

const suite = browserSuite('admin axe violations');
const { figures } = suite;
let page: Page, server: Suite['server'];
beforeAll(() => ({ page, server } = suite));

const PASSWORD = 'Mijn eerste dag bij het wijkteam';

/** Signs the administrator in; the start page is the users list (no family data). */
async function signInAdmin(): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  await page.locator('#login-username').fill('beheerder');
  await page.locator('#login-password').fill('demo');
  await page.locator('form button[type=submit]').click();
  await page.locator('#users-title').waitFor();
}

/** axe in both languages at two widths, and no sideways scrolling at 320 px. */
async function checkScreen(name: string, ready: string): Promise<void> {
  for (const lang of ['nl', 'en'] as const) {
    if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-switch').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
    await page.locator(ready).waitFor();
    for (const width of [1366, 320]) {
      await page.setViewportSize({ width, height: 900 });
      const violations = await axe(page);
      figures[`${name} ${lang} @${width}`] = violations.length;
      expect(violations, `${name} (${lang}, ${width}px): ${describeViolations(violations)}`).toEqual([]);
      if (width === 320) {
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(over, `${name} (${lang}) scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
      }
    }
  }
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.getByTestId('language-switch').click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nl');
}

describe('onboarding a case director', () => {
  let code = '';

  it('the administrator adds a director and sees the activation code once, with focus on it', async () => {
    await signInAdmin();
    expect(new URL(page.url()).pathname).toBe('/users');
    await page.getByRole('link', { name: 'Gebruiker toevoegen' }).click();
    await page.locator('#new-user-title').waitFor();
    // An empty form: the summary names each field and takes focus.
    await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    const text = await summary.innerText();
    for (const field of ['Gebruikersnaam', 'Naam', 'Rollen']) expect(text).toContain(field);

    await page.locator('#new-user-username').fill('wijkregisseur');
    await page.locator('#new-user-displayName').fill('Wanda Wijk');
    await page.getByLabel('casusregisseur').check();
    await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
    const panel = page.locator('.activation');
    await panel.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('activation'))).toBe(true);
    code = (await page.getByTestId('activation-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    // No internal id on the screen.
    expect(await page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await logout(page);
  });

  it('the director activates the account with the code, signs in and sees an empty caseload', async () => {
    await page.getByRole('link', { name: 'Account activeren' }).click();
    await page.locator('#activate-title').waitFor();
    await page.locator('#activate-username').fill('wijkregisseur');
    await page.locator('#activate-code').fill(code.toLowerCase());
    await page.locator('#activate-password').fill('te kort');
    await page.locator('#activate-repeat').fill('te kort');
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').innerText()).toContain('Nieuw wachtwoord');
    await page.locator('#activate-password').fill(PASSWORD);
    await page.locator('#activate-repeat').fill(PASSWORD);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await page.locator('main .notice.success').getByText('Uw wachtwoord is ingesteld.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('success'))).toBe(true);

    await login(page, server.base, 'wijkregisseur', PASSWORD);
    await page.locator('.results[aria-busy="false"]').waitFor();
    expect(await page.locator('table.families tbody tr').count()).toBe(0);
    await logout(page);
  });

  it('the code works once', async () => {
    await page.goto(`${server.base}/activate`);
    await page.locator('#activate-username').fill('wijkregisseur');
    await page.locator('#activate-code').fill(code);
    await page.locator('#activate-password').fill(`${PASSWORD} nogmaals`);
    await page.locator('#activate-repeat').fill(`${PASSWORD} nogmaals`);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').innerText()).toContain('Activeringscode');
  });
});

describe('changing one\'s own password', () => {
  const NEW = 'Een nieuw wachtwoord voor het wijkteam';

  it('the director changes the password from the session bar; the other session ends, this one goes on', async () => {
    const other = await apiAs(server.base, 'wijkregisseur', PASSWORD);
    expect((await other('GET', '/me')).status).toBe(200);
    await login(page, server.base, 'wijkregisseur', PASSWORD);
    await page.locator('.results[aria-busy="false"]').waitFor();
    await page.locator('.user-box').getByRole('link', { name: 'Wachtwoord wijzigen' }).click();
    await page.locator('#password-title').waitFor();
    await checkScreen('change password', '#password-title');

    // A wrong current password and a new one that repeats differently: each error names its field.
    await page.locator('#password-currentPassword').fill('niet mijn wachtwoord');
    await page.locator('#password-newPassword').fill(NEW);
    await page.locator('#password-repeat').fill(`${NEW}!`);
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Herhaal het nieuwe wachtwoord');
    await page.locator('#password-repeat').fill(NEW);
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await expect.poll(async () => (await summary.innerText()).includes('Het huidige wachtwoord klopt niet.')).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);

    await page.locator('#password-currentPassword').fill(PASSWORD);
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await page.locator('main .notice.success').getByText('Uw wachtwoord is gewijzigd.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('success'))).toBe(true);
    expect((await other('GET', '/me')).status).toBe(401);
    // This session goes on; the old password no longer works, the new one does.
    await page.getByRole('link', { name: 'Terug naar de startpagina' }).click();
    await page.locator('.results[aria-busy="false"]').waitFor();
    await logout(page);
    await expect(apiAs(server.base, 'wijkregisseur', PASSWORD)).rejects.toThrow(/401/);
    expect((await (await apiAs(server.base, 'wijkregisseur', NEW))('GET', '/me')).status).toBe(200);
  }, 120_000);
});

describe('the administration screens', () => {
  it('users, a user, norms and the admin log: filters, a norm change with its reason, the log row', async () => {
    await signInAdmin();
    await checkScreen('users', 'table.users');
    await page.locator('#users-role').selectOption('director');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    // Wait for the filtered table: before the answer arrives, the unfiltered one also lists Wanda Wijk.
    await expect
      .poll(async () => {
        const rows = await page.locator('table.users tbody').innerText();
        return rows.includes('Wanda Wijk') && !rows.includes('beheerder');
      })
      .toBe(true);
    await page.getByRole('link', { name: 'Wanda Wijk' }).click();
    await page.locator('#user-title').waitFor();
    await checkScreen('user', '#user-details-title');

    await page.goto(`${server.base}/norms`);
    await page.locator('.norm-list li').first().waitFor();
    await checkScreen('norms', '#norm-assessmentWorkingDays-title');
    await page.getByRole('button', { name: 'Veiligheidsbeoordeling na een melding wijzigen' }).click();
    const value = page.locator('#norm-assessmentWorkingDays-value');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('norm-assessmentWorkingDays-value');
    await value.fill('7');
    await page.getByRole('button', { name: 'Norm opslaan' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').innerText()).toContain('Reden van de wijziging');
    await page.locator('#norm-assessmentWorkingDays-reason').fill('Regionale afspraak');
    await page.getByRole('button', { name: 'Norm opslaan' }).click();
    await page.locator('main .notice.success').getByText('Veiligheidsbeoordeling na een melding is nu 7 werkdagen.').waitFor();

    await page.getByRole('link', { name: 'Beheerlog' }).click();
    await page.locator('table.admin-log').waitFor();
    await checkScreen('admin log', 'table.admin-log');
    const log = await page.locator('table.admin-log tbody').innerText();
    for (const text of ['Norm gewijzigd', 'Regionale afspraak', '5 werkdagen', '7 werkdagen', 'Gebruiker toegevoegd', 'Account geactiveerd', 'wijkregisseur']) {
      expect(log).toContain(text);
    }
    expect(log).not.toMatch(/[{}"]/);

    await page.goto(`${server.base}/users/new`);
    await page.locator('#new-user-title').waitFor();
    await checkScreen('new user', '#new-user-title');
    await logout(page);
    await page.goto(`${server.base}/activate`);
    await checkScreen('activation', '#activate-title');
    // Six screens, each in two languages at two widths: longer than one step's usual budget.
  }, 240_000);
});

describe('changing and offboarding a user in the browser', () => {
  it('renames a director with a reason, then blocks the account: both in the admin log, the open session ends and the user can no longer sign in', async () => {
    await signInAdmin();
    await page.getByRole('link', { name: 'Wanda Wijk' }).click();
    await page.locator('#user-title').waitFor();
    await page.locator('#user-details-displayName').fill('Wanda van Wijk');
    await page.locator('#user-details-reason').fill('Naam gecorrigeerd');
    await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    await page.locator('main .notice.success').getByText('De wijzigingen zijn opgeslagen.').waitFor();
    // The user signs in before the block, to see that the block ends the session at once.
    const session = await apiAs(server.base, 'wijkregisseur', 'Een nieuw wachtwoord voor het wijkteam');
    expect((await session('GET', '/me')).status).toBe(200);

    await page.locator('#user-disable-reason').fill('Uit dienst per 1 juli');
    await page.getByRole('button', { name: 'Account blokkeren' }).click();
    await page.locator('main .notice.success').getByText('Het account is geblokkeerd; de gebruiker is overal afgemeld.').waitFor();
    expect((await session('GET', '/me')).status).toBe(401);
    await expect(apiAs(server.base, 'wijkregisseur', 'Een nieuw wachtwoord voor het wijkteam')).rejects.toThrow(/401/);

    await page.getByRole('link', { name: 'Beheerlog' }).click();
    await page.locator('table.admin-log').waitFor();
    const log = await page.locator('table.admin-log tbody').innerText();
    for (const text of ['Gebruiker gewijzigd', 'Wanda van Wijk', 'Naam gecorrigeerd', 'Account geblokkeerd', 'Uit dienst per 1 juli']) {
      expect(log).toContain(text);
    }
    await logout(page);
  }, 120_000);
});
