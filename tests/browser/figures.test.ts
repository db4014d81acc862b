import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, expectAccessibleAtWidths, type Suite } from './harness.ts';
import { apiAs, login } from './helpers.ts';

// Issue 13 in Chromium: the KPI dashboard (vt and auditor) and the access review (auditor) on the
// demo region. Every screen is checked with axe in Dutch and English at 1366 and 320 px.

const suite = browserSuite('figures axe violations');
const { figures: counted } = suite;
let page: Page, server: Suite['server'];
beforeAll(() => ({ page, server } = suite));

const noViolations = (name: string) => expectAccessibleAtWidths(page, name, counted);

/** Checks the screen in Dutch, switches to English, checks it again, and back to Dutch. */
async function noViolationsInBothLanguages(name: string, ready: () => Promise<unknown>): Promise<void> {
  await noViolations(`${name} (nl)`);
  await page.getByTestId('language-switch').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  await ready();
  await noViolations(`${name} (en)`);
  await page.getByTestId('language-switch').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('nl');
  await ready();
}

async function signIn(username: string): Promise<void> {
  await page.context().clearCookies();
  await login(page, server.base, username);
}

const chartsReady = async () => {
  await page.locator('table.kpis').waitFor();
  await expect.poll(() => page.locator('.kpi-chart .recharts-wrapper').count()).toBe(5);
};

describe('KPI dashboard', () => {
  it('loads the charts only on the dashboard, shows each figure with its definition and target, and keeps the filters in the URL', async () => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await signIn('vt');
    await page.locator('#families-title').waitFor();
    // The first screens do not fetch the chart module.
    expect(scripts.filter((s) => /KpiChart/.test(s))).toEqual([]);
    await page.getByRole('link', { name: 'Kengetallen' }).click();
    await chartsReady();
    expect(scripts.filter((s) => /KpiChart/.test(s)).length).toBe(1);

    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toMatch(/\b(reported|assessment|investigation|directSafety|stableSafety|recovery|handoverPending)\b/);
    const inTime = (await page.locator('table.kpi-in-time').textContent()) ?? '';
    expect(inTime).toContain('90 %');
    expect(inTime).toContain('80 %');
    expect(inTime).toMatch(/Norm (niet )?gehaald|Niet te meten/);
    for (const key of ['handoverAcceptanceMedian', 'reportsPer10k', 'escalationTo_ZVH', 'timePerPhase_directSafety', 'daysWithoutHelpMedian', 'reporterInformed', 'stagnationObstacle_none']) {
      const row = page.locator(`table.kpis tr[data-kpi="${key}"]`);
      expect(((await row.locator('td').last().textContent()) ?? '').length, key).toBeGreaterThan(30);
    }
    // The charts picture their tables: one text alternative each, the numbers in the table beside it.
    expect(await page.locator('.kpi-chart[role="img"][aria-label]').count()).toBeGreaterThanOrEqual(5);
    // Issue 14: the familyCase@2 figures, with the professionals' words.
    expect((await page.locator('table.kpi-help').textContent()) ?? '').toContain('Dagen zonder hulp');
    expect((await page.locator('table.kpi-obstacles').textContent()) ?? '').toContain('Wachtlijst');

    await page.locator('#kpi-from').fill('2024-06-01');
    await page.locator('#kpi-to').fill('2025-06-01');
    await page.locator('#kpi-municipality').selectOption('Heerlen');
    await page.getByRole('button', { name: 'Berekenen' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('municipality')).toBe('Heerlen');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2024-06-01');
    await page.reload();
    await chartsReady();
    expect(await page.locator('#kpi-municipality').inputValue()).toBe('Heerlen');
    expect(await page.locator('main').textContent()).toContain('(Heerlen)');
    await noViolationsInBothLanguages('kpi dashboard', chartsReady);
  });

  it('downloads the figures as CSV', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Downloaden als CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('kengetallen.csv');
    const text = await readFile((await file.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('figure,value,unit,basis,target,definition_nl,definition_en');
    expect(text).toContain('assessedWithinDeadline,');
  });

  it('answers "how long do families wait, and where" for the demo region', async () => {
    await signIn('auditor');
    await page.goto(`${server.base}/kpis`);
    await chartsReady();
    await page.getByRole('link', { name: 'Wachttijd per gemeente' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('municipalities');
    const table = page.locator('table.municipalities');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(16);
    const answer = (await page.locator('#kpi-where-title ~ p').first().textContent()) ?? '';
    const first = (await table.locator('tbody tr th').first().textContent()) ?? '';
    expect(answer).toContain(`Het langst wachten gezinnen in ${first}`);
    // Longest median wait first: the column reads in descending order (unmeasured last).
    const medians = (await table.locator('tbody tr td:nth-child(4)').allTextContents()).map((s) =>
      /^[\d,.]+ dagen$/.test(s) ? Number(s.replace(' dagen', '').replace('.', '').replace(',', '.')) : -1,
    );
    expect(medians).toEqual([...medians].sort((a, b) => b - a));
    expect(medians[0]).toBeGreaterThanOrEqual(0);
    await expect.poll(() => page.locator('.kpi-chart .recharts-wrapper').count()).toBe(1);
    await noViolationsInBothLanguages('municipality comparison', () => table.waitFor());
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Downloaden als CSV' }).click();
    expect((await download).suggestedFilename()).toBe('wachttijden-per-gemeente.csv');
  });
});

describe('access review', () => {
  it('filters by the name the table shows and by reference, marks unassigned reads in words, and downloads CSV', async () => {
    // A director who was never assigned looks a family up: a read that must stand out.
    const vt = await apiAs(server.base, 'vt');
    const list = await vt<{ items: { id: string; reference: string; caseDirector: { username: string } | null }[] }>(
      'GET',
      '/families?pageSize=100',
    );
    const target = list.body.items.find((f) => f.caseDirector?.username !== 'regisseur2')!;
    const other = await apiAs(server.base, 'regisseur2');
    expect((await other('GET', `/families/${target.id}`)).status).toBe(404);

    await signIn('auditor');
    await page.goto(`${server.base}/access-log`);
    await page.locator('table.access-log tbody tr').first().waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);

    await page.getByLabel('Naam gebruiker').fill('regisseur');
    await page.getByLabel('Dossiernummer gezin').fill(target.reference);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    const rows = page.locator('table.access-log tbody tr');
    await expect.poll(async () => (await page.locator('table.access-log caption').textContent()) ?? '').toMatch(/regel/);
    const users = await rows.locator('td:nth-child(2)').allTextContents();
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) expect(u.toLowerCase()).toContain('regisseur');
    const families = await rows.locator('td:nth-child(4)').allTextContents();
    expect(new Set(families)).toEqual(new Set([target.reference]));
    const flagged = page.locator('table.access-log tr.unassigned');
    expect(await flagged.count()).toBeGreaterThan(0);
    expect(await flagged.first().textContent()).toContain('Nee, nooit toegewezen');
    expect(await flagged.first().textContent()).toContain('Casusregisseur lokaal team 2');

    await page.getByLabel('Naam gebruiker').fill('');
    await page.getByLabel('Alleen raadplegingen door niet-toegewezen gebruikers').check();
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect.poll(async () => {
      const all = await rows.count();
      return all > 0 && all === (await flagged.count());
    }).toBe(true);
    await noViolationsInBothLanguages('access review', () => page.locator('table.access-log tbody tr').first().waitFor());

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Deze regels downloaden als CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('toegangslog.csv');
    const csv = await readFile((await file.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('id,at,userId,username,displayName,role,familyId,familyReference,action,result,assigned,ip');
    expect(csv).toContain(target.reference);
  });
});
