import { addDays, addMonths, isBefore } from '../calendar.ts';
import type { FamilyContext } from '../context.ts';
import { activeMeasureIndices, measureIndexById } from '../listFacts.ts';
import { cap, dateWords, measureWords } from '../words.ts';
import { ok, say, type Rule } from './rule.ts';

// Legal measures (huisverbod, (voorlopige) ondertoezichtstelling, shelter) within their legal limits.

function measureById(ctx: FamilyContext, id: string) {
  return ctx.measures[measureIndexById(ctx.measures, id)];
}

export const measureRules = {
  activeMeasureExists: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      activeMeasureIndices(ctx.measures).length > 0
        ? ok
        : say('Er loopt geen maatregel.', 'There is no active measure.'),
  },
  measureEndsAfterStart: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type !== 'measure.imposed' || isBefore(ev.payload.startsAt, ev.payload.endsAt)
        ? ok
        : say('Een maatregel eindigt na zijn begin.', 'A measure ends after it starts.'),
  },
  measureActive: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'measure.extended' && ev.type !== 'measure.ended' && ev.type !== 'measure.expired')
        return ok;
      const m = measureById(ctx, ev.payload.measureId);
      if (!m)
        return say(
          'De genoemde maatregel hoort niet bij dit gezin.',
          'The measure named here is not one of this family’s.',
        );
      if (m.status === 'active') return ok;
      const what = measureWords[m.kind];
      return m.status === 'ended'
        ? say(`${cap(what.nl)} is al beëindigd.`, `${cap(what.en)} has already ended.`)
        : say(`${cap(what.nl)} is al verlopen.`, `${cap(what.en)} has already expired.`);
    },
  },
  extensionEndsLater: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'measure.extended') return ok;
      const m = measureById(ctx, ev.payload.measureId);
      return !m || isBefore(m.endsAt, ev.payload.endsAt)
        ? ok
        : say(
            'Een verlenging eindigt later dan de huidige einddatum.',
            'An extension ends later than the current end.',
          );
    },
  },
  measureWithinLegalLimit: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev, limits) => {
      let kind: string;
      let startsAt: string;
      let endsAt: string;
      let previousEnd: string | null = null;
      if (ev.type === 'measure.imposed') {
        ({ kind, startsAt, endsAt } = ev.payload);
      } else if (ev.type === 'measure.extended') {
        const m = measureById(ctx, ev.payload.measureId);
        if (!m) return ok;
        ({ kind, startsAt } = m);
        endsAt = ev.payload.endsAt;
        previousEnd = m.endsAt;
      } else return ok;
      const over = (limit: string) => isBefore(limit, endsAt);
      if (kind === 'huisverbod') {
        if (!previousEnd && over(addDays(startsAt, limits.huisverbodInitialDays))) {
          return say(
            `Een tijdelijk huisverbod duurt bij oplegging ten hoogste ${limits.huisverbodInitialDays} dagen.`,
            `A temporary restraining order (huisverbod) lasts at most ${limits.huisverbodInitialDays} days when imposed.`,
          );
        }
        if (previousEnd && over(addDays(startsAt, limits.huisverbodTotalDays))) {
          const until = dateWords(addDays(startsAt, limits.huisverbodTotalDays));
          return say(
            `Een huisverbod duurt met verlenging ten hoogste ${limits.huisverbodTotalDays} dagen na oplegging (uiterlijk ${until.nl}).`,
            `A huisverbod lasts at most ${limits.huisverbodTotalDays} days from imposition including extension (until ${until.en}).`,
          );
        }
      }
      if (kind === 'voorlopigeOts' && over(addMonths(startsAt, limits.voorlopigeOtsMonths))) {
        return say(
          `Een voorlopige ondertoezichtstelling duurt ten hoogste ${limits.voorlopigeOtsMonths} maanden.`,
          `A provisional supervision order lasts at most ${limits.voorlopigeOtsMonths} months.`,
        );
      }
      if (kind === 'ots' && over(addMonths(previousEnd ?? startsAt, limits.otsTermMonths))) {
        return say(
          `Een ondertoezichtstelling duurt ten hoogste ${limits.otsTermMonths} maanden per termijn.`,
          `A supervision order lasts at most ${limits.otsTermMonths} months per term.`,
        );
      }
      return ok;
    },
  },
} satisfies Record<string, Rule>;
