import type { Request } from 'express';
import { loginRequestSchema, loginResponseSchema, meResponseSchema, type ApiUser } from '../../../contract/index.ts';
import { endSession, SESSION_COOKIE, sessionClock } from '../../auth/sessions.ts';
import type { Principal } from '../../auth/policy.ts';
import { signIn } from '../../cases/signIn.ts';
import { defineRoute, requirePrincipal } from '../define.ts';

function apiUser(u: Principal): ApiUser {
  return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, region: u.region };
}

function cookieOptions(req: Request) {
  // Secure whenever the request reached us over HTTPS (directly or via a trusted proxy).
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure };
}

export const sessionRoutes = [
  defineRoute({
    method: 'post',
    path: '/session',
    operationId: 'login',
    summary: 'Sign in',
    description:
      'Returns a bearer token and sets the HttpOnly session cookie `vp_session`. A new token at every sign-in. ' +
      '10 failures per 15 minutes per account, 50 per address (an office behind one address) → 429 with Retry-After.',
    tag: 'Session',
    access: 'origin',
    body: loginRequestSchema,
    success: { status: 200, description: 'Signed in', schema: loginResponseSchema },
    problems: [400, 401, 403, 413, 415, 429],
    handler: async ({ req, res, deps, body, session }) => {
      // Sessions and the sign-in throttle run on the wall clock, never on the manual clock.
      const signedIn = await signIn({ db: deps.db, clock: sessionClock(deps) }, {
        username: body.username,
        password: body.password,
        ip: req.ip ?? 'unknown',
        replacesSessionId: session?.id ?? null,
      });
      res.cookie(SESSION_COOKIE, signedIn.token, cookieOptions(req));
      return { ...signedIn, expiresAt: signedIn.expiresAt.toISOString() };
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
      if (session) await endSession(deps.db, session.id, sessionClock(deps));
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
