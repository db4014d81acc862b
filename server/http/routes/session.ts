import { loginRequestSchema, loginResponseSchema, meResponseSchema, type ApiUser, type ClockMode } from '../../../contract/index.ts';
import { endSession, sessionClock } from '../../auth/sessions.ts';
import { ManualClock } from '../../clock.ts';
import type { ResolvedDeps } from '../context.ts';
import { clearSessionCookies, setSessionCookies } from '../sessionCookies.ts';
import type { Principal } from '../../auth/policy.ts';
import { signIn } from '../../cases/signIn.ts';
import { defineRoute, requirePrincipal } from '../define.ts';
import { AppError } from '../../errors.ts';

function apiUser(u: Principal): ApiUser {
  return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, region: u.region };
}

/** Which clock the server runs on, for the client (it reads GET /clock only when it is manual). */
function clockMode(deps: ResolvedDeps): ClockMode {
  return deps.config.clock !== 'system' && deps.clock instanceof ManualClock ? 'manual' : 'system';
}

export const sessionRoutes = [
  defineRoute({
    method: 'post',
    path: '/session',
    operationId: 'login',
    summary: 'Sign in',
    description:
      'Returns a bearer token and sets the HttpOnly session cookie `vp_session`, with the readable cookie `vp_signed_in=1` ' +
      'beside it (no secret: it only tells a page to ask GET /me rather than show the sign-in form). A new token at every sign-in. ' +
      '10 failures per 15 minutes per account, 50 per address (an office behind one address) → 429 with Retry-After.',
    tag: 'Session',
    access: 'origin',
    body: loginRequestSchema,
    success: { status: 200, description: 'Signed in', schema: loginResponseSchema },
    problems: [400, 401, 403, 413, 415, 429],
    handler: async ({ req, res, deps, body, session }) => {
      // Household members' codes (issue 15) are issued from the next step on: none opens yet.
      if ('accessCode' in body) throw new AppError('unauthenticated', 'Unknown, used or expired access code');
      // Sessions and the sign-in throttle run on the wall clock, never on the manual clock.
      const signedIn = await signIn({ db: deps.db, clock: sessionClock(deps) }, {
        username: body.username,
        password: body.password,
        ip: req.ip ?? 'unknown',
        replacesSessionId: session?.id ?? null,
      });
      setSessionCookies(req, res, signedIn.token);
      return { ...signedIn, expiresAt: signedIn.expiresAt.toISOString(), clock: clockMode(deps) };
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
      clearSessionCookies(req, res);
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
    handler: ({ principal, session, deps }) => ({
      ...apiUser(requirePrincipal(principal)),
      csrfToken: session!.csrfToken,
      clock: clockMode(deps),
    }),
  }),
];
