import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, expectAccessibleAtWidths, type Suite } from './harness.ts';

// The administrator's bulk upgrade screen in Chromium: by keyboard, a list of references moves one
// open v1 family of the demo and leaves a closed one; then all the rest. Each state axe-clean in
// Dutch and English at 1366 and 320 px; no internal id on the screen.

const suite = browserSuite('upgrades axe violations');
const { figures } = suite;
let page: Page, server: Suite['server'];
beforeAll(() => ({ page, server } = suite));

async function accessible(name: string): Promise<void> {
  for (const lang of ['nl', 'en'] as const) {
    if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-switch').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
    await expectAccessibleAtWidths(page, `${name} ${lang}`, figures);
  }
  await page.getByTestId('language-switch').click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nl');
}

const openV1 = () => server.db.prisma.family.count({ where: { machineVersion: 1, closedAt: null } });

describe('moving families to the new way of working', () => {
  it('by keyboard: a list of references, a reason required, and the result with its counts', async () => {
    const open = await server.db.prisma.family.findFirst({ where: { machineVersion: 1, closedAt: null }, orderBy: { id: 'asc' } });
    const closed = await server.db.prisma.family.findFirst({ where: { machineVersion: 1, closedAt: { not: null } } });
    expect(open && closed).toBeTruthy();

    await page.goto(`${server.base}/login`);
    await page.locator('#login-username').fill('beheerder');
    await page.locator('#login-password').fill('demo');
    await page.locator('form button[type=submit]').click();
    await page.locator('#users-title').waitFor();
    await page.getByRole('link', { name: 'Overzetten' }).click();
    await page.locator('#upgrades-title').waitFor();
    await accessible('upgrades form');

    // Without a reason: the summary takes focus and names the field; nothing starts.
    await page.getByRole('button', { name: 'Overzetten starten' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.error-summary').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.locator('.error-summary').innerText()).toContain('Reden');
    await accessible('upgrades errors');

    // The list, by keyboard: arrow to the second choice, tab into the list and on to the reason.
    await page.getByLabel('Alle gezinnen met de oude werkwijze').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Alleen de gezinnen in de lijst hieronder').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${open!.reference}\n${closed!.reference}`);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Deze gezinnen gaan over op de nieuwe werkwijze.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const result = page.getByTestId('upgrades-result');
    await result.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('upgrades-result');
    const text = await result.innerText();
    expect(text).toContain('Klaar: 1 overgezet, 1 ongewijzigd, 0 niet gelukt.');
    expect(text).toContain('1 gesloten gezin ongewijzigd');
    expect(await page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect((await server.db.prisma.family.findUniqueOrThrow({ where: { id: open!.id } })).machineVersion).toBe(2);
    const event = await server.db.prisma.event.findFirstOrThrow({ where: { familyId: open!.id, type: 'case.upgraded' } });
    expect(event.reason).toBe('Deze gezinnen gaan over op de nieuwe werkwijze.');
    await accessible('upgrades result');
  });

  it('all families on the old way of working, with the counts', async () => {
    const before = await openV1();
    expect(before).toBeGreaterThan(0);
    await page.getByLabel('Alle gezinnen met de oude werkwijze').check();
    await page.getByLabel('Reden').fill('Alle gezinnen gaan over.');
    await page.getByRole('button', { name: 'Overzetten starten' }).click();
    await expect.poll(() => page.getByTestId('upgrades-result').innerText()).toContain(`Klaar: ${before} overgezet`);
    expect(await openV1()).toBe(0);
  });
});
