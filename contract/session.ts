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

export const loginResponseSchema = z
  .object({
    token: z.string(),
    /** Extension: the synchronizer token to send as X-CSRF-Token with cookie-authenticated writes. */
    csrfToken: z.string(),
    expiresAt: isoDateTime,
    user: userSchema,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = userSchema
  .extend({ csrfToken: z.string() })
  .meta({ id: 'Me', description: 'The signed-in user; csrfToken lets a reloaded page write again.' });
export type MeResponse = z.infer<typeof meResponseSchema>;
