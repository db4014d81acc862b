import { z } from 'zod';
import { checkRequest, isoDateTime, localId, phaseNameSchema } from '../machines/schemas/common.ts';
import { memberKind, planRespondedPayload, planResponse } from '../machines/schemas/events.ts';
import { idSchema } from './common.ts';
import { familyViewSchema } from './families.ts';

// The family's own view, "Ons veiligheidsplan" (issue 15; API.md "Version 2 events and the family's
// view"): the director gives a household member a one-time access code, the member signs in with it
// (POST /session { accessCode }) and reads, in words, where the family stands, answers the safety plan
// and sees who read the family's file. Every text here comes from the server in the request's language
// (Accept-Language: Dutch at B1 level by default, English), so no internal id, rule code or raw value
// reaches the member; the only id is the plan version a response names.

const d = (description: string) => ({ description });

// ------------------------------------------------------------------ the director: access codes

export const memberAccessRequestSchema = z
  .object({ memberId: localId.meta(d("The member (an adult, or a child of 12 or older) of this family's members.")) })
  .strict()
  .meta({ id: 'MemberAccessRequest', description: 'Give a household member a one-time access code to the family’s own view.' });
export type MemberAccessRequest = z.infer<typeof memberAccessRequestSchema>;

export const memberAccessParams = z.object({ id: idSchema, memberId: localId.regex(/^[A-Za-z0-9_-]+$/, 'not a valid identifier') });

export const memberAccessIssuedSchema = z
  .object({
    code: z
      .string()
      .meta(d('The one-time access code: shown once, never stored (only its hash is); give it to the member in person.')),
    expiresAt: isoDateTime.meta(d('Until when the code opens (14 days); it opens once.')),
    memberId: localId.meta(d('The member the code is for.')),
    family: familyViewSchema.meta(d('Extension: the family after `member-access.granted` (version + 1).')),
  })
  .meta({ id: 'MemberAccessIssued', description: 'A new access code (an earlier unused code of the member stops opening).' });
export type MemberAccessIssued = z.infer<typeof memberAccessIssuedSchema>;

// ------------------------------------------------------------------ the member: GET /my-family

export const audienceSchema = z
  .enum(['adult', 'child'])
  .meta({ id: 'Audience', description: '`child`: the member is under 18 and every text is the simpler version.' });
export type Audience = z.infer<typeof audienceSchema>;

export const conditionStandingSchema = z
  .enum(['open', 'met', 'notMet'])
  .meta({ id: 'ConditionStanding', description: 'open: not checked yet; met: checked and kept; notMet: at the latest check not kept.' });

export const myFamilySchema = z
  .object({
    audience: audienceSchema,
    me: z
      .object({ alias: z.string(), kind: memberKind })
      .meta(d('Who is signed in: the member’s alias and kind.')),
    phase: z
      .object({
        code: phaseNameSchema.meta(d('The phase (for styling only; show `text`).')),
        text: z.string().meta(d('Where the family stands, in words.')),
        explanation: z.string().meta(d('What that means for the family, in a sentence or two.')),
      })
      .meta(d('The phase in words.')),
    director: z
      .object({ displayName: z.string(), role: z.string().meta(d('The role in words (e.g. "casusregisseur").')) })
      .nullable()
      .meta(d('The case director, or null while there is none.')),
    involved: z
      .array(
        z.object({
          role: z.string().meta(d('The role in words.')),
          name: z.string().nullable().meta(d('A name, where the family may know it; null for an organisation.')),
        }),
      )
      .meta(d('Who is involved besides the family (the director, Veilig Thuis while it is involved).')),
    plan: z
      .object({
        version: z.int().min(1).meta(d('The plan version: name it when answering (POST /my-family/responses).')),
        agreedAt: isoDateTime.meta(d('When the plan was first agreed.')),
        revisedAt: isoDateTime.nullable().meta(d('When this version replaced the one before, or null.')),
        agreements: z
          .array(
            z.object({
              description: z.string().meta(d('What was agreed.')),
              responsible: z.string().meta(d('Who does it, in words.')),
            }),
          )
          .meta(d('The agreements the family may see.')),
        childPerspectives: z
          .array(z.object({ alias: z.string(), perspective: z.string() }))
          .meta(d("What the children said, where the family may see it (a shielded member's left out).")),
        myResponse: z
          .object({
            response: planResponse,
            comment: z.string().nullable(),
            at: isoDateTime,
          })
          .nullable()
          .meta(d("This member's answer to this version, or null.")),
        canRespond: z.boolean().meta(d('Whether the member can answer now (the case is open).')),
      })
      .nullable()
      .meta(d('The current safety plan, or null when there is none yet.')),
    conditions: z
      .array(
        z.object({
          description: z.string(),
          status: conditionStandingSchema,
          statusText: z.string().meta(d('How it stands, in words.')),
          dueAt: isoDateTime.nullable(),
        }),
      )
      .meta(d('The safety conditions the family may see and how they stand.')),
    nextDates: z
      .array(
        z.object({
          what: z.string().meta(d('What happens, in words.')),
          at: z.iso.date().meta(d('The day (Dutch calendar date).')),
        }),
      )
      // A list of days: `format` says so (the API Design Rules ask it of every field named after a date).
      .meta({ description: 'The next dates, earliest first: each a day and what happens then.', format: 'date' }),
    members: z
      .array(z.object({ alias: z.string(), kind: memberKind, me: z.boolean().meta(d('Whether this is the signed-in member.')) }))
      .meta(d('The household members this member may see (shielded ones left out).')),
  })
  .meta({ id: 'MyFamily', description: "The family's own view for a signed-in member, in the request's language." });
export type MyFamily = z.infer<typeof myFamilySchema>;

export const planResponseRequestSchema = planRespondedPayload
  .strict()
  .superRefine(checkRequest)
  .meta({ id: 'PlanResponseRequest', description: 'Agree or disagree with a version of the safety plan, with a comment if you like.' });
export type PlanResponseRequest = z.infer<typeof planResponseRequestSchema>;

// ------------------------------------------------------------------ the member: who read our file

export const myFamilyAccessLogQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(100),
});

export const myFamilyAccessEntrySchema = z
  .object({
    at: isoDateTime.meta(d('When.')),
    role: z.string().nullable().meta(d('The role code (vt, director, auditor, admin, member), or null without a session.')),
    roleText: z.string().meta(d('The role in words.')),
    displayName: z.string().meta(d('The name (a member by alias; a member shielded from you as "a family member").')),
    action: z.string().meta(d('What, as a code (read, list, write, history, …).')),
    actionText: z.string().meta(d('What, in words.')),
    result: z.enum(['ok', 'denied', 'not_found', 'refused', 'error']).meta(d('Whether it was allowed.')),
  })
  .meta({ id: 'MyFamilyAccessEntry', description: 'One row of the family’s access log (NEN 7513), without the address.' });
export const myFamilyAccessLogSchema = z
  .array(myFamilyAccessEntrySchema)
  .meta({ id: 'MyFamilyAccessLog', description: 'Who read or changed the family’s file, newest first (one page).' });
export type MyFamilyAccessLog = z.infer<typeof myFamilyAccessLogSchema>;
