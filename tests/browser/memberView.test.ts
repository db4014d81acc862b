import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MEMBER_CODE } from '../../server/auth/demoPasswords.ts';
import { sampleReport } from '../../simulation/reports.ts';
import { hardWordsIn, readability } from '../support/readability.ts';
import { browserSuite, expectAccessibleAtWidths } from './harness.ts';
import {
  apiAs,
  eventForm,
  focusIsVisible,
  login,
  logout,
  openAction,
  openFamily,
  submitAccepted,
  tabTo,
} from './helpers.ts';

// Issue 15, "Ons veiligheidsplan", in the browser: the director agrees a plan with one agreement kept
// from the family and gives a parent and a child of 12+ a one-time code (shown once); the parent signs
// in with it on a 320 px phone, reads the plan without what is kept from them, disagrees with a
// comment and reads who read the family's file; the child reads the simpler version, held to plain
// words by a readability test; the director sees the disagreement on the caseload and the family page,
// and revokes the child's access. axe 0 on the member's screens at 320 and 1366 px, in Dutch and English.

const REFERENCE = 'VT-ONSPLAN-01';
const DIRECTOR = 'Casusregisseur lokaal team';
const SHOWN_AGREEMENT = 'Vader slaapt een tijd bij opa';
const HIDDEN_AGREEMENT = 'Gesprek met de huisarts over slaappillen';
const SHOWN_CONDITION = 'Geen ruzie als de kinderen erbij zijn';
const HIDDEN_CONDITION = 'Vader meldt zich bij de verslavingszorg';
const COMMENT = 'Opa woont te ver weg. Wij willen een andere oplossing.';

// The readability of the child's page (see tests/support/readability.ts for the measures and their
// sources). Average sentence length at most 10 words: municipal A2 guidance ("Taalniveau A2": at most
// 10 words, preferably fewer) and the average plain-language guides use for B1, below Stichting
// Makkelijk Lezen's "fewer than 12 on average" for easy texts. Hard words: the jargon of this work and
// officialese a 12-year-old should not meet (Stichting Makkelijk Lezen counts "vaktaalwoorden",
// "schrijftaalwoorden" and abbreviations as hard); each entry below is one of those.
const CHILD_MAX_AVERAGE = 10;
const HARD_NL = [
  // the work's jargon (the professionals' screens use these)
  'regisseur', // casusregisseur: the child reads "… helpt jullie gezin"
  'casus',
  'voorwaarde', // veiligheidsvoorwaarde(n): "Wat moet er anders?"
  'dossier', // "Wie las over ons?"
  'beoordeling',
  'taxatie',
  'escalatie',
  'interventie',
  'monitoring',
  'triage',
  'overdracht',
  'herziening',
  'betrokkene', // directbetrokkene
  'hulpverlening',
  'multidisciplinair',
  'jeugdbescherming',
  'ondertoezichtstelling',
  'maatregel',
  // officialese ("schrijftaalwoorden")
  'aangezien',
  'middels',
  'teneinde',
  'derhalve',
  'indien',
  'betreffende',
  'conform',
  'inzake',
  // abbreviations
  'OTS',
  'MDA',
  'AMHK',
  'BSN',
];
const HARD_EN = [
  'case director',
  'director',
  'condition',
  'assessment',
  'escalation',
  'intervention',
  'monitoring',
  'triage',
  'handover',
  'revision',
  'multidisciplinary',
  'supervision order',
  'hereby',
  'pursuant',
  'whereas',
  'aforementioned',
];
/**
 * The page's own words, without the people's names in it: the demo's director is called "Casusregisseur
 * lokaal team", a name the page did not choose (a real one reads "Anna Jansen").
 */
const ownWords = (text: string) => text.replaceAll(DIRECTOR, 'Anna Jansen');

/** The parent's version (B1): fewer than 12 words a sentence on average (Stichting Makkelijk Lezen). */
const ADULT_MAX_AVERAGE = 12;

type Api = Awaited<ReturnType<typeof apiAs>>;

async function send(client: Api, reader: Api, id: string, type: string, payload: unknown, reason?: string) {
  const current = await reader<{ version: number }>('GET', `/families/${id}`);
  const res = await client<unknown>('POST', `/families/${id}/events`, {
    type,
    expectedVersion: current.body.version,
    payload,
    ...(reason ? { reason } : {}),
  });
  expect(res.status, `${type}: ${JSON.stringify(res.body)}`).toBe(200);
}

/** The text of the page's main content, as a reader sees it. */
const mainText = (page: Page) => page.locator('main').innerText();

async function signInWithCode(page: Page, base: string, code: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByRole('link', { name: 'Inloggen met een toegangscode' }).click();
  await page.locator('#code-login-title').waitFor();
  await page.getByRole('textbox', { name: /^Toegangscode/ }).fill(code);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#my-family-title').waitFor();
}

async function toLanguage(page: Page, language: 'nl' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === language) return;
  await page.getByTestId('language-switch').click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
}

describe("the family's own view (issue 15)", () => {
  const s = browserSuite('memberView');
  let familyId = '';
  const codes = { parent: '', child: '' };
  let shieldedCode = '';

  it('a family is handed to its director with two conditions, one kept from the family (API)', async () => {
    const vt = await apiAs(s.server.base, 'vt');
    const director = await apiAs(s.server.base, 'regisseur');
    const me = await director<{ id: string }>('GET', '/me');
    const created = await vt<{ id: string; machineVersion: number }>(
      'POST',
      '/families',
      sampleReport(REFERENCE, {
        members: [
          { alias: 'Moeder Noor', kind: 'adult', birthYear: 1988 },
          { alias: 'Vader Sem', kind: 'adult', birthYear: 1986 },
          { alias: 'Lisa', kind: 'child', birthYear: 2011 },
          { alias: 'Tim', kind: 'child', birthYear: 2018 },
        ],
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.machineVersion).toBe(2);
    familyId = created.body.id;
    const due = new Date(s.server.clock.now().getTime() + 30 * 86_400_000).toISOString();
    await send(vt, vt, familyId, 'assessment.started', {});
    await send(
      vt,
      vt,
      familyId,
      'assessment.completed',
      {
        decision: 'handover',
        acute: false,
        structural: true,
        directorId: me.body.id,
        conditions: [
          { description: SHOWN_CONDITION, dueAt: due },
          { description: HIDDEN_CONDITION, dueAt: due, visibleToFamily: false },
        ],
      },
      'Structurele zorgen; het lokale team neemt de regie.',
    );
    await send(director, vt, familyId, 'handover.accepted', {}, 'Ik neem de regie.');
  });

  it('the director agrees the plan in the browser, one agreement kept from the family', async () => {
    const page = s.page;
    await login(page, s.server.base, 'regisseur');
    await openFamily(page, s.server.base, familyId);
    await openAction(page, 'plan.agreed');
    const form = eventForm(page, 'plan.agreed');
    await form.getByLabel('Wat is er afgesproken?').first().fill(SHOWN_AGREEMENT);
    await form.getByLabel('Wie is verantwoordelijk?').first().fill('Vader Sem');
    await form.getByRole('button', { name: 'Afspraak toevoegen' }).click();
    await form.getByLabel('Wat is er afgesproken?').nth(1).fill(HIDDEN_AGREEMENT);
    await form.getByLabel('Wie is verantwoordelijk?').nth(1).fill('Moeder Noor');
    const visible = form.getByLabel('Het gezin ziet dit op de eigen pagina');
    // Default on, for every agreement and every child's perspective.
    expect(await visible.count()).toBe(4);
    for (let i = 0; i < 4; i++) expect(await visible.nth(i).isChecked()).toBe(true);
    await visible.nth(1).uncheck();
    await form.getByLabel('Moeder Noor').check();
    await form.getByLabel('Perspectief van Lisa').fill('Ik wil dat het thuis rustig is.');
    await form.getByLabel('Perspectief van Tim').fill('Ik wil met papa voetballen.');
    await submitAccepted(page, 'plan.agreed');
    const plan = await page.locator('#plan-title ~ ul').first().innerText();
    expect(plan).toMatch(new RegExp(`${HIDDEN_AGREEMENT}.*niet zichtbaar voor het gezin`));
    expect(plan).not.toMatch(new RegExp(`${SHOWN_AGREEMENT}[^\\n]*niet zichtbaar`));
    expect(await page.locator('#conditions-title ~ table').innerText()).toMatch(
      new RegExp(`${HIDDEN_CONDITION}\\s*niet zichtbaar voor het gezin`),
    );
  });

  it('the director gives a parent and a child of 12 a code, shown once and focused; a child under 12 gets none', async () => {
    const page = s.page;
    const panel = page.getByTestId('member-access');
    await panel.getByRole('button', { name: 'Code maken voor Moeder Noor' }).click();
    const notice = page.getByTestId('member-code');
    await notice.waitFor();
    expect(await notice.evaluate((el) => el === document.activeElement)).toBe(true);
    codes.parent = (await page.getByTestId('member-code-value').innerText()).trim();
    expect(codes.parent).toMatch(/^[A-Z0-9-]{20,}$/);
    expect(await page.getByTestId('member-code-expires').innerText()).toMatch(
      /^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/,
    );
    expect(await notice.innerText()).toContain('U ziet hem maar één keer');

    await panel.getByRole('button', { name: 'Code maken voor Lisa' }).click();
    await expect
      .poll(async () => (await page.getByTestId('member-code-value').innerText()).trim())
      .not.toBe(codes.parent);
    codes.child = (await page.getByTestId('member-code-value').innerText()).trim();

    const rows = panel.getByTestId('member-access-row');
    const tim = rows.filter({ hasText: 'Tim' });
    expect(await tim.getByRole('button', { name: /Code maken/ }).count()).toBe(0);
    expect(await tim.getByTestId('member-access-status').innerText()).toBe(
      'Jonger dan 12 jaar: geen eigen toegang',
    );
    expect(
      await rows.filter({ hasText: 'Moeder Noor' }).getByTestId('member-access-status').innerText(),
    ).toMatch(/^Toegang sinds /);
    await expectAccessibleAtWidths(page, 'family page with codes', s.figures);
    await logout(page);
  });

  it('the parent signs in with the code on a 320 px phone and reads the plan, without what is kept from them', async () => {
    const page = s.page;
    await page.setViewportSize({ width: 320, height: 800 });
    await signInWithCode(page, s.server.base, codes.parent);
    expect(new URL(page.url()).pathname).toBe('/ons-plan');
    // The member's own layout: none of the professionals' navigation.
    expect(await page.locator('.main-nav').innerText()).not.toMatch(/Gezinnen|Inbox|Nieuwe melding/);
    expect(await page.locator('.user-box').innerText()).toContain('Moeder Noor');
    expect(await page.getByRole('link', { name: 'Wachtwoord wijzigen' }).count()).toBe(0);

    const text = await mainText(page);
    expect(text).toContain(SHOWN_AGREEMENT);
    expect(text).not.toContain(HIDDEN_AGREEMENT);
    expect(text).toContain(SHOWN_CONDITION);
    expect(text).not.toContain(HIDDEN_CONDITION);
    expect(text).toContain('Ik wil dat het thuis rustig is.');
    expect(await page.getByTestId('member-director').innerText()).toContain(DIRECTOR);
    expect((await page.getByTestId('member-phase').innerText()).trim()).not.toBe('');
    const adult = readability(ownWords(text));
    expect(adult.averageSentenceLength, `longest: ${adult.longest}`).toBeLessThanOrEqual(ADULT_MAX_AVERAGE);
    s.figures['parent: words a sentence'] = Number(adult.averageSentenceLength.toFixed(1));

    // A professional's address leads back to the member's own page.
    await page.goto(`${s.server.base}/families/${familyId}`);
    await page.locator('#my-family-title').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ons-plan');

    await expectAccessibleAtWidths(page, 'parent: plan (nl)', s.figures, [320, 1366]);
    await toLanguage(page, 'en');
    await page.locator('#my-family-title', { hasText: 'Our safety plan' }).waitFor();
    await expectAccessibleAtWidths(page, 'parent: plan (en)', s.figures, [320, 1366]);
    await toLanguage(page, 'nl');
    await page.setViewportSize({ width: 320, height: 800 });
  });

  it('the parent disagrees with a comment, by keyboard alone, and sees the answer afterwards', async () => {
    const page = s.page;
    await page.locator('#my-family-title').focus();
    await tabTo(page, 'input[type=radio]');
    expect(await focusIsVisible(page)).toBe(true);
    // Arrow keys move through a radio group and choose: "Ja" first, then "Nee".
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Nee, ik ben het niet eens met het plan').isChecked()).toBe(true);
    await tabTo(page, 'textarea');
    await page.keyboard.type(COMMENT);
    await tabTo(page, 'button[type=submit]', 'Antwoord versturen');
    await page.keyboard.press('Enter');
    const answer = page.getByTestId('member-my-answer');
    await answer.waitFor();
    const text = await answer.innerText();
    expect(text).toContain('U bent het niet eens met versie 1 van het plan.');
    expect(text).toContain(COMMENT);
    expect(await page.getByRole('button', { name: 'Antwoord versturen' }).count()).toBe(0);
  });

  it('"Wie las ons dossier": who read the file, in words, without addresses', async () => {
    const page = s.page;
    await page.getByRole('link', { name: 'Wie las ons dossier?' }).first().click();
    await page.locator('#my-log-title').waitFor();
    const log = page.getByTestId('member-log');
    await log.waitFor();
    const text = await log.innerText();
    expect(text).toContain(DIRECTOR);
    expect(text).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b|::1|127\.0\.0\.1/);
    await expectAccessibleAtWidths(page, 'parent: access log (nl)', s.figures, [320, 1366]);
    await toLanguage(page, 'en');
    await page.locator('#my-log-title', { hasText: 'Who read our file?' }).waitFor();
    await expectAccessibleAtWidths(page, 'parent: access log (en)', s.figures, [320, 1366]);
    await toLanguage(page, 'nl');
    await page.locator('.user-box button').click();
    await page.locator('#code-login-title').waitFor();
    expect(await page.locator('main').innerText()).toContain('U bent uitgelogd.');
  });

  it("the child's version is in plain words: short sentences and none of the hard words", async () => {
    const page = s.page;
    await page.setViewportSize({ width: 320, height: 800 });
    await signInWithCode(page, s.server.base, codes.child);
    await page.locator('#my-family-title', { hasText: 'Ons plan om veilig te zijn' }).waitFor();
    const nl = ownWords(await mainText(page));
    expect(nl).toContain(SHOWN_AGREEMENT);
    expect(nl).not.toContain(HIDDEN_AGREEMENT);
    const r = readability(nl);
    s.figures['child: words a sentence (nl)'] = Number(r.averageSentenceLength.toFixed(1));
    expect(r.averageSentenceLength, `longest: ${r.longest}`).toBeLessThanOrEqual(CHILD_MAX_AVERAGE);
    expect(hardWordsIn(nl, HARD_NL), nl).toEqual([]);
    await expectAccessibleAtWidths(page, 'child: plan (nl)', s.figures, [320, 1366]);

    await toLanguage(page, 'en');
    await page.locator('#my-family-title', { hasText: 'Our plan to be safe' }).waitFor();
    // The family's own words (the agreements, a child's perspective) stay as the director wrote them.
    const en = ownWords(await mainText(page)).replace(SHOWN_AGREEMENT, '');
    const e = readability(en);
    s.figures['child: words a sentence (en)'] = Number(e.averageSentenceLength.toFixed(1));
    expect(e.averageSentenceLength, `longest: ${e.longest}`).toBeLessThanOrEqual(CHILD_MAX_AVERAGE);
    expect(hardWordsIn(en, HARD_EN), en).toEqual([]);
    await expectAccessibleAtWidths(page, 'child: plan (en)', s.figures, [320, 1366]);

    await page.getByRole('link', { name: 'Who read about us?' }).first().click();
    await page.locator('#my-log-title').waitFor();
    await page.getByTestId('member-log').waitFor();
    expect(hardWordsIn(ownWords(await mainText(page)), HARD_EN)).toEqual([]);
    await toLanguage(page, 'nl');
    await page.locator('#my-log-title', { hasText: 'Wie las over ons?' }).waitFor();
    const log = ownWords(await mainText(page));
    expect(readability(log).averageSentenceLength).toBeLessThanOrEqual(CHILD_MAX_AVERAGE);
    expect(hardWordsIn(log, HARD_NL)).toEqual([]);
    await expectAccessibleAtWidths(page, 'child: access log (nl)', s.figures, [320, 1366]);
    await page.locator('.user-box button').click();
    await page.locator('#code-login-title').waitFor();
  });

  it('the director sees the disagreement on the caseload and on the family page, and revokes the child’s access', async () => {
    const page = s.page;
    await page.setViewportSize({ width: 1366, height: 900 });
    await login(page, s.server.base, 'regisseur');
    await page.getByLabel('Zoeken op referentie of gemeente').fill(REFERENCE);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    const row = page.locator('table.families tbody tr', { hasText: REFERENCE });
    await row.getByTestId('plan-disagreement').waitFor();
    expect(await row.getByTestId('plan-disagreement').innerText()).toBe('Gezin oneens met plan');

    await row.getByRole('link', { name: REFERENCE, exact: true }).click();
    await page.locator('#actions-title').waitFor();
    expect(await page.getByTestId('plan-disagreement').innerText()).toContain(
      'niet eens met het huidige veiligheidsplan',
    );
    const panel = page.getByTestId('member-access');
    const mother = panel.getByTestId('member-access-row').filter({ hasText: 'Moeder Noor' });
    expect(await mother.getByTestId('member-access-answer').innerText()).toMatch(
      new RegExp(`^Oneens met versie 1 .*${COMMENT}`),
    );

    await panel.getByRole('button', { name: 'Toegang van Lisa intrekken' }).click();
    await panel.getByText('De toegang van Lisa is ingetrokken.').waitFor();
    const lisa = panel.getByTestId('member-access-row').filter({ hasText: 'Lisa' });
    expect(await lisa.getByTestId('member-access-status').innerText()).toMatch(
      /^Ingetrokken op \d{2}-\d{2}-\d{4}$/,
    );
    await expectAccessibleAtWidths(page, 'family page with answers', s.figures);

    // The director shields Vader Sem's data from Moeder Noor: her own page no longer names him.
    const father = panel.getByTestId('member-access-row').filter({ hasText: 'Vader Sem' });
    await father.getByRole('button', { name: 'Gegevens van Vader Sem afschermen' }).click();
    await father.getByLabel('Moeder Noor').check();
    await father.getByRole('button', { name: 'Afscherming opslaan' }).click();
    await panel.getByText('De afscherming van Vader Sem is opgeslagen.').waitFor();
    expect(await father.locator('dd').nth(1).innerText()).toBe('Moeder Noor');
    await mother.getByRole('button', { name: 'Nieuwe code maken voor Moeder Noor' }).click();
    await page.getByTestId('member-code').waitFor();
    shieldedCode = (await page.getByTestId('member-code-value').innerText()).trim();

    // The history names what happened, in words.
    await page.getByRole('link', { name: 'Geschiedenis' }).first().click();
    const answered = page.locator('main li', { hasText: 'Moeder Noor is het niet eens met versie 1' });
    await answered.first().waitFor();
    expect(await answered.first().innerText()).toContain(COMMENT);
  });

  it("a member's page leaves out a member whose data is shielded from them", async () => {
    const page = s.page;
    await logout(page);
    await page.setViewportSize({ width: 320, height: 800 });
    await signInWithCode(page, s.server.base, shieldedCode);
    const members = await page.getByTestId('member-members').innerText();
    expect(members).toContain('Moeder Noor');
    expect(members).toContain('Lisa');
    expect(members).not.toContain('Vader Sem');
    await page.locator('.user-box button').click();
    await page.locator('#code-login-title').waitFor();
    // The family's page opened later without a session leads to the code, not the staff sign-in.
    await page.goto(`${s.server.base}/ons-plan`);
    await page.locator('#code-login-title').waitFor();
  });

  it("the demo family's parent signs in with the README's demo code and reads a plan with a case conference", async () => {
    const page = s.page;
    await page.setViewportSize({ width: 320, height: 800 });
    await signInWithCode(page, s.server.base, DEMO_MEMBER_CODE);
    await page.getByTestId('member-agreements').waitFor();
    expect(await page.getByTestId('member-next-dates').innerText()).not.toBe('');
    await expectAccessibleAtWidths(page, 'demo parent: plan (nl)', s.figures, [320, 1366]);
    await page.locator('.user-box button').click();
    await page.locator('#code-login-title').waitFor();
  });
});
