import { z } from 'zod';

// RFC 9457 problem details as the contract's errors carry them. `title` and `detail` are in the
// language of the request's Accept-Language (Dutch by default, English on request).

export const validationIssueSchema = z
  .object({
    path: z.string().meta({ description: 'Where in the input: a dotted path from its root, e.g. `payload.conditions.0.dueAt`, or `query.page`.' }),
    message: z.string().meta({ description: 'Why the value was refused.' }),
  })
  .meta({ id: 'ValidationIssue', description: 'One failed rule: a dotted path into the input and why it failed.' });

export const explanationSchema = z
  .object({
    nl: z.string().meta({ description: 'The sentence in Dutch.' }),
    en: z.string().meta({ description: 'The sentence in English.' }),
  })
  .meta({ id: 'Explanation', description: 'A sentence in Dutch and English.' });

/** RFC 9457 problem details with the members the contract names. */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'A URI that names the kind of problem, e.g. `urn:veilig-pad:problem:validation`.' }),
    title: z.string().meta({ description: 'A short summary of the kind of problem, in the language of Accept-Language.' }),
    status: z.int().meta({ description: 'The HTTP status code.' }),
    detail: z.string().meta({ description: 'What went wrong with this request, in the language of Accept-Language.' }),
    instance: z.string().meta({ description: 'The path of the request (without its query string).' }),
    errors: z.array(validationIssueSchema).optional().meta({ description: '400: every failed rule.' }),
    currentVersion: z.int().optional().meta({ description: "409: the family's current version." }),
    existingFamilyId: z
      .string()
      .optional()
      .meta({ description: '409 on registering a report: the family in your region that already has this reference.' }),
    guard: z
      .string()
      .nullable()
      .optional()
      .meta({ description: '403/422: the code of the rule that refused (null when the state itself does not allow the event).' }),
    message: z
      .string()
      .optional()
      .meta({ description: '403/409/422: the sentence a professional reads, in the language of Accept-Language.' }),
    state: z.string().optional().meta({ description: '422: the phase the family is in.' }),
    explanation: explanationSchema.optional().meta({ description: '403/409/422: the refusal in Dutch and English.' }),
    retryAfter: z.int().optional().meta({ description: '429: seconds to wait, as in the Retry-After header.' }),
    errorId: z.string().optional().meta({ description: '500: quote it when reporting the fault; it points into the log.' }),
  })
  .meta({ id: 'Problem', description: 'application/problem+json (RFC 9457).' });
export type Problem = z.infer<typeof problemSchema>;
