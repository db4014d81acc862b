// The auditor's part of the contract (API.md "Audit"): the history and replay with the people they
// name, today's rules on a past decision, the export and the check of all families.
import { z } from 'zod';
import { isoDateTime, roleSchema } from '../machines/schemas/common.ts';
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

/** One recorded event in an export: exactly the fields the hash chain protects, with its two hashes. */
export const exportEventSchema = z
  .object({
    seq: z.int().min(1),
    type: z.string().meta({ description: 'The event type.' }),
    payload: z.unknown().meta({ description: "The payload as recorded (see the event type's payload schema)." }),
    reason: z.string().nullable(),
    actor: z
      .object({
        id: z.string().meta({ description: 'The user id, or `system` for the scheduler.' }),
        role: z.string().meta({ description: 'The role acted in, or `system`.' }),
      })
      .meta({ description: 'Who recorded the event, exactly as hashed.' }),
    named: z.object({ id: z.string(), roles: z.array(z.string()) }).nullable(),
    recordedAt: isoDateTime,
    occurredAt: isoDateTime.nullable(),
    machineVersion: z.int(),
    stateAfter: familyStateSchema,
    prevHash: z.string().meta({ description: 'The hash of the event before (64 zeros before the first).' }),
    hash: z.string().meta({ description: 'SHA-256 over prevHash and the canonical JSON of the hashed fields.' }),
  })
  .meta({ id: 'ExportEvent' });
export type ExportEvent = z.infer<typeof exportEventSchema>;

export const EXPORT_FORMAT = 'veilig-pad-export/1';

/** GET /families/{id}/export: the family's whole history, verifiable offline (`npm run verify-export`). */
export const familyExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT).meta({ description: 'The format of this document and its version.' }),
    exportedAt: isoDateTime.meta({ description: 'When the export was made.' }),
    exportedBy: z
      .object({ id: z.string(), username: z.string(), displayName: z.string() })
      .meta({ description: 'The auditor who made the export.' }),
    family: z
      .object({ id: z.string(), reference: z.string(), municipality: z.string() })
      .meta({ description: 'The family (its id is part of every event hash).' }),
    events: z.array(exportEventSchema).meta({ description: 'Every event, in seq order, with every hashed field.' }),
    people: peopleSchema,
  })
  .meta({ id: 'FamilyExport', description: 'A family history with its hash chain, for offline verification.' });
export type FamilyExport = z.infer<typeof familyExportSchema>;

/** POST /verifications → 202: the job that checks every family's chain. */
export const verificationStartedSchema = z
  .object({ id: z.string().meta({ description: 'The id of the verification, for GET /verifications/{id}.' }) })
  .meta({ id: 'VerificationStarted' });

export const verificationParams = z.object({
  verificationId: z.string().min(1).max(100).meta({ description: 'The id POST /verifications answered.' }),
});

export const verificationSchema = z
  .object({
    status: z
      .enum(['running', 'done', 'failed'])
      .meta({ description: '`running`, `done`, or (extension) `failed` when the check could not go on (`error`).' }),
    checked: z.int().min(0).meta({ description: 'How many families have been checked so far.' }),
    total: z.int().min(0).meta({ description: 'How many families the check covers.' }),
    broken: z
      .array(
        z
          .object({
            familyId: z.string(),
            reference: z.string(),
            brokenAt: z.int().min(1),
          })
          .meta({ id: 'BrokenChain' }),
      )
      .meta({ description: 'Each family whose chain is broken so far, with the first broken seq.' }),
    error: z.string().optional().meta({ description: 'Extension: why a failed check stopped.' }),
  })
  .meta({ id: 'Verification', description: 'The progress of a check of every family\'s hash chain.' });
export type Verification = z.infer<typeof verificationSchema>;

export const exportQuerySchema = z
  .object({
    anonymised: z
      .enum(['true', 'false'])
      .optional()
      .meta({ description: '`true`: the anonymised learning review (`veilig-pad-review/1`) instead of the export.' }),
  })
  .strict();

export const REVIEW_FORMAT = 'veilig-pad-review/1';

/** A free text of the history, in the anonymised review: only its kind and length remain. */
export const textShapeSchema = z
  .object({ kind: z.literal('text'), length: z.int().min(0).meta({ description: 'How many characters the text had.' }) })
  .meta({ id: 'TextShape', description: 'A free text replaced by its kind and length.' });

/** GET /families/{id}/export?anonymised=true: one history for case reflection in the regional network. */
export const anonymisedReviewSchema = z
  .object({
    format: z.literal(REVIEW_FORMAT).meta({ description: 'The format of this document and its version.' }),
    region: z.string().meta({ description: 'The region (never a municipality).' }),
    events: z
      .array(
        z
          .object({
            seq: z.int().min(1),
            day: z.int().meta({ description: 'Days since the report (day 0) on which the event was recorded.' }),
            type: z.string().meta({ description: 'The event type.' }),
            actor: z
              .object({
                role: z.string().meta({ description: 'The role acted in, or `system`.' }),
                label: z.string().optional().meta({ description: 'The role and a number (`Regisseur 1`), stable within the review.' }),
              })
              .meta({ description: 'Who recorded it, as a role, never a name.' }),
            reason: textShapeSchema.nullable(),
            payload: z.unknown().meta({
              description:
                'The payload with aliases replaced (`Kind 1`, `Ouder 1`), users by role and number, instants by `{ day }` and free texts by their kind and length.',
            }),
            stateAfter: familyStateSchema,
          })
          .meta({ id: 'ReviewEvent' }),
      )
      .meta({ description: 'Every event, in seq order.' }),
  })
  .meta({
    id: 'AnonymisedReview',
    description: 'The history with no name, alias, reference, id, date or free text that could identify the family.',
  });
export type AnonymisedReview = z.infer<typeof anonymisedReviewSchema>;
