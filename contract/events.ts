import { z } from 'zod';
import { isoDateTime, longText, roleSchema } from '../machines/schemas/common.ts';
import { decisionEventTypes, eventTypeSchema, eventTypes, payloadSchemas, type EventType } from '../machines/schemas/events.ts';
import { userEventTypeSchema } from './common.ts';
import { familyStateSchema } from './families.ts';

const eventRequestBase = {
  expectedVersion: z.int().min(0),
  reason: longText.optional(),
};

function eventRequestOf<T extends EventType>(type: T) {
  return z.object({ type: z.literal(type), payload: payloadSchemas[type], ...eventRequestBase });
}

const decisionTypes: readonly string[] = decisionEventTypes;

/** `{ type, expectedVersion, payload, reason? }`: the payload is checked against its type's schema. */
export const eventRequestSchema = z
  .discriminatedUnion(
    'type',
    eventTypes.map((t) => eventRequestOf(t)) as unknown as [
      ReturnType<typeof eventRequestOf<EventType>>,
      ...ReturnType<typeof eventRequestOf<EventType>>[],
    ],
  )
  .superRefine((value, ctx) => {
    if (decisionTypes.includes(value.type) && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'A decision needs a motivation (reason).' });
    }
  })
  .meta({ id: 'EventRequest', description: 'Decision events require reason (the motivation).' });
export type EventRequest = z.infer<typeof eventRequestSchema>;

export const historyActorSchema = z
  .union([
    z.object({ id: z.string(), username: z.string().nullable(), role: roleSchema }),
    z.object({ role: z.literal('system') }),
  ])
  .meta({ id: 'HistoryActor' });

export const historyEventSchema = z
  .object({
    seq: z.int(),
    type: eventTypeSchema,
    payload: z.unknown(),
    reason: z.string().nullable(),
    actor: historyActorSchema,
    named: z.object({ id: z.string(), roles: z.array(roleSchema) }).nullable(),
    recordedAt: isoDateTime,
    occurredAt: isoDateTime.nullable(),
    machineVersion: z.int(),
    stateAfter: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'HistoryEvent' });
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const historySchema = z.object({ events: z.array(historyEventSchema) }).meta({ id: 'History' });
export type History = z.infer<typeof historySchema>;

export const replayQuerySchema = z
  .object({ seq: z.coerce.number().int().min(1).max(1_000_000).optional() })
  .strict();

export const replaySchema = z
  .object({
    seq: z.int(),
    state: familyStateSchema,
    allowedEvents: z.array(userEventTypeSchema),
    /** Extension: whose alternatives allowedEvents lists (the next decider, else the last one). */
    allowedFor: z.object({ id: z.string(), role: z.string() }).nullable(),
    context: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Replay', description: 'Recomputed from events 1..seq, not read from a stored snapshot.' });
export type Replay = z.infer<typeof replaySchema>;

export const verifySchema = z
  .object({ valid: z.boolean(), events: z.int(), brokenAt: z.int().optional() })
  .meta({ id: 'Verify' });
export type Verify = z.infer<typeof verifySchema>;
