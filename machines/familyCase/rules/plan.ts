import { openConditions } from '../context.ts';
import { listWords } from '../words.ts';
import { ok, say, type Rule } from './rule.ts';

// The safety plan is made with the family: at least one agreement, every open safety condition
// covered, an adult member taking part, and the perspective of every child recorded.

export const planRules = {
  agreementRequired: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') || ev.payload.agreements.length > 0
        ? ok
        : say(
            'Een veiligheidsplan bevat minstens één afspraak.',
            'A safety plan contains at least one agreement.',
          ),
  },
  conditionsCovered: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const covered = new Set(ev.payload.agreements.flatMap((a) => a.coversConditionIds));
      const uncovered = openConditions(ctx).filter((c) => !covered.has(c.id));
      if (uncovered.length === 0) return ok;
      const what = listWords(uncovered.map((c) => `“${c.description}”`));
      return say(
        `Niet elke veiligheidsvoorwaarde is afgedekt door een afspraak: ${what.nl}.`,
        `Not every safety condition is covered by an agreement: ${what.en}.`,
      );
    },
  },
  adultParticipantRequired: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const adults = new Set(ctx.members.filter((m) => m.kind === 'adult').map((m) => m.id));
      return ev.payload.participants.some((p) => 'memberId' in p && adults.has(p.memberId))
        ? ok
        : say(
            'Het veiligheidsplan wordt met het gezin gemaakt: minstens één volwassen directbetrokkene neemt deel.',
            'The safety plan is made with the family: at least one adult household member takes part.',
          );
    },
  },
  childPerspectiveRequired: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const given = new Set(ev.payload.childPerspectives.map((c) => c.memberId));
      const missing = ctx.members.filter((m) => m.kind === 'child' && !given.has(m.id));
      if (missing.length === 0) return ok;
      const who = listWords(missing.map((m) => m.alias));
      return say(
        `Het perspectief van elk kind wordt vastgelegd; ontbreekt voor: ${who.nl}.`,
        `Each child's perspective is recorded; missing for: ${who.en}.`,
      );
    },
  },
  /** Direct safety is re-checked in every phase: after an incident the plan is revised first. */
  planRevisionPending: {
    kind: 'guard',
    needs: 'context',
    check: (ctx) =>
      ctx.planRevisionRequired
        ? say(
            'Na een incident moet het veiligheidsplan eerst worden herzien.',
            'After an incident the safety plan must be revised first.',
          )
        : ok,
  },
} satisfies Record<string, Rule>;
