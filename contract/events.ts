import { z } from 'zod';
import { checkRequest, isoDateTime, longText, roleSchema } from '../machines/schemas/common.ts';
import {
  decisionEventTypes,
  eventTypes,
  payloadSchemas,
  routedEventTypes,
  systemEventTypes,
  type EventType,
  type PayloadOf,
  type UserEventType,
} from '../machines/schemas/events.ts';
import { userEventTypes } from './common.ts';
import { familyStateSchema } from './families.ts';

/** `case.closed` → `CaseClosed`, `member-access.granted` → `MemberAccessGranted`: the name of the event's components in the OpenAPI document. */
export function pascalOf(type: string): string {
  return type
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

const decisionTypes: readonly string[] = decisionEventTypes;
const systemTypes: readonly string[] = systemEventTypes;

/** Whether an event type is a decision, which needs a motivation (`reason`). */
export function isDecisionType(type: string): boolean {
  return decisionTypes.includes(type);
}

/** Each type's payload schema, named as a component (`CaseClosedPayload`) so that requests and history share it. */
export const namedPayloadSchemas = Object.fromEntries(
  eventTypes.map((t) => [
    t,
    payloadSchemas[t].meta({ id: `${pascalOf(t)}Payload`, description: `The payload of \`${t}\`.` }),
  ]),
) as { [T in EventType]: (typeof payloadSchemas)[T] };

const expectedVersion = z
  .int()
  .min(0)
  .meta({ description: 'The version of the family the sender based the decision on; a stale one is a 409.' });
const optionalReason = longText.optional().meta({ description: 'Why (optional for this event type).' });
// As longText, with the sentence the contract has always given when it is missing.
const requiredReason = z
  .string({ error: (issue) => (issue.input === undefined ? 'A decision needs a motivation (reason).' : undefined) })
  .trim()
  .min(1)
  .max(4000)
  .meta({ description: 'The motivation of the decision (required for this event type).' });

function eventRequestOf<T extends EventType>(type: T) {
  const system = systemTypes.includes(type);
  return z
    .object({
      type: z.literal(type).meta({ description: 'The event type.' }),
      expectedVersion,
      payload: namedPayloadSchemas[type],
      reason: isDecisionType(type) ? requiredReason : optionalReason,
    })
    .meta({
      id: `${pascalOf(type)}Request`,
      description: system
        ? `\`${type}\` is written by the server's scheduler; a person who sends it gets 403.`
        : `Send \`${type}\`${isDecisionType(type) ? ' (a decision: `reason` is required)' : ''}.`,
    });
}
type EventRequestVariant = ReturnType<typeof eventRequestOf<EventType>>;

// Access to the family's view and a member's answer have routes of their own (the server makes the
// code; a member sends no family route): they are not sent as events.
const routed: readonly string[] = routedEventTypes;
const userRequests = userEventTypes.filter((t) => !routed.includes(t)).map((t) => eventRequestOf(t));
const systemRequests = systemEventTypes.map((t) => eventRequestOf(t));

/**
 * What a client may send to `POST /families/{id}/events`: one schema per event type people send,
 * discriminated by `type`; decision events require `reason`. The OpenAPI document shows this one.
 */
export const sendableEventRequestSchema = z
  .discriminatedUnion('type', userRequests as unknown as [EventRequestVariant, ...EventRequestVariant[]])
  .meta({
    id: 'EventRequest',
    description:
      'One event, discriminated by `type`; the payload is checked against its type\'s schema. Decision events ' +
      'require `reason` (the motivation). System events (`deadline.missed`, `stagnation.detected`, ' +
      '`measure.expired`, `stability.reviewDue`) are not sendable, nor are the events with a route of their own ' +
      '(`member-access.granted` and `member-access.revoked`: `/families/{id}/member-access`; `plan.responded`: ' +
      '`/my-family/responses`).',
  });

/**
 * What the server parses: the sendable events and, so that the role check can answer a person who
 * sends a system event with 403 (not a 400 as for an unknown type), the system events too.
 */
export const eventRequestSchema = z
  .discriminatedUnion('type', [...userRequests, ...systemRequests] as unknown as [EventRequestVariant, ...EventRequestVariant[]])
  .superRefine(checkRequest); // text and instants a request may carry (machines/schemas/common.ts)
type DecisionEventType = (typeof decisionEventTypes)[number];
/** One sendable event as the server has parsed it: `reason` is required exactly for decisions. */
export type EventRequestOf<T extends UserEventType> = { type: T; expectedVersion: number; payload: PayloadOf<T> } & (T extends DecisionEventType
  ? { reason: string }
  : { reason?: string | undefined });
export type EventRequest = { [T in UserEventType]: EventRequestOf<T> }[UserEventType];

/** Schemas the server parses with that the OpenAPI document shows as what a client may send instead. */
export const documentedSchemas: ReadonlyMap<z.ZodType, z.ZodType> = new Map<z.ZodType, z.ZodType>([
  [eventRequestSchema, sendableEventRequestSchema],
]);

export const historyActorSchema = z
  .union([
    z.object({ id: z.string(), username: z.string().nullable(), role: roleSchema }),
    z.object({ role: z.literal('system') }),
    z
      .object({
        role: z.literal('member'),
        memberId: z.string().meta({ description: "The member's id in the case: its alias is in the family's members." }),
      })
      .meta({ description: 'A household member answering the safety plan from the family’s own view (familyCase@2).' }),
  ])
  .meta({ id: 'HistoryActor' });

const historyBase = {
  seq: z.int().min(1),
  reason: z.string().nullable(),
  actor: historyActorSchema,
  named: z.object({ id: z.string(), roles: z.array(roleSchema) }).nullable(),
  recordedAt: isoDateTime,
  occurredAt: isoDateTime.nullable(),
  machineVersion: z.int(),
  stateAfter: familyStateSchema,
  prevHash: z.string(),
  hash: z.string(),
};

function historyEventOf<T extends EventType>(type: T) {
  return z
    .object({ type: z.literal(type), payload: namedPayloadSchemas[type], ...historyBase })
    .meta({ id: `${pascalOf(type)}HistoryEvent`, description: `A recorded \`${type}\`.` });
}
type HistoryVariant = ReturnType<typeof historyEventOf<EventType>>;

/** One recorded event: its payload is the schema of its type, as it was sent (or written by the scheduler). */
export const historyEventSchema = z
  .discriminatedUnion('type', eventTypes.map((t) => historyEventOf(t)) as unknown as [HistoryVariant, ...HistoryVariant[]])
  .meta({ id: 'HistoryEvent', description: 'One recorded event, discriminated by `type`.' });
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const verifySchema = z
  .object({ valid: z.boolean(), events: z.int(), brokenAt: z.int().optional() })
  .meta({ id: 'Verify' });
export type Verify = z.infer<typeof verifySchema>;
