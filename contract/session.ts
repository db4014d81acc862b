import { z } from 'zod';
import { isoDateTime, roleSchema } from '../machines/schemas/common.ts';

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    region: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type ApiUser = z.infer<typeof userSchema>;

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/**
 * Extension: which clock the server runs on. `manual` (CLOCK=manual, demos and tests): deadlines are
 * overdue relative to GET /clock, not to the browser's time.
 */
export const clockModeSchema = z
  .enum(['system', 'manual'])
  .meta({
    id: 'ClockMode',
    description: "The server's clock: `system`, or `manual` (CLOCK=manual; read the time from GET /clock).",
  });
export type ClockMode = z.infer<typeof clockModeSchema>;

export const loginResponseSchema = z
  .object({
    token: z.string(),
    /** Extension: the synchronizer token to send as X-CSRF-Token with cookie-authenticated writes. */
    csrfToken: z.string(),
    expiresAt: isoDateTime,
    user: userSchema,
    clock: clockModeSchema,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = userSchema
  .extend({ csrfToken: z.string(), clock: clockModeSchema })
  .meta({
    id: 'Me',
    description:
      'The signed-in user; csrfToken lets a reloaded page write again; clock says which clock the server runs on.',
  });
export type MeResponse = z.infer<typeof meResponseSchema>;
