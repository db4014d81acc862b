import { describe, expect, it } from 'vitest';
import { browserSuite, expectAccessibleAtWidths } from './harness.ts';
import { advanceAndReload, eventForm, familyIdOf, login, logout, openAction, openFamily, startReport, submitAccepted } from './helpers.ts';

// Issue 14: a familyCase@2 family from report to closure through the browser, with the v2 forms (triage,
// interim contact, investigation started, feedback, first contact, case conference, risk factors,
// trauma screening, the members excused from it) and the family page's v2 sections — in words, axe 0
// at 1366 and 320 px. A new family runs on v2 once new families start there; until then it is moved
// with case.upgraded (the director's or VT's decision, with a motivation).

const REFERENCE = 'VT-V2-0001';

describe('a familyCase@2 family through the browser', () => {
  const s = browserSuite('familyV2');
  let familyId = '';
  const section = (id: string) => s.page.getByTestId(id);

  async function submit(type: string, fill?: (form: ReturnType<typeof eventForm>) => Promise<void>, reason?: string) {
    await openAction(s.page, type);
    const form = eventForm(s.page, type);
    await fill?.(form);
    if (reason) await form.getByLabel('Motivatie').fill(reason);
    await submitAccepted(s.page, type);
  }

  it('VT registers a report with an unborn member, and the family runs on v2', async () => {
    const page = s.page;
    await login(page, s.server.base, 'vt');
    await startReport(page, REFERENCE, { alias: 'Moeder V2', born: '1990', childAlias: 'Kind V2', childBorn: '2016' });
    await page.locator('#report-summary').fill('Politiemelding na een ruzie; moeder is zwanger.');
    await page.getByRole('button', { name: 'Directbetrokkene toevoegen' }).click();
    await page.locator('#report-members-2-alias').fill('Baby V2');
    await page.locator('#report-members-2-kind').selectOption('unborn');
    await page.locator('#report-members-2-expectedMonth').fill('2025-11');
    await page.getByRole('button', { name: 'Melding registreren' }).click();
    await expect.poll(() => page.locator('#family-title').textContent()).toBe(`Gezin ${REFERENCE}`);
    familyId = familyIdOf(page.url());
    expect(await page.locator('#members-title ~ table').innerText()).toContain('verwacht in 2025-11');

    if ((await page.locator('button[data-event="case.upgraded"]').count()) > 0)
      await submit('case.upgraded', undefined, 'Deze melding volgt de nieuwe werkwijze.');
    expect(await page.locator('button[data-event="triage.recorded"]').count()).toBe(1);
  });

  it('on the waiting list: triage and interim contact, shown in words', async () => {
    await submit('triage.recorded', async (form) => {
      await form.getByLabel('Hoog', { exact: true }).check();
      await form.getByLabel('Gebruikt triage-instrument').selectOption({ label: 'LIRIK' });
      await form.getByLabel('Score').fill('12');
    });
    expect(await s.page.getByTestId('triage-urgency').textContent()).toBe('Hoog · LIRIK · score 12');
    await submit('contact.interim', (form) => form.getByLabel('Het gezin', { exact: true }).check());
    expect(await s.page.getByTestId('interim-last').textContent()).toMatch(/^\d{2}-\d{2}-\d{4}, met het gezin$/);
  });

  it('assessment with risk factors, an investigation that waits and starts, feedback given', async () => {
    await submit('assessment.started');
    await submit(
      'assessment.completed',
      async (form) => {
        await form.getByLabel('Onderzoek door Veilig Thuis').check();
        await form.getByLabel('Schulden', { exact: true }).check();
        await form.getByLabel('Huisvesting', { exact: true }).check();
      },
      'Zorgen over de kinderen; onderzoek nodig.',
    );
    expect(await s.page.getByTestId('investigation-status').textContent()).toBe('Besloten, nog niet begonnen');
    expect(await s.page.getByTestId('feedback-owed').count()).toBe(2);
    await submit('investigation.started');
    expect(await s.page.getByTestId('investigation-status').textContent()).toMatch(/^Begonnen op \d{2}-\d{2}-\d{4}$/);
    await submit('reporter.informed', (form) => form.getByLabel('Telefonisch').check());
    await submit('household.informed', (form) => form.getByLabel('Per brief').check());
    const feedback = await section('v2-feedback').innerText();
    expect(feedback).toContain('telefonisch');
    expect(feedback).toContain('per brief');
    expect(await s.page.getByTestId('feedback-owed').count()).toBe(0);

    await submit(
      'investigation.completed',
      async (form) => {
        await form.getByLabel('Overdragen aan een casusregisseur van het lokale team').check();
        await form
          .locator('#ev-investigation-completed-directorId')
          .selectOption({ label: 'Casusregisseur lokaal team (regisseur)' });
        await form.locator('#ev-investigation-completed-conditions-0-description').fill('Geen geweld in aanwezigheid van de kinderen');
      },
      'Structurele onveiligheid; het lokale team neemt de regie over.',
    );
  });

  it('the director: first contact, a case conference with agreements, risk factors kept current', async () => {
    const page = s.page;
    await logout(page);
    await login(page, s.server.base, 'regisseur');
    await openFamily(page, s.server.base, familyId);
    await submit('handover.accepted', undefined, 'Past bij ons team.');
    expect(await page.getByTestId('first-contact').textContent()).toMatch(/^Uiterlijk \d{2}-\d{2}-\d{4}$/);

    await submit('contact.first', async (form) => {
      await form.getByLabel('Moeder V2').check();
      await form.getByLabel('Samen met Veilig Thuis (warme overdracht)').check();
    });
    expect(await page.getByTestId('first-contact').textContent()).toContain('met Moeder V2, samen met Veilig Thuis');

    await submit('conference.held', async (form) => {
      await form.getByLabel('MDA++-overleg').check();
      await form.getByLabel('Moeder V2').check();
      await form.getByLabel('Naam of functie').fill('Wijkagent');
      await form.locator('#ev-conference-held-professionals-0-organisation').fill('Politie');
      await form.getByLabel('Met mandaat aan tafel (mag beslissen namens de organisatie)').check();
      await form.locator('#ev-conference-held-agreements-0-description').fill('Huisbezoek samen met de wijkagent');
      await form.locator('#ev-conference-held-agreements-0-responsible').fill('Wijkteam');
      await form.locator('#ev-conference-held-agreements-0-dueAt').fill('2025-06-20T10:00');
      await form.getByLabel('Volgend overleg op').fill('2025-07-14T10:00');
    });
    const agreements = await page.getByTestId('conference-agreements').innerText();
    expect(agreements).toContain('Huisbezoek samen met de wijkagent');
    expect(agreements).toContain('20-06-2025');
    expect(await page.getByTestId('conference-next').textContent()).toBe('Volgend overleg op 14-07-2025.');
    expect(await section('v2-conference').innerText()).toContain('MDA++-overleg');

    await submit('riskFactors.updated', async (form) => {
      const rows = form.locator('fieldset.row-group');
      await rows.nth(0).getByLabel('Verminderd').check();
      await rows.nth(1).getByLabel('Opgelost').check();
    });
    const factors = await page.getByTestId('risk-factors').innerText();
    expect(factors).toContain('Schulden');
    expect(factors).toContain('Verminderd');
    expect(factors).toContain('Opgelost');
  });

  it('plan, direct and stable safety, a trauma screening; the new sections pass axe at 1366 and 320 px', async () => {
    const page = s.page;
    await submit('plan.agreed', async (form) => {
      await form.getByLabel('Wat is er afgesproken?').fill('Moeder belt bij spanning het wijkteam.');
      await form.getByLabel('Wie is verantwoordelijk?').fill('Moeder en wijkteam');
      await form.locator('input[type=checkbox][id*="participants-member"]').first().check();
      await form.getByLabel('Perspectief van Kind V2').fill('Wil dat het thuis rustig is.');
    });
    expect(await page.getByTestId('first-contact').count()).toBe(1);
    await submit('directSafety.achieved', undefined, 'Afspraken worden nageleefd.');
    await submit('trauma.screened', async (form) => {
      await form.getByLabel('Gezinslid').selectOption({ label: 'Moeder V2 (Volwassene, 1990)' });
      await form.getByLabel('Geen signalen').check();
      await form.getByLabel('Gescreend door').fill('GGZ-team');
    });
    const screenings = await page.getByTestId('screenings').innerText();
    expect(screenings).toMatch(/Moeder V2\s+Geen signalen — door GGZ-team, \d{2}-\d{2}-\d{4}/);
    expect(screenings).toMatch(/Kind V2\s+Nog niet gescreend/);

    const main = await page.locator('main').innerText();
    for (const code of ['mdaPlusPlus', 'riskFactors', 'noSigns', 'lirik', 'household', '"kind"', 'm1', 'm2'])
      expect(main, `no code "${code}" on the page`).not.toContain(code);
    await expectAccessibleAtWidths(page, 'family page with v2 sections', s.figures);
    // Keyboard: the conference form's mandate checkbox is reachable and operable without a mouse.
    await openAction(page, 'conference.held');
    const mandate = eventForm(page, 'conference.held').getByLabel('Met mandaat aan tafel (mag beslissen namens de organisatie)');
    await mandate.focus();
    await page.keyboard.press('Space');
    expect(await mandate.isChecked()).toBe(true);
    await expectAccessibleAtWidths(page, 'case conference form', s.figures);
    await eventForm(page, 'conference.held').getByRole('button', { name: 'Annuleren' }).click();
  });

  it('six months on: stable safety by risk factors, recovery completed with a reason for the unscreened child', async () => {
    const page = s.page;
    await advanceAndReload(page, s.server.base, 'regisseur', 200);

    await submit(
      'stability.confirmed',
      async (form) => {
        expect(await form.getByLabel('De risicofactoren hebben geen negatief effect meer').count()).toBe(0);
        for (const radio of await form.getByLabel('Heeft deelgenomen').all()) await radio.check();
      },
      'Zes maanden zonder incidenten; risicofactoren verminderd of opgelost.',
    );

    await openAction(page, 'recovery.completed');
    const form = eventForm(page, 'recovery.completed');
    await form.getByLabel('Motivatie').fill('Herstel afgerond.');
    // Without a reason for the child that had no screening, the form says so at the field.
    await form.locator('button[type=submit]').click();
    const reason = form.getByLabel('Reden zonder screening voor Kind V2');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Kind zit al in behandeling bij de jeugd-GGZ.');
    await submitAccepted(page, 'recovery.completed');
    expect(await page.getByTestId('screenings').innerText()).toContain('Geen screening: Kind zit al in behandeling bij de jeugd-GGZ.');
    await expectAccessibleAtWidths(page, 'closed v2 family', s.figures);
  });
  it('the director moves a family of the old way of working to the new one from its page, with a motivation', async () => {
    const page = s.page;
    const db = s.server.db.prisma;
    const director = await db.user.findUniqueOrThrow({ where: { username: 'regisseur' } });
    const v1 = await db.family.findFirstOrThrow({
      where: { machineVersion: 1, closedAt: null, directorId: director.id },
      orderBy: { reference: 'asc' },
    });
    await logout(page);
    await login(page, s.server.base, 'regisseur');
    await openFamily(page, s.server.base, v1.id);
    await openAction(page, 'case.upgraded');
    const form = eventForm(page, 'case.upgraded');
    // A decision needs its motivation: without one the form says so at the field and sends nothing.
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.getByLabel('Motivatie').getAttribute('aria-invalid')).toBe('true');
    expect((await db.family.findUniqueOrThrow({ where: { id: v1.id } })).machineVersion).toBe(1);
    await form.getByLabel('Motivatie').fill('Het gezin volgt vanaf nu de nieuwe werkwijze.');
    await expectAccessibleAtWidths(page, 'move to the new way of working (form)', s.figures);
    await submitAccepted(page, 'case.upgraded');
    // On v2 now: the choice is gone, the state is kept, the decision is in the history with its motivation.
    expect(await page.locator('button[data-event="case.upgraded"]').count()).toBe(0);
    const after = await db.family.findUniqueOrThrow({ where: { id: v1.id } });
    expect(after).toMatchObject({ machineVersion: 2, phase: v1.phase });
    const event = await db.event.findFirstOrThrow({ where: { familyId: v1.id, type: 'case.upgraded' } });
    expect(event).toMatchObject({ actorId: director.id, reason: 'Het gezin volgt vanaf nu de nieuwe werkwijze.' });
    await expectAccessibleAtWidths(page, 'family moved to the new way of working', s.figures);
  });
});
