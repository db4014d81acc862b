import type { FamilyContext } from '../context.ts';
import { ok, say, type Rule } from './rule.ts';

// The members and conditions a payload names must be this family's.

function memberIdsUnknown(ctx: FamilyContext, ids: readonly string[]): string[] {
  const known = new Set(ctx.members.map((m) => m.id));
  return [...new Set(ids.filter((id) => !known.has(id)))];
}

export const idRules = {
  unknownCondition: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      let ids: string[];
      if (ev.type === 'plan.agreed' || ev.type === 'plan.revised')
        ids = ev.payload.agreements.flatMap((a) => a.coversConditionIds);
      else if (ev.type === 'monitoring.checkRecorded') ids = ev.payload.results.map((r) => r.conditionId);
      else return ok;
      const known = new Set(ctx.conditions.filter((c) => c.status !== 'withdrawn').map((c) => c.id));
      const unknown = [...new Set(ids.filter((id) => !known.has(id)))];
      return unknown.length === 0
        ? ok
        : say(
            `Onbekende veiligheidsvoorwaarde(n): ${unknown.join(', ')}.`,
            `Unknown safety condition(s): ${unknown.join(', ')}.`,
          );
    },
  },
  unknownMember: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      let ids: string[];
      if (ev.type === 'plan.agreed' || ev.type === 'plan.revised') {
        ids = [
          ...ev.payload.participants.flatMap((p) => ('memberId' in p ? [p.memberId] : [])),
          ...ev.payload.childPerspectives.map((c) => c.memberId),
        ];
      } else if (ev.type === 'stability.confirmed') ids = ev.payload.participants.map((p) => p.memberId);
      else return ok;
      const unknown = memberIdsUnknown(ctx, ids);
      return unknown.length === 0
        ? ok
        : say(
            `Onbekende directbetrokkene(n): ${unknown.join(', ')}.`,
            `Unknown household member(s): ${unknown.join(', ')}.`,
          );
    },
  },
} satisfies Record<string, Rule>;
