import type { FamilyEvent } from '../../schemas/events.ts';
import type { FamilyContext } from '../context.ts';
import type { LegalLimits } from '../limits.ts';

// What a rule is: a named pure function of the case, the event and the version's legal limits that
// answers null when the event passes, or the sentence that explains the refusal in Dutch and English.
// The chart names rules as its guards (familyCase.machine.ts); guards.ts turns them into XState guards.

export type Explanation = { nl: string; en: string };

/** How a refusal answers: 403 (`forbidden`), or 422 because of the state or a rule (`guard`). */
export type RefusalKind = 'forbidden' | 'state' | 'guard';

/**
 * What a rule needs to decide. `context`: the case and the actor alone (so `allowedEvents` can decide
 * it without a payload); `time`: also the moment of the event (so `blockedEvents` can decide it for
 * "now"); `payload`: the event's payload.
 */
export type Needs = 'context' | 'time' | 'payload';

/** A refusal's sentence, and from which date (local, `YYYY-MM-DD`) the event will be possible where the rule knows. */
export type Answer = Explanation & { from?: string };

/** `C`: the context the rule reads (a later version's context extends v1's, so v1's rules read it too). */
export type Rule<C extends FamilyContext = FamilyContext> = {
  kind: RefusalKind;
  needs: Needs;
  check: (ctx: C, event: FamilyEvent, limits: LegalLimits) => Answer | null;
};

export const ok = null;
export const say = (nl: string, en: string, from?: string): Answer => (from ? { nl, en, from } : { nl, en });
