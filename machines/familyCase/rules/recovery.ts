import type { FamilyContextV2 } from '../contextV2.ts';
import { listWords, riskFactorWords } from '../words.ts';
import { ok, say, type Rule } from './rule.ts';

// familyCase@2: risk factors instead of a checkbox, and recovery that is checked, not assumed
// (seed 001 §8.3–8.4, Bijlagen 1 and 3).

export const recoveryRules = {
  /** `stability.confirmed` (v2): every recorded risk factor is reduced or resolved. */
  riskFactorsReduced: {
    kind: 'guard',
    needs: 'context',
    check: (ctx) => {
      const present = ctx.riskFactors.filter((f) => f.status === 'present');
      if (present.length === 0) return ok;
      const what = listWords(present.map((f) => riskFactorWords[f.kind].nl));
      const whatEn = listWords(present.map((f) => riskFactorWords[f.kind].en));
      return say(
        `Stabiele veiligheid vraagt dat elke risicofactor verminderd of opgelost is; nog aanwezig: ${what.nl}.`,
        `Stable safety requires every risk factor to be reduced or resolved; still present: ${whatEn.en}.`,
      );
    },
  },
  /** `recovery.completed` (v2): a trauma screening for every member, or a motivated reason per member. */
  everyMemberScreened: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'recovery.completed') return ok;
      const done = new Set([
        ...ctx.screenings.map((s) => s.memberId),
        ...(ev.payload.excused ?? []).map((x) => x.memberId),
      ]);
      // An unborn member cannot be screened yet.
      const missing = ctx.members.filter((m) => m.kind !== 'unborn' && !done.has(m.id));
      if (missing.length === 0) return ok;
      const who = listWords(missing.map((m) => m.alias));
      return say(
        `Herstel wordt afgerond na een traumascreening van elk gezinslid, of met een reden per gezinslid; ontbreekt voor: ${who.nl}.`,
        `Recovery is completed after a trauma screening of every member, or with a reason per member; missing for: ${who.en}.`,
      );
    },
  },
} satisfies Record<string, Rule<FamilyContextV2>>;
