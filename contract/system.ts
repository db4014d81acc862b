import { z } from 'zod';
import { isoDateTime, requestInstant } from '../machines/schemas/common.ts';

export const healthSchema = z
  .object({ status: z.literal('ok'), database: z.literal('ok') })
  .meta({ id: 'Health' });

export const clockSchema = z.object({ now: isoDateTime }).meta({ id: 'Clock' });

export const clockRequestSchema = z
  .union([
    z.object({ advanceDays: z.number().positive().max(3650) }).strict(),
    /** Extension: finer steps for session timeouts. */
    z.object({ advanceMinutes: z.number().positive().max(5_256_000) }).strict(),
    z.object({ set: requestInstant }).strict(),
  ])
  .meta({ id: 'ClockRequest' });
export type ClockRequest = z.infer<typeof clockRequestSchema>;
