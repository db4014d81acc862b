import type { FamilyContextV2 } from '../contextV2.ts';
import { ok, say, type Rule } from './rule.ts';

// familyCase@2: the loops between decisions that the sources say are left open (DOMAIN.md "Waiting
// list: a safety net" and "A handover is not done until the family has help"). Each event may be
// recorded only while what it answers is still owed; when nothing is owed the event does not apply
// (a `state` refusal: it is not offered, and not listed as blocked either).

export const followUpRules = {
  /** `investigation.completed` (v2): the investigation was started first (`investigation.started`). */
  investigationStarted: {
    kind: 'guard',
    needs: 'context',
    check: (ctx) =>
      ctx.investigationStartedAt !== null
        ? ok
        : say(
            'Het onderzoek is nog niet gestart: leg eerst de start van het onderzoek vast.',
            'The investigation has not started yet: record its start first.',
          ),
  },
  reporterFeedbackOwed: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.feedback.some((f) => f.reporterNeeded && f.reporterAt === null)
        ? ok
        : say(
            'Er staat geen terugkoppeling aan de melder open (al teruggekoppeld, of de melding was anoniem).',
            'No feedback to the reporter is owed (already given, or the report was anonymous).',
          ),
  },
  householdFeedbackOwed: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.feedback.some((f) => f.householdAt === null)
        ? ok
        : say(
            'Er staat geen terugkoppeling aan het gezin open: die volgt op een afgeronde beoordeling of een afgerond onderzoek.',
            'No feedback to the household is owed: it follows a completed assessment or investigation.',
          ),
  },
  /** `contact.first`: once, after a handover to the local team was accepted. */
  firstContactOwed: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.afterHandover && ctx.afterHandover.firstContactAt === null
        ? ok
        : say(
            'Er staat geen eerste contact open: dat volgt op een aanvaarde overdracht en wordt één keer vastgelegd.',
            'No first contact is owed: it follows an accepted handover and is recorded once.',
          ),
  },
} satisfies Record<string, Rule<FamilyContextV2>>;
