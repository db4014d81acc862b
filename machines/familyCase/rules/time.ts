import { isBefore } from '../calendar.ts';
import { ok, say, type Rule } from './rule.ts';

// Rules read time only from the event: `recordedAt` (the server clock when recorded) and `occurredAt`
// (when it happened), never from the wall clock, so replaying a history gives the same result.

/** The moment an event is about in the world. */
export function eventTime(event: { recordedAt: string; occurredAt?: string | undefined }): string {
  return event.occurredAt ?? event.recordedAt;
}

export const timeRules = {
  reportNotInFuture: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type !== 'report.received' ||
      !ev.payload.receivedAt ||
      !isBefore(ev.recordedAt, ev.payload.receivedAt)
        ? ok
        : say(
            'De meldingsdatum ligt na het moment van registreren.',
            'The report date is after the moment of recording.',
          ),
  },
  incidentNotInFuture: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type !== 'incident.reported' || !isBefore(ev.recordedAt, ev.payload.occurredAt)
        ? ok
        : say(
            'Een incident kan niet na het moment van registreren plaatsvinden.',
            'An incident cannot occur after the moment it is recorded.',
          ),
  },
} satisfies Record<string, Rule>;
