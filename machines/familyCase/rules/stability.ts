import { addMonthsToDate, localDateOf, maxInstant } from '../calendar.ts';
import { currentPhase, type FamilyContext } from '../context.ts';
import type { LegalLimits } from '../limits.ts';
import { latestIncidentDate, latestReportDate } from '../listFacts.ts';
import { dateWords, listWords } from '../words.ts';
import { ok, say, type Rule } from './rule.ts';
import { eventTime } from './time.ts';

// Stable safety: at least six calendar months without incidents, assessed together with every member
// of the household, and the risk factors no longer have a negative effect (seed 001, Bijlage 1).

/** The start of the incident-free period: the latest incident or the latest report, whichever is later. */
export function incidentFreeSince(ctx: FamilyContext): string | null {
  const report = latestReportDate(ctx.reports);
  const incident = latestIncidentDate(ctx.incidents);
  // On equal instants the report's, as a fold over the reports and then the incidents gives.
  return report === null ? incident : incident === null ? report : maxInstant(report, incident);
}

export function stableSafetyFromDate(ctx: FamilyContext, limits: LegalLimits): string | null {
  const since = incidentFreeSince(ctx);
  return since ? addMonthsToDate(localDateOf(since), limits.stableSafetyMonths) : null;
}

export const stabilityRules = {
  sixMonthsIncidentFree: {
    kind: 'guard',
    needs: 'time',
    check: (ctx, ev, limits) => {
      if (ev.type !== 'stability.confirmed') return ok;
      const from = stableSafetyFromDate(ctx, limits);
      if (!from || localDateOf(eventTime(ev)) >= from) return ok;
      const date = dateWords(from);
      return say(
        `Nog geen zes maanden zonder incidenten: stabiele veiligheid kan vanaf ${date.nl}.`,
        `Not yet six months without incidents: stable safety is possible from ${date.en}.`,
        from,
      );
    },
  },
  riskFactorsResolved: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type !== 'stability.confirmed' || ev.payload.riskFactorsResolved
        ? ok
        : say(
            'Stabiele veiligheid vraagt dat de risicofactoren geen negatief effect meer hebben.',
            'Stable safety requires that the risk factors no longer have a negative effect.',
          ),
  },
  allMembersAssessed: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'stability.confirmed') return ok;
      const named = new Set(ev.payload.participants.map((p) => p.memberId));
      const missing = ctx.members.filter((m) => !named.has(m.id));
      if (missing.length === 0) return ok;
      const who = listWords(missing.map((m) => m.alias));
      return say(
        `De beoordeling gebeurt samen met alle gezinsleden; ontbreekt (of zonder reden van afwezigheid): ${who.nl}.`,
        `The assessment is made with every household member; missing (or without a reason for absence): ${who.en}.`,
      );
    },
  },
  /** "When stable safety is reached, Veilig Thuis closes its file." */
  stableSafetyReached: {
    kind: 'guard',
    needs: 'context',
    check: (ctx) => {
      const phase = currentPhase(ctx);
      return phase === 'recovery' || phase === 'closed'
        ? ok
        : say(
            'Veilig Thuis sluit het monitoren pas af als stabiele veiligheid is bereikt (fase herstel).',
            'Veilig Thuis ends monitoring only once stable safety has been reached (recovery phase).',
          );
    },
  },
} satisfies Record<string, Rule>;
