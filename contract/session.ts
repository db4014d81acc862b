import { z } from 'zod';
import { isoDateTime, roleSchema } from '../machines/schemas/common.ts';

/**
 * The roles a session can hold: a user's roles, or `member` — a household member signed in with a
 * one-time access code to their own family's view (issue 15). `member` is never a user's role.
 */
export const sessionRoleSchema = z
  .enum([...roleSchema.options, 'member'])
  .meta({ id: 'SessionRole', description: 'A user role, or `member`: a household member signed in with an access code.' });
export type SessionRole = z.infer<typeof sessionRoleSchema>;

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(sessionRoleSchema),
    region: z.string().nullable(),
    familyId: z
      .string()
      .optional()
      .meta({ description: 'A member only (`roles: ["member"]`): the family whose view the session opens.' }),
    memberId: z
      .string()
      .optional()
      .meta({ description: "A member only: the member's id in that family (username and displayName are the member's alias)." }),
  })
  .meta({ id: 'User' });
export type ApiUser = z.infer<typeof userSchema>;

export const passwordLoginSchema = z
  .object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(1024),
  })
  .strict()
  .meta({ id: 'PasswordLogin', description: 'A professional signs in with username and password.' });

/** A one-time code: 128 random bits as 26 base-32 characters, shown in groups (`ABCD-…`); case, spaces and dashes do not count. */
export const accessCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .meta({ description: 'The one-time access code the case director gave (dashes, spaces and case do not matter).' });

export const accessCodeLoginSchema = z
  .object({ accessCode: accessCodeSchema })
  .strict()
  .meta({
    id: 'AccessCodeLogin',
    description:
      "A household member signs in with the one-time access code their family's case director gave them (issue 15): " +
      'a session of role `member` bound to that family and member. The code opens once, for 14 days.',
  });

export const loginRequestSchema = z
  .union([passwordLoginSchema, accessCodeLoginSchema])
  .meta({ id: 'LoginRequest', description: 'A professional signs in with a password, a household member with an access code.' });
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
