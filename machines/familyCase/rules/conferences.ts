import { isBefore } from '../calendar.ts';
import { notAfterRecording } from './time.ts';
import type { FamilyContextV2 } from '../contextV2.ts';
import { ok, say, type Rule } from './rule.ts';

// familyCase@2: case conferences (triage, MDA++, actieoverleg, netwerkberaad) and what they agree.

export const conferenceRules = {
  /** A conference is recorded once it has been held. */
  conferenceNotInFuture: notAfterRecording(
    'conference.held',
    (p) => p.heldAt,
    'Een casusoverleg wordt vastgelegd nadat het is gehouden.',
    'A case conference is recorded after it has been held.',
  ),
  /** The next conference and the agreements' due dates lie after the conference. */
  conferenceDatesAfter: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) => {
      if (ev.type !== 'conference.held') return ok;
      const { heldAt, nextAt, agreements } = ev.payload;
      const before = [nextAt, ...agreements.map((a) => a.dueAt)].some((at) => at && isBefore(at, heldAt));
      return before
        ? say(
            'Het volgende overleg en de termijnen van de afspraken liggen na het overleg.',
            'The next conference and the agreements’ due dates lie after the conference.',
          )
        : ok;
    },
  },
} satisfies Record<string, Rule<FamilyContextV2>>;

/** Whether an unresolved escalation went to MDA++ (a conference of kind `mdaPlusPlus` resolves it). */
export function escalatedToMdaPlusPlus(ctx: FamilyContextV2): boolean {
  return ctx.escalations.some((e) => e.resolvedAt === null && e.to === 'MDA++');
}
