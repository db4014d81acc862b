import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../../machines/schemas/events.ts';
import en from '../i18n/en.json';
import nl from '../i18n/nl.json';
import type { FamilyView } from '../types.ts';
import { normaliseServerPath, problemErrors, ruleMessage, zodErrorMap, zodErrors } from './errors.tsx';
import { newReportDraft, newReportFormSchema } from './newReport.ts';
import { editors } from './eventEditors.tsx';
import { eventFormSchema } from './requestSchema.ts';

const i18n = i18next.createInstance();
await i18n.init({
  lng: 'nl',
  resources: { nl: { translation: nl }, en: { translation: en } },
  interpolation: { escapeValue: false },
});
const t = i18n.t.bind(i18n);
const tEn = i18n.getFixedT('en');

/** A form schema's issues as the form keys them: payload paths, in the map's words. */
function issuesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  const out: Record<string, string> = {};
  for (const i of result.error?.issues ?? [])
    out[normaliseServerPath(i.path.map(String).join('.'))] ??= i.message;
  return out;
}

const family = {
  id: 'f1',
  version: 7,
  members: [{ id: 'm1', alias: 'A', kind: 'adult', birthYear: 1980 }],
  conditions: [],
  measures: [],
} as unknown as FamilyView;

describe('form errors', () => {
  it('keys the server 400 paths the way the form keys its fields', () => {
    expect(normaliseServerPath('payload.conditions.0.description')).toBe('conditions.0.description');
    expect(normaliseServerPath('/payload/conditions/0/dueAt')).toBe('conditions.0.dueAt');
    expect(normaliseServerPath('members[1].alias')).toBe('members.1.alias');
    expect(normaliseServerPath('body.payload.severity')).toBe('severity');
    expect(normaliseServerPath('request.reason')).toBe('reason');
    expect(normaliseServerPath('reason')).toBe('reason');
  });

  it('puts a 400 at the fields it names, in Dutch, and the rest in the summary', () => {
    const fields = new Set(['severity', 'endsAt', 'members.0.birthYear']);
    const errors = problemErrors(
      {
        type: 'urn:veilig-pad:problem:validation',
        title: 'Ongeldige invoer',
        status: 400,
        detail: 'De invoer klopt niet.',
        errors: [
          { path: 'payload.severity', message: 'Invalid option: expected one of "minor"|"serious"' },
          { path: 'payload.severity', message: 'again' },
          { path: 'payload.endsAt', message: 'Must lie after startsAt / moet na startsAt liggen' },
          {
            path: 'members.0.birthYear',
            message:
              'A birth year cannot lie in the future / een geboortejaar kan niet in de toekomst liggen',
          },
          { path: 'expectedVersion', message: 'Too small: expected number to be >=0' },
        ],
      },
      t,
      (p) => fields.has(p),
    );
    expect(errors).toEqual({
      severity: 'Deze waarde is niet geldig.',
      endsAt: 'Moet na het begin liggen.',
      'members.0.birthYear': 'Een geboortejaar kan niet in de toekomst liggen.',
      '': 'Deze waarde is niet geldig.',
    });
    // No raw English, no field codes.
    for (const text of Object.values(errors)) expect(text).not.toMatch(/startsAt|Invalid|expected/);
  });

  it('says a problem without issues in its own words, in the summary', () => {
    expect(
      problemErrors(
        { type: 'x', title: 'Conflict', status: 409, detail: 'Deze referentie bestaat al.' },
        t,
        () => true,
      ),
    ).toEqual({ '': 'Deze referentie bestaat al.' });
  });

  it('gives the shared rules bilingual messages their sentence', () => {
    expect(
      ruleMessage(
        'receivedAt',
        'Must lie between 1900-01-01 and 2100-01-01 (UTC) / moet tussen 1900-01-01 en 2100-01-01 (UTC) liggen',
        t,
      ),
    ).toBe('Vul een datum tussen 1900 en 2100 in.');
    expect(
      ruleMessage(
        'alias',
        'Contains a control, direction or invisible character / bevat een stuurteken, richtingsteken of onzichtbaar teken',
        t,
      ),
    ).toMatch(/^Bevat een stuurteken/);
  });

  it('says in Dutch what the shared schema found, at the payload path', () => {
    const parsed = parsePayload('incident.reported', {
      occurredAt: '',
      severity: 'medium',
      description: '  ',
    });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(zodErrors(parsed.error, t)).toEqual({
      occurredAt: 'Vul een geldige datum en tijd in.',
      severity: 'Maak een keuze.',
      description: 'Vul dit veld in.',
    });
  });

  it('explains a bad birth year and a missing choice per member row', () => {
    const parsed = parsePayload('report.received', {
      source: 'police',
      acute: false,
      summary: 'Melding',
      members: [{ alias: 'A', kind: undefined, birthYear: Number.NaN }],
    });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const errors = zodErrors(parsed.error, t);
    expect(errors['members.0.kind']).toBe('Maak een keuze.');
    expect(errors['members.0.birthYear']).toBe('Vul een geldig getal in.');
  });
});

describe('the forms validate with the server schema', () => {
  const incident = editors['incident.reported'];

  it('an empty decision: the motivation named with its own sentence, in Dutch and in English', () => {
    const closing = editors['case.closed'];
    const schema = eventFormSchema('case.closed', closing, () => family, t);
    const draft = { ...closing.init(family), reason: '  ' };
    const nlErrors = issuesOf(
      schema.safeParse(draft, { error: zodErrorMap(t, { reason: t('validation.reasonRequired') }) }),
    );
    expect(nlErrors).toEqual({
      reasonCode: 'Maak een keuze.',
      reason: 'Een besluit heeft een motivatie nodig.',
    });
    const enErrors = issuesOf(
      schema.safeParse(draft, { error: zodErrorMap(tEn, { reason: tEn('validation.reasonRequired') }) }),
    );
    expect(enErrors).toEqual({ reasonCode: 'Choose an option.', reason: 'A decision needs a motivation.' });
  });

  it('a valid draft becomes the request on the current version, without an empty optional reason', () => {
    const schema = eventFormSchema('incident.reported', incident, () => family, t);
    const parsed = schema.safeParse({
      occurredAt: '2026-03-01T11:00',
      severity: 'minor',
      description: 'Woordenwisseling',
      reason: ' ',
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({
      type: 'incident.reported',
      expectedVersion: 7,
      // The wall time in Amsterdam (UTC+1 in March) as an instant.
      payload: { occurredAt: '2026-03-01T10:00:00.000Z', severity: 'minor', description: 'Woordenwisseling' },
    });
  });

  it("adds the family's own rules at payload paths, beside the schema's", () => {
    const stability = editors['stability.confirmed'];
    const schema = eventFormSchema('stability.confirmed', stability, () => family, t);
    const errors = issuesOf(
      schema.safeParse(
        { ...stability.init(family), reason: '' },
        { error: zodErrorMap(t, { reason: t('validation.reasonRequired') }) },
      ),
    );
    // The one member of this family has not been answered; the motivation is missing.
    expect(errors).toEqual({
      'participants.0.took': 'Maak een keuze.',
      reason: 'Een besluit heeft een motivatie nodig.',
    });
  });

  it('a monitoring check without answers says so in its own words', () => {
    const check = editors['monitoring.checkRecorded'];
    const schema = eventFormSchema('monitoring.checkRecorded', check, () => family, t);
    const errors = issuesOf(
      schema.safeParse({ ...check.init(family), reason: '' }, { error: zodErrorMap(t, check.missing?.(t)) }),
    );
    expect(errors).toEqual({ results: 'Beantwoord ten minste één voorwaarde.' });
  });

  it('the new report: the shared request rules run in the browser too (a birth year in the future)', () => {
    const draft = newReportDraft();
    draft.members = [{ alias: 'A', kind: 'adult', birthYear: String(new Date().getUTCFullYear() + 1) }];
    const errors = issuesOf(newReportFormSchema.safeParse(draft, { error: zodErrorMap(t) }));
    expect(errors.reference).toBe('Vul dit veld in.');
    expect(errors.municipality).toBe('Maak een keuze.');
    expect(errors.summary).toBe('Vul dit veld in.');
    expect(errors['members.0.birthYear']).toBeUndefined();
    // Once the request is whole, the shared rules beyond its shape run (as on the server): a birth year in the future.
    const whole = {
      ...draft,
      reference: 'VT-1',
      municipality: 'Heerlen',
      source: 'police',
      summary: 'Melding',
    };
    expect(
      issuesOf(newReportFormSchema.safeParse(whole, { error: zodErrorMap(t) }))['members.0.birthYear'],
    ).toMatch(/toekomst/);
  });
});
