import { z } from 'zod';

// RFC 9457 problem details as the contract's errors carry them.

export const validationIssueSchema = z
  .object({ path: z.string(), message: z.string() })
  .meta({ id: 'ValidationIssue', description: 'One failed rule: a dotted path into the input and why it failed.' });

export const explanationSchema = z
  .object({ nl: z.string(), en: z.string() })
  .meta({ id: 'Explanation', description: 'A sentence in Dutch and English.' });

/** RFC 9457 problem details with the members the contract names. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(validationIssueSchema).optional(),
    currentVersion: z.int().optional(),
    guard: z.string().nullable().optional(),
    state: z.string().optional(),
    explanation: explanationSchema.optional(),
    retryAfter: z.int().optional(),
    errorId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'application/problem+json (RFC 9457).' });
export type Problem = z.infer<typeof problemSchema>;
