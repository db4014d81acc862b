import type { ApiUser } from '../../contract/index.ts';
import { dummyHash, verifyPassword } from '../auth/passwords.ts';
import { endSession, startSession } from '../auth/sessions.ts';
import { LOGIN_WINDOW_MS, openLoginAttempt } from '../auth/throttle.ts';
import { pruneAuthRows } from '../db/sessions.ts';
import { findUserForLogin } from '../db/users.ts';
import { AppError } from '../errors.ts';
import { loginFailures } from '../metrics.ts';
import type { CaseDeps } from './context.ts';

/** Ended sessions stay a while for incident investigation, then go. */
const RETAIN_ENDED_SESSIONS_MS = 30 * 86_400_000;

/** One answer for every failed sign-in, so it tells nothing about which accounts exist. */
const wrongCredentials = () => new AppError('unauthenticated', 'Unknown username or wrong password');

export type SignedIn = { token: string; csrfToken: string; expiresAt: Date; user: ApiUser };

/**
 * Signs a user in (POST /session): throttled per account and address (10 failures per 15 minutes),
 * a new token every time; a session that came with the request is ended, never carried over
 * (session fixation).
 */
export async function signIn(
  deps: CaseDeps,
  input: { username: string; password: string; ip: string; replacesSessionId: string | null },
): Promise<SignedIn> {
  const { db, clock } = deps;
  const now = clock.now();
  // Counted before the (slow) password check, so that guesses sent in parallel are bounded too.
  const attempt = await openLoginAttempt(db, input.username, input.ip, now);
  const user = await findUserForLogin(db, input.username);
  // Unknown and disabled accounts cost one argon2 verification too: timing tells nothing.
  const valid =
    user && !user.disabledAt
      ? await verifyPassword(user.passwordHash, input.password)
      : (await verifyPassword(await dummyHash(), input.password)) && false;
  if (!user || !valid) {
    loginFailures.inc({ reason: 'credentials' });
    await attempt.failed();
    throw wrongCredentials();
  }
  await attempt.succeeded();
  // Housekeeping on the rare write path: rows that can no longer matter are removed.
  await pruneAuthRows(db, new Date(now.getTime() - RETAIN_ENDED_SESSIONS_MS), new Date(now.getTime() - LOGIN_WINDOW_MS));
  if (input.replacesSessionId) await endSession(db, input.replacesSessionId, clock);
  const started = await startSession(db, user.id, clock);
  return {
    token: started.token,
    csrfToken: started.csrfToken,
    expiresAt: started.expiresAt,
    user: { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles, region: user.region },
  };
}
