import { currentPhase, openConditions } from '../context.ts';
import { ok, say, type Rule } from './rule.ts';

// The outcome of a safety assessment or an investigation: what may be decided, and what a decision
// to go on (handover, or conditions and follow-up) has to name.

export const decisionRules = {
  // The oversight region also listens for decisions (a handover decision moves it), so the phase
  // must be checked here: otherwise allowedEvents would offer a decision the phase cannot take.
  inAssessment: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      currentPhase(ctx) === 'assessment'
        ? ok
        : say('Er loopt geen veiligheidsbeoordeling.', 'No safety assessment is in progress.'),
  },
  inInvestigation: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      currentPhase(ctx) === 'investigation'
        ? ok
        : say('Er loopt geen onderzoek.', 'No investigation is in progress.'),
  },
  investigateOnlyFromAssessment: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type === 'investigation.completed' && ev.payload.decision === 'investigate'
        ? say(
            'Na een onderzoek kan niet opnieuw tot onderzoek worden besloten.',
            'After an investigation, investigating again is not a possible decision.',
          )
        : ok,
  },
  /** The server resolves a named user before the machine decides; an unknown user stays unresolved. */
  namedUserResolved: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) => {
      const directorId =
        ev.type === 'assessment.completed' ||
        ev.type === 'investigation.completed' ||
        ev.type === 'handover.offered'
          ? ev.payload.directorId
          : undefined;
      if (directorId === undefined) return ok;
      return ev.named && ev.named.id === directorId
        ? ok
        : say('De genoemde gebruiker is niet gevonden.', 'The named user was not found.');
    },
  },
  handoverNamesDirector: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) => {
      if (
        (ev.type !== 'assessment.completed' && ev.type !== 'investigation.completed') ||
        ev.payload.decision !== 'handover'
      )
        return ok;
      if (!ev.payload.directorId) {
        return say(
          'Bij overdracht moet de ontvangende casusregisseur worden genoemd.',
          'A handover must name the receiving case director.',
        );
      }
      return ev.named?.roles.includes('director')
        ? ok
        : say(
            'De genoemde gebruiker heeft geen rol casusregisseur.',
            'The named user does not have the case director role.',
          );
    },
  },
  directorIsVtColleague: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) => {
      if (
        (ev.type !== 'assessment.completed' && ev.type !== 'investigation.completed') ||
        ev.payload.decision !== 'conditionsAndFollowUp'
      )
        return ok;
      if (!ev.payload.directorId) return ok;
      return ev.named?.roles.includes('vt')
        ? ok
        : say(
            'Bij Voorwaarden & Vervolg blijft Veilig Thuis regisseur: de genoemde gebruiker is geen Veilig Thuis-medewerker.',
            'With conditions and follow-up Veilig Thuis stays director: the named user is not a Veilig Thuis worker.',
          );
    },
  },
  safetyConditionRequired: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'assessment.completed' && ev.type !== 'investigation.completed') return ok;
      if (ev.payload.decision !== 'handover' && ev.payload.decision !== 'conditionsAndFollowUp') return ok;
      return ev.payload.conditions.length > 0 || openConditions(ctx).length > 0
        ? ok
        : say(
            'Directe veiligheid vraagt minstens één veiligheidsvoorwaarde.',
            'Direct safety requires at least one safety condition.',
          );
    },
  },
} satisfies Record<string, Rule>;
