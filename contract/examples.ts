import { v1FamilyV2Facts, type CreateFamily, type FamilyView } from './families.ts';
import type { EventRequest } from './events.ts';
import type { Problem } from './problem.ts';
import type { LoginRequest, LoginResponse } from './session.ts';

// Examples for the main requests and responses of the OpenAPI document. Each is typed by its schema
// here and parsed with it in tests/http/conformance.test.ts, so an example cannot drift from the
// contract; Spectral checks them against the document as well.

export const loginExample: LoginRequest = { username: 'vt', password: 'correct horse battery staple' };

export const loginResponseExample: LoginResponse = {
  token: 'q0v9Yx3m2Jd8sK1nT5rW7aB4cE6gH0iL',
  csrfToken: 'Zt7Pq2Wn4Xv6Yb8Rc1Sd3Fg5Hj9Kl0Mm',
  expiresAt: '2026-03-02T17:00:00.000Z',
  user: { id: 'u_vt1', username: 'vt', displayName: 'Veilig Thuis Zuid-Limburg', roles: ['vt'], region: 'zuid-limburg' },
  clock: 'system',
};

export const createFamilyExample: CreateFamily = {
  reference: 'VT-2026-0042',
  municipality: 'Maastricht',
  source: 'police',
  acute: false,
  violenceForms: ['huiselijk geweld'],
  summary: 'Melding van de politie na een ruzie met geweld; twee kinderen waren thuis.',
  receivedAt: '2026-03-02T08:30:00.000Z',
  members: [
    { alias: 'Moeder', kind: 'adult', birthYear: 1988 },
    { alias: 'Vader', kind: 'adult', birthYear: 1986 },
    { alias: 'Kind A', kind: 'child', birthYear: 2015 },
  ],
};

export const eventExamples: Record<string, { summary: string; value: EventRequest }> = {
  assessmentStarted: {
    summary: 'Start the safety assessment',
    value: { type: 'assessment.started', expectedVersion: 1, payload: {} },
  },
  incidentReported: {
    summary: 'Report an incident',
    value: {
      type: 'incident.reported',
      expectedVersion: 7,
      payload: { occurredAt: '2026-04-10T19:00:00.000Z', severity: 'minor', description: 'Ruzie zonder letsel.' },
    },
  },
  caseClosed: {
    summary: 'Close the case (a decision: reason is required)',
    value: {
      type: 'case.closed',
      expectedVersion: 12,
      payload: { reasonCode: 'movedAway' },
      reason: 'Het gezin is verhuisd naar Friesland; de zorg is overgedragen.',
    },
  },
};

export const familyViewExample: FamilyView = {
  id: 'f_7Kq2mX9p',
  reference: 'VT-2026-0042',
  municipality: 'Maastricht',
  region: 'zuid-limburg',
  version: 2,
  machineVersion: 1,
  state: { phase: 'assessment', oversight: 'vt', escalation: 'none' },
  caseDirector: null,
  pendingDirector: null,
  acute: false,
  reportedAt: '2026-03-02T08:30:00.000Z',
  members: [
    { id: 'm1', alias: 'Moeder', kind: 'adult', birthYear: 1988, expectedMonth: null },
    { id: 'm2', alias: 'Vader', kind: 'adult', birthYear: 1986, expectedMonth: null },
    { id: 'm3', alias: 'Kind A', kind: 'child', birthYear: 2015, expectedMonth: null },
  ],
  conditions: [],
  safetyPlan: null,
  planRevisionRequired: false,
  incidents: [],
  measures: [],
  escalations: [],
  deadlines: [{ kind: 'assessment', ref: 'assessment', dueAt: '2026-03-09T08:30:00.000Z', status: 'open' }],
  incidentFree: { since: null, days: null, stableSafetyFrom: null },
  phaseHistory: [
    { phase: 'reported', at: '2026-03-02T08:30:00.000Z' },
    { phase: 'assessment', at: '2026-03-02T09:05:00.000Z' },
  ],
  checks: [],
  ...v1FamilyV2Facts(),
  allowedEvents: ['assessment.completed', 'incident.reported', 'measure.imposed', 'report.received'],
  blockedEvents: [],
  nextDueAt: '2026-03-09T08:30:00.000Z',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:05:00.000Z',
};

export const problemExamples: Record<number, Problem> = {
  400: {
    type: 'urn:veilig-pad:problem:validation',
    title: 'Het verzoek is niet geldig',
    status: 400,
    detail: 'Het verzoek voldoet niet aan het schema; zie `errors`.',
    instance: '/api/v1/families/f_7Kq2mX9p/events',
    errors: [{ path: 'reason', message: 'A decision needs a motivation (reason).' }],
  },
  409: {
    type: 'urn:veilig-pad:problem:conflict',
    title: 'Conflict met de huidige toestand',
    status: 409,
    detail: 'Het gezin is gewijzigd sinds u het opende; laad het opnieuw.',
    instance: '/api/v1/families/f_7Kq2mX9p/events',
    currentVersion: 13,
  },
  422: {
    type: 'urn:veilig-pad:problem:unprocessable',
    title: 'Niet toegestaan in de huidige toestand',
    status: 422,
    detail: 'Stabiele veiligheid kan pas worden vastgesteld na zes maanden zonder incidenten (vanaf 1 oktober 2026).',
    instance: '/api/v1/families/f_7Kq2mX9p/events',
    guard: 'sixMonthsIncidentFree',
    message: 'Stabiele veiligheid kan pas worden vastgesteld na zes maanden zonder incidenten (vanaf 1 oktober 2026).',
    state: 'directSafety.achieved',
    explanation: {
      nl: 'Stabiele veiligheid kan pas worden vastgesteld na zes maanden zonder incidenten (vanaf 1 oktober 2026).',
      en: 'Stable safety can be confirmed only after six months without incidents (from 1 October 2026).',
    },
  },
};
