// The auditor's part of the contract (API.md "Audit"): the history and replay with the people they
// name, today's rules on a past decision, the export and the check of all families.
import { z } from 'zod';
import { roleSchema } from '../machines/schemas/common.ts';
import { userEventTypeSchema } from './common.ts';
import { historyEventSchema } from './events.ts';
import { familyStateSchema } from './families.ts';

/**
 * Extension: every user the answer mentions (actors, named users, directors in payloads and in the
 * context, handovers offered and declined), by id, so that a client writes a name, never an id.
 */
export const peopleSchema = z
  .record(
    z.string(),
    z
      .object({
        displayName: z.string().meta({ description: 'The name to show for this user.' }),
        roles: z.array(roleSchema).meta({ description: "The user's roles today." }),
      })
      .meta({ id: 'Person' }),
  )
  .meta({
    id: 'People',
    description:
      'Every user id the answer mentions (actors, named users, directors in payloads and context), with the name and roles to show instead of the id.',
  });
export type People = z.infer<typeof peopleSchema>;

export const historySchema = z
  .object({
    events: z.array(historyEventSchema),
    people: peopleSchema,
  })
  .meta({ id: 'History' });
export type History = z.infer<typeof historySchema>;

export const replayQuerySchema = z
  .object({
    seq: z.coerce.number().int().min(1).max(1_000_000).optional(),
    rules: z
      .enum(['current'])
      .optional()
      .meta({ description: '`current`: also check event seq against the machine version in force today (`currentRules`).' }),
  })
  .strict();

/** Whether the machine version in force today would still allow event `seq` in the state before it. */
export const currentRulesSchema = z
  .object({
    version: z.int().meta({ description: 'The machine version in force today.' }),
    allowed: z.boolean().meta({ description: 'Whether that version would allow this event in the state before it.' }),
    guard: z.string().optional().meta({ description: 'When refused: the code of the rule that refuses it.' }),
    message: z.string().optional().meta({ description: "When refused: the rule's sentence, in the request's language." }),
  })
  .meta({
    id: 'CurrentRules',
    description:
      'With `rules=current`: event seq checked against the machine version in force today, in the state before it (upgraded to that version when it was recorded under an older one).',
  });
export type CurrentRules = z.infer<typeof currentRulesSchema>;

export const replaySchema = z
  .object({
    seq: z.int(),
    state: familyStateSchema,
    allowedEvents: z.array(userEventTypeSchema),
    /** Extension: whose alternatives allowedEvents lists (the next decider, else the last one). */
    allowedFor: z.object({ id: z.string(), role: z.string() }).nullable(),
    context: z.record(z.string(), z.unknown()),
    /** Extension: the event at seq, as the history lists it. */
    event: historyEventSchema,
    /** Extension: the state after event seq − 1 (before the first event: the initial state). */
    previousState: familyStateSchema,
    people: peopleSchema,
    currentRules: currentRulesSchema.optional(),
  })
  .meta({ id: 'Replay', description: 'Recomputed from events 1..seq, not read from a stored snapshot.' });
export type Replay = z.infer<typeof replaySchema>;
