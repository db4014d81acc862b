import { isBefore } from '../calendar.ts';
import type { FamilyEvent } from '../../schemas/events.ts';
import { ok, say, type Rule } from './rule.ts';

// Rules read time only from the event: `recordedAt` (the server clock when recorded) and `occurredAt`
// (when it happened), never from the wall clock, so replaying a history gives the same result.

/** The moment an event is about in the world. */
export function eventTime(event: { recordedAt: string; occurredAt?: string | undefined }): string {
  return event.occurredAt ?? event.recordedAt;
}

/**
 * A guard that refuses an event of `type` whose moment in the world (read from its payload by `at`;
 * no moment passes) lies after the moment it is recorded.
 */
export function notAfterRecording<T extends FamilyEvent['type']>(
  type: T,
  at: (payload: Extract<FamilyEvent, { type: T }>['payload']) => string | undefined,
  nl: string,
  en: string,
): Rule {
  return {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) => {
      if (ev.type !== type) return ok;
      // ev.type === type, so the payload is T's (TypeScript does not narrow a union by a generic).
      const moment = (at as (payload: unknown) => string | undefined)(ev.payload);
      return moment && isBefore(ev.recordedAt, moment) ? say(nl, en) : ok;
    },
  };
}

export const timeRules = {
  reportNotInFuture: notAfterRecording(
    'report.received',
    (p) => p.receivedAt,
    'De meldingsdatum ligt na het moment van registreren.',
    'The report date is after the moment of recording.',
  ),
  incidentNotInFuture: notAfterRecording(
    'incident.reported',
    (p) => p.occurredAt,
    'Een incident kan niet na het moment van registreren plaatsvinden.',
    'An incident cannot occur after the moment it is recorded.',
  ),
} satisfies Record<string, Rule>;
