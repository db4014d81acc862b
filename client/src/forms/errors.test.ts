import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../../machines/schemas/events.ts';
import nl from '../i18n/nl.json';
import { normaliseServerPath, serverErrors, zodErrors } from './errors.tsx';

const i18n = i18next.createInstance();
await i18n.init({ lng: 'nl', resources: { nl: { translation: nl } }, interpolation: { escapeValue: false } });
const t = i18n.t.bind(i18n);

describe('form errors', () => {
  it('keys the server 400 paths the way the form keys its fields', () => {
    expect(normaliseServerPath('payload.conditions.0.description')).toBe('conditions.0.description');
    expect(normaliseServerPath('/payload/conditions/0/dueAt')).toBe('conditions.0.dueAt');
    expect(normaliseServerPath('members[1].alias')).toBe('members.1.alias');
    expect(normaliseServerPath('reason')).toBe('reason');
    expect(
      serverErrors([
        { path: 'payload.severity', message: 'Invalid option' },
        { path: 'payload.severity', message: 'again' },
      ]),
    ).toEqual({ severity: 'Invalid option again' });
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
