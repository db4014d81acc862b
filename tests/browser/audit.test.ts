import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { statechartOf } from '../../machines/schemas/audit.ts';
import { systemEventTypes } from '../../machines/schemas/events.ts';
import { ROOT, browserSuite, expectAccessibleAtWidths, type Suite } from './harness.ts';
import { apiAs, login, logout } from './helpers.ts';

// Issue 13, the auditor's screens in Chromium: the statechart diagram (family page and replay), the
// decision history, the replay. Every screen is checked with axe in Dutch and English at 1366 and
// 320 px, and never shows a UUID or JSON.

const suite = browserSuite('audit axe violations');
const { figures } = suite;
let page: Page, server: Suite['server'];
beforeAll(() => ({ page, server } = suite));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const noViolations = (name: string) => expectAccessibleAtWidths(page, name, figures);

/** Signs out through the page (so no stale screen sends the next sign-in back to it), then in. */
async function signInAs(username: string): Promise<void> {
  // Wait until the page knows whether someone is signed in (after a reload /me may still be on its way).
  if (page.url().startsWith(server.base))
    await page.locator('.user-box button, #login-title').first().waitFor();
  if (await page.locator('.user-box button').count()) {
    // Wait for the server to end the session: leaving the page earlier would cancel that request.
    const ended = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'DELETE',
    );
    await logout(page);
    await ended;
  }
  await login(page, server.base, username);
}

async function setLanguage(lng: 'nl' | 'en'): Promise<void> {
  await page.evaluate((l) => window.localStorage.setItem('veilig-pad.language', l), lng);
  await page.reload();
}

/** The visible text of the main area has no UUID and no JSON object. */
async function noIdsOrJson(): Promise<void> {
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(UUID);
  expect(text).not.toMatch(/[{}]|"\w+":/);
}

type Summary = { id: string; reference: string; state: { phase: string } };
type HistoryRow = { type: string; seq: number };

/** A seeded family whose history has a handover offer, a decision and a system event (a rich one). */
async function richFamily(): Promise<{ id: string; reference: string; events: HistoryRow[] }> {
  const auditor = await apiAs(server.base, 'auditor');
  const list = await auditor<{ items: Summary[] }>('GET', '/families?pageSize=100');
  for (const f of list.body.items) {
    const h = await auditor<{ events: HistoryRow[] }>('GET', `/families/${f.id}/history`);
    const types = new Set(h.body.events.map((e) => e.type));
    const system: readonly string[] = systemEventTypes;
    if (
      types.has('handover.offered') &&
      h.body.events.some((e) => system.includes(e.type)) &&
      types.has('plan.agreed')
    )
      return { id: f.id, reference: f.reference, events: h.body.events };
  }
  throw new Error('no seeded family with a handover, a plan and a system event');
}

describe('statechart diagram', () => {
  it('is not in the first bundle: elkjs and @xyflow/react come only when the diagram opens', async () => {
    const html = readFileSync(path.join(suite.client.dir, 'index.html'), 'utf8');
    const entries = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(entries.length).toBeGreaterThan(0);
    for (const file of entries) {
      const js = readFileSync(path.join(suite.client.dir, file), 'utf8');
      expect(js, file).not.toContain('org.eclipse.elk');
      expect(js, file).not.toContain('react-flow__node');
    }
  });

  it('on the family page: regions, active states marked in words, possible steps, keyboard, text alternative', async () => {
    await signInAs('vt');
    const vt = await apiAs(server.base, 'vt');
    const list = await vt<{ items: Summary[] }>('GET', '/families?phase=assessment&pageSize=5');
    const family = list.body.items[0];
    expect(family).toBeDefined();
    const view = await vt<{ allowedEvents: string[]; state: { phase: string; oversight: string } }>(
      'GET',
      `/families/${family!.id}`,
    );
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) scripts.push(r.url());
    });
    await page.goto(`${server.base}/families/${family!.id}`);
    await page.locator('#actions-title').waitFor();
    const before = scripts.length;
    const fold = page.getByTestId('family-statechart');
    await fold.locator('summary').click();
    await page.locator('.statechart-canvas[data-ready="true"] .react-flow__node').first().waitFor();
    expect(scripts.length, 'the diagram is its own chunk, fetched on opening').toBeGreaterThan(before);

    const model = statechartOf(1);
    expect(await page.locator('.react-flow__node').count()).toBe(model.nodes.length);
    for (const region of ['Fase', 'Zicht op veiligheid', 'Escalatie'])
      expect(
        await page.locator('.react-flow__node .sc-region').getByText(region, { exact: true }).count(),
      ).toBe(1);
    // Active states: marked by a word, not by colour alone.
    const activeLabels = await page
      .locator('.react-flow__node[aria-label$=", actief"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(activeLabels).toEqual(
      expect.arrayContaining([
        'Veiligheidsbeoordeling, actief',
        'Veilig Thuis betrokken, actief',
        'Geen escalatie, actief',
      ]),
    );
    expect(await page.locator('.sc-active .sc-marker').first().innerText()).toContain('actief');
    // The text alternative: the active states and each possible step in words.
    const activeText = await page.getByTestId('statechart-active').innerText();
    expect(activeText).toContain('Fase: Veiligheidsbeoordeling');
    expect(activeText).toContain('Zicht op veiligheid: Veilig Thuis betrokken');
    const steps = page.getByTestId('statechart-steps').locator('li');
    expect(await steps.count()).toBe(view.body.allowedEvents.length);
    expect(await page.getByTestId('statechart-steps').innerText()).toContain(
      'Veiligheidsbeoordeling afronden: naar Gesloten, Onderzoek, Directe veiligheid of Overdracht wacht op acceptatie',
    );
    // The possible arrows are drawn thick and labelled.
    expect(await page.locator('.react-flow__edge.sc-possible').count()).toBeGreaterThan(0);

    // Keyboard: Tab reaches a state, the arrow keys move to the next and back.
    await page.locator('.react-flow__node').first().focus();
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    expect(second).toBe(model.nodes[model.nodes.findIndex((n) => n.id === first) + 1]?.id);
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(first);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(second);

    await noViolations('family page with diagram');
    await setLanguage('en');
    await page.getByTestId('family-statechart').locator('summary').click();
    await page.locator('.statechart-canvas[data-ready="true"] .react-flow__node').first().waitFor();
    expect(await page.getByTestId('statechart-active').innerText()).toContain('Phase: ');
    await noViolations('family page with diagram (English)');
    await setLanguage('nl');
  });
});

describe('decision history', () => {
  it('tells every event in a sentence with who, when and why; never an id or JSON; filters by kind', async () => {
    await signInAs('auditor');
    const family = await richFamily();
    await page.goto(`${server.base}/families/${family.id}/history`);
    const items = page.getByTestId('history-event');
    await items.first().waitFor();
    expect(await items.count()).toBe(family.events.length);
    expect(await page.locator('#history-title').innerText()).toContain(family.reference);
    for (const s of await page.getByTestId('history-sentence').allInnerTexts()) expect(s.trim()).not.toBe('');
    for (const a of await page.getByTestId('history-actor').allInnerTexts()) expect(a).toMatch(/\(|Systeem/);
    expect(
      await page
        .locator('[data-type="handover.offered"] [data-testid="history-sentence"]')
        .first()
        .innerText(),
    ).toMatch(/^Overdracht aangeboden aan /);
    await noIdsOrJson();
    await noViolations('history');

    await page.locator('#history-kind').selectOption('system');
    await expect.poll(() => new URL(page.url()).searchParams.get('kind')).toBe('system');
    const system: readonly string[] = systemEventTypes;
    const expected = family.events.filter((e) => system.includes(e.type)).length;
    await expect.poll(() => items.count()).toBe(expected);
    for (const type of await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))))
      expect(system).toContain(type);
    expect(await page.getByTestId('history-sentence').first().innerText()).toMatch(/^Termijnbewaking: /);
    await page.reload();
    await expect.poll(() => items.count()).toBe(expected);
    await noViolations('history (system events)');

    // Export: the file the browser saves verifies offline with the project's own command.
    const saved = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const download = await saved;
    const file = path.join(
      mkdtempSync(path.join(os.tmpdir(), 'veilig-export-')),
      download.suggestedFilename(),
    );
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`veilig-pad-export-${family.reference}.json`);
    await page.getByTestId('export-result').waitFor();
    const verified = spawnSync('npm', ['run', '-s', 'verify-export', '--', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    rmSync(path.dirname(file), { recursive: true, force: true });

    await page.locator('#history-kind').selectOption('');
    await page.locator('#history-decisions').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('decisions')).toBe('1');
    for (const el of await items.all()) expect(await el.getAttribute('class')).toContain('decision');

    await setLanguage('en');
    await page.getByTestId('history-event').first().waitFor();
    await noIdsOrJson();
    await noViolations('history (English)');
    await setLanguage('nl');
  });
});

describe('replay', () => {
  it('steps through the history by keyboard: who, why, what changed in words, the state on the diagram', async () => {
    await signInAs('auditor');
    const family = await richFamily();
    await page.goto(`${server.base}/families/${family.id}/replay`);
    const step = page.getByTestId('replay-step');
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('replay-event').innerText()).toBe('Melding ontvangen');
    expect(await page.getByTestId('replay-sentence').innerText()).toMatch(
      /^(Acute m|M)elding van .* ontvangen op \d\d-\d\d-\d{4}\./,
    );
    expect(await page.getByTestId('replay-changes').innerText()).toContain(
      'De casus begint in de fase Gemeld (wachtlijst).',
    );
    await page.locator('#replay-chart-title').waitFor();
    await page.locator('.statechart-canvas[data-ready="true"] .react-flow__node').first().waitFor();
    expect(await page.getByTestId('statechart-active').innerText()).toContain('Fase: Gemeld (wachtlijst)');

    // The keyboard: → steps on, ← back, End to the last step, Home to the first.
    await page.getByTestId('replay-next').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => step.getAttribute('data-seq')).toBe('2');
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('replay-changes').innerText()).toContain(
      'Fase: Gemeld (wachtlijst) → Veiligheidsbeoordeling.',
    );
    expect(await page.getByTestId('statechart-active').innerText()).toContain('Fase: Veiligheidsbeoordeling');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => step.getAttribute('data-seq')).toBe('1');

    // Step to the handover offer: the director is named, never an id, and the changes say so.
    const offer = family.events.find((e) => e.type === 'handover.offered')!;
    await page.locator('#replay-goto').fill(String(offer.seq));
    await page.locator('#replay-goto').press('Enter');
    await expect.poll(() => step.getAttribute('data-seq')).toBe(String(offer.seq));
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('replay-sentence').innerText()).toMatch(
      /^Overdracht aangeboden aan (?!iemand).+ \((casusregisseur|Veilig Thuis)\)\./,
    );
    expect(await page.getByTestId('replay-changes').innerText()).toMatch(
      /Overdracht aangeboden aan .*; wacht op acceptatie\./,
    );
    expect(await page.getByTestId('replay-actor').innerText()).toMatch(/\(/);
    // Under today's rules (version 1 is today's): the decision is still allowed, said in words.
    const today = page.getByTestId('replay-current-rules');
    expect(await today.getAttribute('data-allowed')).toBe('true');
    expect(await today.innerText()).toMatch(/^De regels van vandaag \(versie \d+\) staan deze stap/);
    await noIdsOrJson();
    await noViolations('replay');

    await page.getByTestId('replay-last').focus();
    await page.keyboard.press('End');
    await expect.poll(() => step.getAttribute('data-seq')).toBe(String(family.events.length));
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('replay-changes').locator('li').count()).toBeGreaterThan(0);
    await noIdsOrJson();

    await setLanguage('en');
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    await page.locator('.statechart-canvas[data-ready="true"] .react-flow__node').first().waitFor();
    await noIdsOrJson();
    await noViolations('replay (English)');
    await setLanguage('nl');
  });
});
