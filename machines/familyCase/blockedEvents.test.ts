import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { allowedEvents, applyEvent, blockedEvents } from './engine.ts';
import { DIR, VT, driveTo, ev, must } from './testing/testkit.ts';

// API.md FamilyView.blockedEvents: what this user's roles could send in this state but a rule refuses
// now, decided by the chart without a payload, with the rule, the sentence and from when.

describe('blockedEvents', () => {
  it('names stable safety at day 0 with its date, and lets it go once six months have passed', () => {
    const { s, t } = driveTo('stableSafety');
    const [blocked] = blockedEvents(s, { id: DIR.id, roles: ['director'] }, t);
    expect(blocked).toMatchObject({ type: 'stability.confirmed', guard: 'sixMonthsIncidentFree' });
    expect(blocked!.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(blocked!.message.nl).toMatch(
      /^Nog geen zes maanden zonder incidenten: stabiele veiligheid kan vanaf \d{1,2} [a-z]+ \d{4}\.$/,
    );
    // On the date itself nothing blocks it (the payload's rules are the form's business).
    expect(blockedEvents(s, { id: DIR.id, roles: ['director'] }, `${blocked!.from}T12:00:00.000Z`)).toEqual(
      [],
    );
    // The event stays allowed: allowedEvents decides without the time.
    expect(allowedEvents(s, DIR)).toContain('stability.confirmed');
  });

  it('names direct safety while the plan must be revised after an incident', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    const after = must(
      applyEvent(
        s,
        ev(
          'incident.reported',
          { occurredAt: t, severity: 'serious', description: 'Ruzie' },
          { at: addDays(t, 1), actor: DIR },
        ),
      ),
    );
    expect(blockedEvents(after, { id: DIR.id, roles: ['director'] }, addDays(t, 2))).toEqual([
      {
        type: 'directSafety.achieved',
        guard: 'planRevisionPending',
        message: {
          nl: 'Na een incident moet het veiligheidsplan eerst worden herzien.',
          en: 'After an incident the safety plan must be revised first.',
        },
      },
    ]);
  });

  it('names ending monitoring before stable safety for VT, not for a director', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    expect(blockedEvents(s, { id: VT.id, roles: ['vt'] }, t).map((b) => [b.type, b.guard])).toEqual([
      ['monitoring.ended', 'stableSafetyReached'],
    ]);
    expect(blockedEvents(s, { id: DIR.id, roles: ['director'] }, t)).toEqual([]);
  });

  it('leaves out what the user may not send at all and what the state does not offer', () => {
    const { s, t } = driveTo('stableSafety');
    // Another director is not this family's: that is who they are, not a rule to wait for.
    expect(blockedEvents(s, { id: 'u-other', roles: ['director'] }, t)).toEqual([]);
    expect(blockedEvents(s, { id: 'u-aud', roles: ['auditor'] }, t)).toEqual([]);
  });
});
