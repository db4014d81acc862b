import type { Explanation } from './rules/rule.ts';

// The words a refusal uses to say where the case stands ("not possible now: phase …"). Only the
// engine's explanations use them; the client has its own labels for display.

export const phaseLabels: Record<string, Explanation> = {
  reported: { nl: 'gemeld (wachtlijst)', en: 'reported (waiting list)' },
  assessment: { nl: 'veiligheidsbeoordeling', en: 'safety assessment' },
  investigation: { nl: 'onderzoek', en: 'investigation' },
  'directSafety.planning': {
    nl: 'directe veiligheid, veiligheidsplan in de maak',
    en: 'direct safety, safety plan being made',
  },
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
