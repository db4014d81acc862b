import type { Request } from 'express';
import { loginRequestSchema, loginResponseSchema, meResponseSchema, type ApiUser } from '../../../contract/index.ts';
import { dummyHash, verifyPassword } from '../../auth/passwords.ts';
import { endSession, SESSION_COOKIE, startSession } from '../../auth/sessions.ts';
import { LOGIN_WINDOW_MS, beginLoginAttempt } from '../../auth/throttle.ts';
import { pruneAuthRows } from '../../db/sessions.ts';
import { findUserForLogin, type UserRecord } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { loginFailures } from '../../metrics.ts';
import { defineRoute, requirePrincipal } from '../define.ts';

function apiUser(u: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'roles' | 'region'>): ApiUser {
  return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, region: u.region };
}

function cookieOptions(req: Request) {
  // Secure whenever the request reached us over HTTPS (directly or via a trusted proxy).
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure };
}

/** Ended sessions stay a while for incident investigation, then go. */
const RETAIN_ENDED_SESSIONS_MS = 30 * 86_400_000;

/** One answer for every failed sign-in, so it tells nothing about which accounts exist. */
const wrongCredentials = () => new AppError('unauthenticated', 'Unknown username or wrong password');

export const sessionRoutes = [
  defineRoute({
    method: 'post',
    path: '/session',
    operationId: 'login',
    summary: 'Sign in',
    description:
      'Returns a bearer token and sets the HttpOnly session cookie `vp_session`. A new token at every sign-in. ' +
      '10 failures per 15 minutes per account or address → 429 with Retry-After.',
    tag: 'Session',
    access: 'origin',
    body: loginRequestSchema,
    success: { status: 200, description: 'Signed in', schema: loginResponseSchema },
    problems: [400, 401, 403, 413, 415, 429],
    handler: async ({ req, res, deps, body, session }) => {
      const { db, clock } = deps;
      const ip = req.ip ?? 'unknown';
      const now = clock.now();
      // Counted before the (slow) password check, so that guesses sent in parallel are bounded too.
      const attempt = await beginLoginAttempt(db, body.username, ip, now);
      if ('retryAfterSeconds' in attempt) {
        loginFailures.inc({ reason: 'throttled' });
        throw new AppError('too_many_requests', 'Too many failed sign-ins; try again later', {
          retryAfterSeconds: attempt.retryAfterSeconds,
        });
      }
      const user = await findUserForLogin(db, body.username);
      // Unknown and disabled accounts cost one argon2 verification too: timing tells nothing.
      const valid =
        user && !user.disabledAt
          ? await verifyPassword(user.passwordHash, body.password)
          : (await verifyPassword(await dummyHash(), body.password)) && false;
      if (!user || !valid) {
        loginFailures.inc({ reason: 'credentials' });
        await attempt.failed();
        throw wrongCredentials();
      }
      await attempt.succeeded();
      // Housekeeping on the rare write path: rows that can no longer matter are removed.
      await pruneAuthRows(db, new Date(now.getTime() - RETAIN_ENDED_SESSIONS_MS), new Date(now.getTime() - LOGIN_WINDOW_MS));
      // A session that came with the request is replaced, never carried over (session fixation).
      if (session) await endSession(db, session.id, clock);
      const started = await startSession(db, user.id, clock);
      res.cookie(SESSION_COOKIE, started.token, cookieOptions(req));
      return {
        token: started.token,
        csrfToken: started.csrfToken,
        expiresAt: started.expiresAt.toISOString(),
        user: apiUser(user),
      };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/session',
    operationId: 'logout',
    summary: 'Sign out (revokes the session)',
    tag: 'Session',
    access: 'session',
    success: { status: 204, description: 'Signed out' },
    problems: [401, 403],
    handler: async ({ req, res, deps, session }) => {
      if (session) await endSession(deps.db, session.id, deps.clock);
      res.clearCookie(SESSION_COOKIE, cookieOptions(req));
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/me',
    operationId: 'me',
    summary: 'The signed-in user',
    tag: 'Session',
    access: 'session',
    success: { status: 200, description: 'The user', schema: meResponseSchema },
    problems: [401],
    handler: ({ principal, session }) => ({ ...apiUser(requirePrincipal(principal)), csrfToken: session!.csrfToken }),
  }),
];
