import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventTypes,
  payloadSchemas,
  systemEventTypes,
  type EventType,
  type PayloadInputOf,
} from '../../../machines/schemas/events.ts';
import en from '../i18n/en.json';
import nl from '../i18n/nl.json';
import { actorText, namesOf } from './names.ts';
import { eventSentence, kindOf, type SentenceEvent } from './sentences.ts';

// Issue 13, decision history: every event type of machines/schemas/events.ts reads as a sentence in
// both languages, with people, members, conditions and measures named and nl-NL dates; never an id,
// never JSON. A new event type without a sample here fails the type check, and without a sentence in
// sentences.ts fails this test.

const UUID = '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';
const OTHER = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

const samples: { [T in EventType]: PayloadInputOf<T> } = {
  'report.received': {
    source: 'police',
    acute: true,
    summary: 'Ruzie met geweld',
    receivedAt: '2026-03-02T08:30:00.000Z',
    violenceForms: ['partnerViolence'],
    members: [{ alias: 'Moeder', kind: 'adult', birthYear: 1988 }],
  },
  'assessment.started': {},
  'assessment.completed': {
    decision: 'handover',
    acute: false,
    structural: true,
    directorId: UUID,
    conditions: [{ description: 'Vader woont elders', dueAt: '2026-04-01T10:00:00.000Z' }],
  },
  'investigation.completed': { decision: 'close', acute: false, structural: false, conditions: [] },
  'handover.offered': { directorId: UUID },
  'handover.accepted': {},
  'handover.declined': {},
  'plan.agreed': {
    agreements: [{ description: 'Time-out bij ruzie', responsible: 'Vader', coversConditionIds: ['c2'] }],
    participants: [{ memberId: 'm1' }, { professional: 'Wijkagent' }],
    childPerspectives: [{ memberId: 'm3', perspective: 'Wil thuis blijven' }],
  },
  'plan.revised': {
    agreements: [{ description: 'Time-out bij ruzie', responsible: 'Vader', coversConditionIds: ['c2'] }],
    participants: [{ memberId: 'm1' }],
  },
  'directSafety.achieved': {},
  'incident.reported': { occurredAt: '2026-05-10T20:00:00.000Z', severity: 'serious', description: 'Slaan' },
  'stability.confirmed': {
    riskFactorsResolved: true,
    participants: [{ memberId: 'm1' }, { memberId: 'm3', absentReason: 'Op school' }],
    professionals: ['Wijkagent'],
  },
  'recovery.completed': {},
  'case.closed': { reasonCode: 'movedAway' },
  'monitoring.checkRecorded': { results: [{ conditionId: 'c2', met: true }], notes: 'Goed gesprek' },
  'monitoring.takenBack': {},
  'monitoring.ended': {},
  'escalation.raised': { to: 'MDA++' },
  'escalation.resolved': {},
  'measure.imposed': {
    kind: 'huisverbod',
    startsAt: '2026-12-01T10:00:00.000Z',
    endsAt: '2026-12-11T10:00:00.000Z',
  },
  'measure.extended': { measureId: 'x4', endsAt: '2026-12-12T10:00:00.000Z' },
  'measure.ended': { measureId: 'x4' },
  'measure.expired': { measureId: 'x4' },
  'deadline.missed': { kind: 'assessment', ref: 'r1', dueAt: '2026-03-09T17:00:00.000Z' },
  'stability.reviewDue': { dueAt: '2026-11-01T10:00:00.000Z' },
  'stagnation.detected': {
    phase: 'directSafety',
    since: '2026-03-10T10:00:00.000Z',
    dueAt: '2026-06-10T10:00:00.000Z',
  },
  'triage.recorded': { urgency: 'high', instrument: 'lirik', score: 12 },
  'contact.interim': { with: 'household' },
  'investigation.started': {},
  'reporter.informed': { channel: 'phone' },
  'household.informed': { channel: 'letter' },
  'contact.first': { with: ['m1', 'm3'], warm: true },
  'conference.held': {
    kind: 'mdaPlusPlus',
    heldAt: '2026-05-04T10:00:00.000Z',
    participants: [{ memberId: 'm1' }, { professional: 'Wijkagent', organisation: 'Politie', mandate: true }],
    agreements: [{ description: 'Huisbezoek', responsible: 'Wijkteam', dueAt: '2026-05-18T10:00:00.000Z' }],
    nextAt: '2026-06-01T10:00:00.000Z',
  },
  'riskFactors.updated': { factors: [{ kind: 'debts', status: 'reduced' }] },
  'trauma.screened': { memberId: 'm3', outcome: 'referred', by: 'GGZ-jeugd' },
  'case.upgraded': { toVersion: 2 },
  'member-access.granted': { memberId: 'm1', expiresAt: '2026-06-15T10:00:00.000Z' },
  'member-access.revoked': { memberId: 'm1' },
  'plan.responded': { planVersion: 2, response: 'disagree', comment: 'Dat lukt ons niet elke dag.' },
  'member.shielded': { memberId: 'm3', from: ['m1'] },
};

function eventOf(type: EventType): SentenceEvent {
  const payload = payloadSchemas[type].parse(samples[type]);
  const system: readonly string[] = systemEventTypes;
  const actor = system.includes(type)
    ? { role: 'system' }
    : type === 'plan.responded'
      ? { role: 'member', id: 'm1' }
      : { role: 'director', id: OTHER };
  return { type, payload, actor } as SentenceEvent;
}

const people = {
  [UUID]: { displayName: 'Casusregisseur lokaal team 2', roles: ['director'] },
  [OTHER]: { displayName: 'Regisseur Heerlen', roles: ['director'] },
};
const facts = {
  members: [
    { id: 'm1', alias: 'Moeder' },
    { id: 'm3', alias: 'Kind A' },
  ],
  conditions: [{ id: 'c2', description: 'Vader woont elders' }],
  measures: [{ id: 'x4', kind: 'huisverbod' }],
};

const ts: Record<string, TFunction> = {};
beforeAll(async () => {
  for (const [lng, translation] of [
    ['nl', nl],
    ['en', en],
  ] as const) {
    const i = i18next.createInstance();
    await i.init({ lng, resources: { [lng]: { translation } }, interpolation: { escapeValue: false } });
    ts[lng] = i.t;
  }
});

describe('a sentence for every event type', () => {
  it('covers each type of the machine with its own sentence in Dutch and English', () => {
    expect(Object.keys(samples).sort()).toEqual([...eventTypes].sort());
    for (const lng of ['nl', 'en']) {
      const t = ts[lng]!;
      const names = namesOf(t, people, facts);
      const seen = new Set<string>();
      for (const type of eventTypes) {
        const s = eventSentence(eventOf(type), t, names);
        expect(s, `${lng} ${type}`).toMatch(/\S/);
        // No missing key (i18next answers with the key path), no id, no JSON, no ISO date.
        expect(s, `${lng} ${type}`).not.toMatch(
          /history\.s\.|[{}]|\b[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}T|\b[mcx]\d\b/,
        );
        expect(seen.has(s), `${lng} ${type} repeats another type's sentence: ${s}`).toBe(false);
        seen.add(s);
        expect(kindOf(type)).toBeTruthy();
      }
    }
  });

  it('names the director and the measure as the issue asks', () => {
    const t = ts.nl!;
    const names = namesOf(t, people, facts);
    expect(eventSentence(eventOf('handover.offered'), t, names)).toBe(
      'Overdracht aangeboden aan Casusregisseur lokaal team 2 (casusregisseur).',
    );
    expect(eventSentence(eventOf('measure.extended'), t, names)).toBe(
      'Tijdelijk huisverbod verlengd tot 12-12-2026.',
    );
    expect(eventSentence(eventOf('plan.agreed'), t, names)).toBe(
      'Veiligheidsplan afgesproken met 1 afspraak. Gemaakt met Moeder en Wijkagent. Dekt de voorwaarden Vader woont elders. Het perspectief van Kind A is vastgelegd.',
    );
    expect(eventSentence(eventOf('deadline.missed'), t, names)).toBe(
      'Termijnbewaking: de termijn «Veiligheidsbeoordeling» is verstreken (uiterlijk 09-03-2026).',
    );
  });

  it('says "someone" rather than show an id it cannot name', () => {
    const t = ts.nl!;
    const names = namesOf(t, {}, {});
    const s = eventSentence(eventOf('handover.offered'), t, names);
    expect(s).toBe('Overdracht aangeboden aan iemand.');
    expect(eventSentence(eventOf('measure.ended'), t, names)).toBe('Een maatregel beëindigd.');
  });
});

describe('familyCase@2 events in words (issue 14)', () => {
  const sentence = (lng: 'nl' | 'en', type: EventType, payload: unknown) => {
    const t = ts[lng]!;
    const event = { type, payload: payloadSchemas[type].parse(payload), actor: { role: 'vt', id: OTHER } } as SentenceEvent;
    return eventSentence(event, t, namesOf(t, people, facts));
  };

  it('a conference names who sat at the table, with organisation and mandate, and each agreement with its due date', () => {
    expect(sentence('nl', 'conference.held', samples['conference.held'])).toBe(
      'MDA++-overleg gehouden op 04-05-2026 met 1 afspraak. Aan tafel: Moeder en Wijkagent (Politie, met mandaat). ' +
        'Afspraak: Huisbezoek (verantwoordelijk: Wijkteam, uiterlijk 18-05-2026). Volgend overleg op 01-06-2026.',
    );
    const without = { ...samples['conference.held'], participants: [{ professional: 'Jeugdarts', organisation: 'GGD', mandate: false }], agreements: [{ description: 'Huisbezoek', responsible: 'Wijkteam' }] };
    expect(sentence('en', 'conference.held', without)).toContain('At the table: Jeugdarts (GGD). Agreement: Huisbezoek (responsible: Wijkteam).');
  });

  it('triage with its instrument and score; an unborn member with the expected month', () => {
    expect(sentence('nl', 'triage.recorded', samples['triage.recorded'])).toBe('Urgentie vastgesteld: hoog. Gebruikt instrument: LIRIK. Score: 12.');
    expect(sentence('en', 'triage.recorded', { urgency: 'acute' })).not.toContain('Score');
    const report = { ...samples['report.received'], members: [{ alias: 'Baby', kind: 'unborn', birthYear: 2026, expectedMonth: '2026-09' }] };
    expect(sentence('nl', 'report.received', report)).toContain('Baby (ongeboren, verwacht in 2026-09)');
    expect(sentence('en', 'report.received', report)).toContain('Baby (unborn, expected in 2026-09)');
  });

  it('the v2 additions to v1 events: risk factors found, obstacles, recovery attention, members excused', () => {
    expect(sentence('nl', 'assessment.completed', { ...samples['investigation.completed'], riskFactors: [{ kind: 'debts' }, { kind: 'housing' }] })).toContain(
      'Risicofactoren: schulden en huisvesting.',
    );
    expect(sentence('nl', 'escalation.raised', { to: 'MDA++', obstacles: ['waitingList', 'noConsent'] })).toContain(
      'Belemmeringen: wachtlijst en geen toestemming.',
    );
    expect(sentence('en', 'monitoring.checkRecorded', { results: [{ conditionId: 'c2', met: true }], recoveryAttention: true })).toMatch(/recovery/i);
    expect(sentence('nl', 'recovery.completed', { excused: [{ memberId: 'm3', reason: 'Al in behandeling' }] })).toContain(
      'Zonder traumascreening, met reden: Kind A (Al in behandeling).',
    );
  });
});

describe("the family's own view in words (issue 15)", () => {
  const sentence = (lng: 'nl' | 'en', type: EventType, payload: unknown, actor: SentenceEvent['actor'] = { role: 'director', id: OTHER }) => {
    const t = ts[lng]!;
    const event = { type, payload: payloadSchemas[type].parse(payload), actor } as SentenceEvent;
    return eventSentence(event, t, namesOf(t, people, facts));
  };

  it('a member answering is named by alias, as the history gives the actor ({ role: member, memberId })', () => {
    const answer = { planVersion: 2, response: 'disagree', comment: 'Dat lukt ons niet.' };
    const s = sentence('nl', 'plan.responded', answer, { role: 'member', memberId: 'm1' });
    expect(s).toContain('Moeder');
    expect(s).toContain('Dat lukt ons niet.');
    expect(s).not.toContain('directbetrokkene');
    expect(actorText({ role: 'member', memberId: 'm1' }, ts.nl!, namesOf(ts.nl!, people, facts))).toBe('Moeder (gezinslid)');
    expect(actorText({ role: 'member', memberId: 'm1' }, ts.en!, namesOf(ts.en!, people, facts))).toBe('Moeder (family member)');
  });

  it('names what the director kept out of the family’s view: agreements, a child’s perspective, conditions', () => {
    const plan = {
      agreements: [
        { description: 'Vader woont elders', responsible: 'Vader' },
        { description: 'Gesprek met de huisarts', responsible: 'Moeder', visibleToFamily: false },
      ],
      participants: [{ memberId: 'm1' }],
      childPerspectives: [{ memberId: 'm3', perspective: 'Rust', visibleToFamily: false }],
    };
    expect(sentence('nl', 'plan.agreed', plan)).toContain(
      'Niet zichtbaar voor het gezin: «Gesprek met de huisarts» en het perspectief van Kind A.',
    );
    expect(sentence('en', 'plan.revised', plan)).toContain("Not shown to the family: «Gesprek met de huisarts» and Kind A's perspective.");
    const decision = {
      decision: 'conditionsAndFollowUp',
      acute: false,
      structural: true,
      conditions: [{ description: 'Geen geweld' }, { description: 'Hulp bij verslaving', visibleToFamily: false }],
    };
    expect(sentence('nl', 'assessment.completed', decision)).toMatch(/Niet zichtbaar voor het gezin: «Hulp bij verslaving»\.$/);
    expect(sentence('nl', 'plan.agreed', { ...plan, agreements: [plan.agreements[0]], childPerspectives: [] })).not.toContain('zichtbaar');
  });
});
