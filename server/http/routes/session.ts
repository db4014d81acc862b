import { loginRequestSchema, loginResponseSchema, meResponseSchema, type ApiUser, type ClockMode } from '../../../contract/index.ts';
import { endSession, sessionClock } from '../../auth/sessions.ts';
import { ManualClock } from '../../clock.ts';
import type { ResolvedDeps } from '../context.ts';
import { clearSessionCookies, setSessionCookies } from '../sessionCookies.ts';
import type { Principal } from '../../auth/policy.ts';
import { signIn } from '../../cases/signIn.ts';
import { defineRoute, requirePrincipal } from '../define.ts';
import { signInWithCode } from '../../cases/signInWithCode.ts';

function apiUser(u: Principal): ApiUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    region: u.region,
    ...(u.member ? { familyId: u.member.familyId, memberId: u.member.memberId } : {}),
  };
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
      '10 failures per 15 minutes per account, 50 per address (an office behind one address) → 429 with Retry-After. ' +
      'A household member signs in with `{ accessCode }` (issue 15): a session of role `member` bound to one family and member ' +
      '(`user.familyId`, `user.memberId`), idle after 30 minutes; a code opens once, for 14 days, while the access lasts; ' +
      'code attempts count against the address (10 per 15 minutes).',
    tag: 'Session',
    access: 'origin',
    body: loginRequestSchema,
    success: { status: 200, description: 'Signed in', schema: loginResponseSchema },
    problems: [400, 401, 403, 413, 415, 429],
    handler: async ({ req, res, deps, body, session }) => {
      // Sessions and the sign-in throttle run on the wall clock, never on the manual clock; a member's
      // code expires on the engine's clock, as the event that issued it was recorded.
      const common = { ip: req.ip ?? 'unknown', replacesSessionId: session?.id ?? null };
      const signedIn =
        'accessCode' in body
          ? await signInWithCode(
              { db: deps.db, clock: sessionClock(deps), engineClock: deps.clock, production: deps.config.nodeEnv === 'production' },
              { ...common, accessCode: body.accessCode },
            )
          : await signIn({ db: deps.db, clock: sessionClock(deps) }, { ...common, username: body.username, password: body.password });
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
    members: true,
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
    description: 'A household member (issue 15) is a user of role `member` with `familyId` and `memberId`; username and displayName are their alias.',
    tag: 'Session',
    access: 'session',
    members: true,
    success: { status: 200, description: 'The user', schema: meResponseSchema },
    problems: [401],
    handler: ({ principal, session, deps }) => ({
      ...apiUser(requirePrincipal(principal)),
      csrfToken: session!.csrfToken,
      clock: clockMode(deps),
    }),
  }),
];
