import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, browserSuite, expectAccessibleAtWidths, type Suite } from './harness.ts';
import { apiAs, login } from './helpers.ts';

// Issue 13: the family's printable report (the history page with its print stylesheet), printed to
// PDF by Chromium and read back as text; and the anonymised learning review downloaded from the
// same page, with nothing in it that could identify the family.

const suite = browserSuite();
let page: Page, server: Suite['server'];
const dir = mkdtempSync(path.join(os.tmpdir(), 'veilig-report-'));
beforeAll(() => ({ page, server } = suite));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Family = { id: string; reference: string; members: { alias: string }[] };

/** The text of every page of a PDF, pages joined by newlines. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}

describe("the auditor's printable report and learning review", () => {
  let family: Family;

  beforeAll(async () => {
    const auditor = await apiAs(server.base, 'auditor');
    const list = await auditor<{ items: { id: string }[] }>('GET', '/families?phase=stableSafety&pageSize=1');
    const id = list.body.items[0]?.id;
    expect(id, 'the demo has a family in stable safety').toBeTruthy();
    family = (await auditor<Family>('GET', `/families/${id}`)).body;
    await login(page, server.base, 'auditor');
    await page.goto(`${server.base}/families/${family.id}/history`);
    await page.getByTestId('history-timeline').waitFor();
  });

  it('prints the history to PDF: the reference, every event sentence on screen, who printed it; no navigation or buttons', async () => {
    const sentences = (await page.getByTestId('history-sentence').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    expect(sentences.length).toBeGreaterThan(3);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.session-bar').isVisible()).toBe(false);
    expect(await page.getByTestId('print').isVisible()).toBe(false);
    expect(await page.getByTestId('printed-by').innerText()).toMatch(/^Afgedrukt op \d{2}-\d{2}-\d{4} \d{2}:\d{2} door Auditor kwaliteit\.$/);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    await page.emulateMedia({ media: 'screen' });
    const text = await pdfText(new Uint8Array(pdf));
    expect(text).toContain(family.reference);
    expect(text).toContain('Afgedrukt op');
    // Every sentence of the timeline is in the PDF (words may wrap, so compare without spaces).
    const flat = text.replace(/\s/g, '');
    for (const s of sentences) expect(flat, s).toContain(s.replace(/\s/g, ''));
    for (const hidden of ['Uitloggen', 'Export downloaden', 'Rapport afdrukken']) expect(text).not.toContain(hidden);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
  });

  it('downloads the anonymised learning review: days since the report, no reference, alias, name or id', async () => {
    const saved = page.waitForEvent('download');
    await page.getByTestId('export-review').click();
    const download = await saved;
    expect(download.suggestedFilename()).toBe('veilig-pad-leerreview.json');
    const file = path.join(dir, 'review.json');
    await download.saveAs(file);
    await page.getByTestId('export-result').getByText('De geanonimiseerde leerreview is gedownload.').waitFor();
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'veilig-pad-review/1' });
    expect(text).not.toContain(family.reference);
    expect(text).not.toContain(family.id);
    // The review names members Ouder 1, Kind 2 …; any other alias of the family must be gone.
    const anonymous = /^(Ouder|Kind|Volwassene|Ongeboren) \d+$/;
    for (const m of family.members.filter((x) => !anonymous.test(x.alias))) expect(text).not.toContain(`"${m.alias}"`);
    for (const name of ['"regisseur"', '"regisseur2"', 'Casusregisseur lokaal team', 'Veilig Thuis medewerker']) expect(text).not.toContain(name);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});

describe('checking every family at once', () => {
  it('follows the server-side check with a progress bar and says every chain is intact, in Dutch and English', async () => {
    const auditor = await apiAs(server.base, 'auditor');
    const total = (await auditor<{ total: number }>('GET', '/families?pageSize=1')).body.total;
    const logged = async () => (await auditor<{ total: number }>('GET', '/access-log?pageSize=1')).body.total;
    const before = await logged();
    const figures: Record<string, number> = {};
    await page.locator('.main-nav').getByRole('link', { name: 'Integriteit' }).click();
    await page.locator('#integrity-title').waitFor();
    await expectAccessibleAtWidths(page, 'integrity', figures);
    // Whether the progress bar was ever on screen while the check ran (it may be short on the demo data).
    await page.evaluate(() => {
      const w = window as unknown as { __sawProgress?: boolean };
      w.__sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('progress[data-testid="verify-all-progress"]')) w.__sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByTestId('verify-all').click();
    const result = page.getByTestId('verify-all-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.innerText()).toBe(`De geschiedenis van alle ${total} gezinnen is intact.`);
    expect(await page.evaluate(() => (window as unknown as { __sawProgress?: boolean }).__sawProgress)).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('verify-all-result');
    await expectAccessibleAtWidths(page, 'integrity (done)', figures);
    await page.getByTestId('language-switch').click();
    await expect.poll(() => result.innerText()).toBe(`The histories of all ${total} families are intact.`);
    await expectAccessibleAtWidths(page, 'integrity (en)', figures);
    await page.getByTestId('language-switch').click();
    // Each family checked is in the access log (one row per family, besides the start and the polls).
    expect(await logged()).toBeGreaterThanOrEqual(before + total);
  }, 120_000);
});

describe("the auditor's round, in one go", () => {
  it('finds a seeded family, replays it step by step (who, why, today\'s rules), verifies, exports and checks the export offline, and reviews who read it', async () => {
    const auditor = await apiAs(server.base, 'auditor');
    const list = await auditor<{ items: { id: string; reference: string }[] }>('GET', '/families?phase=directSafety&pageSize=20');
    let target: { id: string; reference: string } | undefined;
    for (const f of list.body.items) {
      const h = await auditor<{ events: { type: string }[] }>('GET', `/families/${f.id}/history`);
      if (h.body.events.some((e) => e.type === 'handover.accepted')) {
        target = f;
        break;
      }
    }
    expect(target, 'the demo has a family in direct safety whose handover was accepted').toBeTruthy();
    const { id, reference } = target!;

    // Find it as a user would: by its reference, from the caseload.
    await page.locator('.main-nav').getByRole('link', { name: 'Gezinnen' }).click();
    await page.getByLabel('Zoeken op referentie of gemeente').fill(reference);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('link', { name: reference, exact: true }).click();
    await page.locator('#actions-title').waitFor();
    await page.getByRole('link', { name: 'Beslissingen naspelen' }).click();

    // Step through the first decisions with the keyboard: each names who decided, why, and today's rules.
    const step = page.getByTestId('replay-step');
    await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
    await page.getByTestId('replay-next').focus();
    const seen: string[] = [];
    for (let seq = 2; seq <= 4; seq++) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => step.getAttribute('data-seq')).toBe(String(seq));
      await expect.poll(() => step.getAttribute('data-state')).toBe('ready');
      seen.push(await page.getByTestId('replay-event').innerText());
      expect(await page.getByTestId('replay-actor').innerText()).toMatch(/\S/);
      expect(await page.getByTestId('replay-sentence').innerText()).toMatch(/\S/);
      expect(await page.getByTestId('replay-current-rules').getAttribute('data-allowed')).toBe('true');
    }
    expect(seen).toContain('Veiligheidsbeoordeling gestart');
    expect(await page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);

    // Verify the chain and export the history; the export checks out offline.
    await page.goto(`${server.base}/families/${id}/history`);
    await page.getByTestId('history-timeline').waitFor();
    await page.getByTestId('verify').click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toMatch(/^De keten is intact: \d+ gebeurtenissen gecontroleerd\.$/);
    const saved = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const file = path.join(dir, 'round-export.json');
    await (await saved).saveAs(file);
    const offline = spawnSync('npm', ['run', '-s', 'verify-export', '--', file], { cwd: ROOT, encoding: 'utf8' });
    expect(offline.status, offline.stdout + offline.stderr).toBe(0);

    // Review who read the family: the auditor's own reads of this round are there, by name.
    await page.locator('.main-nav').getByRole('link', { name: 'Toegangslog' }).click();
    await page.getByLabel('Dossiernummer gezin').fill(reference);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    const rows = page.locator('table.access-log tbody tr');
    await expect.poll(async () => new Set(await rows.locator('td:nth-child(4)').allTextContents())).toEqual(new Set([reference]));
    expect((await rows.locator('td:nth-child(2)').allTextContents()).some((u) => u.includes('Auditor kwaliteit'))).toBe(true);
  }, 120_000);
});
