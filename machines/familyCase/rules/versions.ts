import type { FamilyContextV2 } from '../contextV2.ts';
import { ok, say, type Rule } from './rule.ts';

// Moving a family to a newer machine version (`case.upgraded`): the engine migrates the snapshot at the
// event boundary (engine.ts), the chart of the new version records the move once.

export const versionRules = {
  upgradePending: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.upgrade !== null && ctx.upgrade.at === null
        ? ok
        : say(
            'Deze zaak werkt al volgens de nieuwe werkwijze.',
            'This case already follows the new way of working.',
          ),
  },
} satisfies Record<string, Rule<FamilyContextV2>>;
