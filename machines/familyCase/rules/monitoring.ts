import { ok, say, type Rule } from './rule.ts';

// Veilig Thuis monitors a handed-over family by checking its safety conditions.

export const monitoringRules = {
  conditionsToCheck: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.conditions.some((c) => c.status !== 'withdrawn')
        ? ok
        : say(
            'Er zijn (nog) geen veiligheidsvoorwaarden om te controleren.',
            'There are no safety conditions to check (yet).',
          ),
  },
} satisfies Record<string, Rule>;
