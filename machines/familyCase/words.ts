import type { EventType, MeasureKind, RiskFactorKind } from '../schemas/events.ts';
import { localDateOf } from './calendar.ts';
import type { Explanation } from './rules/rule.ts';

// The words the rules' explanations are written in: where the case stands, what a professional does,
// dates as a reader writes them. A refusal names things by these words, never by an internal id, an
// event type or a rule code. Only the explanations use them; the client has its own labels for display.

export const phaseLabels: Record<string, Explanation> = {
  reported: { nl: 'gemeld (wachtlijst)', en: 'reported (waiting list)' },
  assessment: { nl: 'veiligheidsbeoordeling', en: 'safety assessment' },
  investigation: { nl: 'onderzoek', en: 'investigation' },
  'directSafety.planning': {
    nl: 'directe veiligheid, veiligheidsplan in de maak',
    en: 'direct safety, safety plan being made',
  },
  'investigation.waiting': { nl: 'onderzoek, nog niet gestart', en: 'investigation, not started yet' },
  'investigation.ongoing': { nl: 'onderzoek loopt', en: 'investigation ongoing' },
  'directSafety.planAgreed': {
    nl: 'directe veiligheid, veiligheidsplan afgesproken',
    en: 'direct safety, safety plan agreed',
  },
  stableSafety: { nl: 'stabiele veiligheid', en: 'stable safety' },
  recovery: { nl: 'herstel', en: 'recovery' },
  closed: { nl: 'gesloten', en: 'closed' },
};
export const oversightLabels: Record<string, Explanation> = {
  vtInvolved: { nl: 'Veilig Thuis betrokken', en: 'Veilig Thuis involved' },
  handoverPending: { nl: 'overdracht in afwachting', en: 'handover pending' },
  monitoring: { nl: 'Veilig Thuis monitort', en: 'Veilig Thuis monitoring' },
  ended: { nl: 'toezicht Veilig Thuis beëindigd', en: 'Veilig Thuis oversight ended' },
};

/** What a professional does with each event, as a refusal names it ("… mag het veiligheidsplan niet vastleggen"). */
export const eventWords: Record<EventType, Explanation> = {
  'report.received': { nl: 'een melding registreren', en: 'register a report' },
  'assessment.started': { nl: 'de veiligheidsbeoordeling starten', en: 'start the safety assessment' },
  'assessment.completed': { nl: 'de veiligheidsbeoordeling afronden', en: 'complete the safety assessment' },
  'investigation.completed': { nl: 'het onderzoek afronden', en: 'complete the investigation' },
  'handover.offered': { nl: 'de zaak overdragen', en: 'hand the case over' },
  'handover.accepted': { nl: 'de overdracht aanvaarden', en: 'accept the handover' },
  'handover.declined': { nl: 'de overdracht weigeren', en: 'decline the handover' },
  'plan.agreed': { nl: 'het veiligheidsplan vastleggen', en: 'record the safety plan' },
  'plan.revised': { nl: 'het veiligheidsplan herzien', en: 'revise the safety plan' },
  'directSafety.achieved': { nl: 'directe veiligheid vaststellen', en: 'confirm direct safety' },
  'incident.reported': { nl: 'een incident registreren', en: 'report an incident' },
  'stability.confirmed': { nl: 'stabiele veiligheid vaststellen', en: 'confirm stable safety' },
  'recovery.completed': { nl: 'het herstel afronden', en: 'complete recovery' },
  'case.closed': { nl: 'de zaak sluiten', en: 'close the case' },
  'monitoring.checkRecorded': { nl: 'een controle vastleggen', en: 'record a check' },
  'monitoring.takenBack': { nl: 'de zaak terugnemen', en: 'take the case back' },
  'monitoring.ended': { nl: 'het monitoren afsluiten', en: 'end monitoring' },
  'escalation.raised': { nl: 'escaleren', en: 'escalate' },
  'escalation.resolved': { nl: 'de escalatie afsluiten', en: 'resolve the escalation' },
  'measure.imposed': { nl: 'een maatregel vastleggen', en: 'record a measure' },
  'measure.extended': { nl: 'een maatregel verlengen', en: 'extend a measure' },
  'measure.ended': { nl: 'een maatregel beëindigen', en: 'end a measure' },
  'measure.expired': { nl: 'een maatregel laten verlopen', en: 'let a measure expire' },
  'deadline.missed': { nl: 'een gemiste termijn vastleggen', en: 'record a missed deadline' },
  'stability.reviewDue': { nl: 'een herbeoordeling aankondigen', en: 'announce a review' },
  'stagnation.detected': { nl: 'stagnatie signaleren', en: 'signal stagnation' },
  'triage.recorded': { nl: 'de urgentie vastleggen', en: 'record the urgency' },
  'contact.interim': { nl: 'tussentijds contact vastleggen', en: 'record interim contact' },
  'investigation.started': { nl: 'het onderzoek starten', en: 'start the investigation' },
  'reporter.informed': { nl: 'de terugkoppeling aan de melder vastleggen', en: 'record feedback to the reporter' },
  'household.informed': { nl: 'de terugkoppeling aan het gezin vastleggen', en: 'record feedback to the household' },
  'contact.first': { nl: 'het eerste contact vastleggen', en: 'record the first contact' },
  'conference.held': { nl: 'een casusoverleg vastleggen', en: 'record a case conference' },
  'riskFactors.updated': { nl: 'de risicofactoren bijwerken', en: 'update the risk factors' },
  'trauma.screened': { nl: 'een traumascreening vastleggen', en: 'record a trauma screening' },
  'case.upgraded': { nl: 'de zaak naar de nieuwe werkwijze overzetten', en: 'move the case to the new way of working' },
  'member-access.granted': { nl: 'een gezinslid toegang geven', en: 'give a family member access' },
  'member-access.revoked': { nl: 'de toegang van een gezinslid intrekken', en: "revoke a family member's access" },
  'plan.responded': { nl: 'op het veiligheidsplan antwoorden', en: 'respond to the safety plan' },
  'member.shielded': { nl: 'gegevens van een gezinslid afschermen', en: "shield a family member's data" },
};

export const riskFactorWords: Record<RiskFactorKind, Explanation> = {
  debts: { nl: 'schulden', en: 'debts' },
  addiction: { nl: 'verslaving', en: 'addiction' },
  mentalHealth: { nl: 'psychische problemen', en: 'mental health problems' },
  housing: { nl: 'huisvesting', en: 'housing' },
  work: { nl: 'werk', en: 'work' },
  isolation: { nl: 'sociaal isolement', en: 'social isolation' },
  parenting: { nl: 'opvoeding', en: 'parenting' },
  trauma: { nl: 'trauma', en: 'trauma' },
  other: { nl: 'een andere risicofactor', en: 'another risk factor' },
};

export const measureWords: Record<MeasureKind, Explanation> = {
  huisverbod: { nl: 'het tijdelijk huisverbod', en: 'the temporary restraining order' },
  voorlopigeOts: { nl: 'de voorlopige ondertoezichtstelling', en: 'the provisional supervision order' },
  ots: { nl: 'de ondertoezichtstelling', en: 'the supervision order' },
  shelter: { nl: 'de opvang', en: 'the shelter placement' },
  other: { nl: 'de maatregel', en: 'the measure' },
};

const months = {
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/** A date as the reader writes it: "29 mei 2027" / "29 May 2027". Takes a local date or an instant (read in Amsterdam). */
export function dateWords(dateOrInstant: string): Explanation {
  const [y, m, d] = (dateOrInstant.length > 10 ? localDateOf(dateOrInstant) : dateOrInstant)
    .split('-')
    .map(Number);
  return {
    nl: `${d} ${months.nl[m! - 1]} ${y}`,
    en: `${d} ${months.en[m! - 1]} ${y}`,
  };
}

/** A list as a sentence reads it: "a, b en c" / "a, b and c". */
export function listWords(items: readonly string[]): Explanation {
  const join = (and: string) =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
  return { nl: join('en'), en: join('and') };
}

/** The sentence's first letter in capitals. */
export const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
