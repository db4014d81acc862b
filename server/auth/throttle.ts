import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { loginFailures } from '../metrics.ts';
import {
  clearLoginFailures,
  deleteLoginFailures,
  recentLoginFailures,
  recordLoginAttempt,
  recordLoginFailures,
  type FailureScope,
} from '../db/sessions.ts';
import { normaliseUsername } from '../db/users.ts';
import { sha256 } from './tokens.ts';

// Online guessing is bounded per account and per address, each with its own limit in a sliding
// 15 minutes. The address's limit is higher: a whole office signs in from behind one NAT address, and
// guesses at one account (ten at most, the account's own limit) must never lock its colleagues out.
// The address's limit still stops one address spraying guesses over many accounts.
export const LOGIN_FAILURE_LIMIT = 10;
export const ADDRESS_FAILURE_LIMIT = 50;
export const LOGIN_WINDOW_MS = 15 * 60_000;

const limitOf = (scope: FailureScope) => (scope === 'user' ? LOGIN_FAILURE_LIMIT : ADDRESS_FAILURE_LIMIT);

/** Keys are hashed so that the table holds neither usernames nor addresses. */
function keys(username: string, ip: string): { scope: FailureScope; key: string }[] {
  return [
    { scope: 'user', key: sha256(`user:${normaliseUsername(username)}`) },
    { scope: 'ip', key: sha256(`ip:${ip}`) },
  ];
}

/** Seconds until another attempt is allowed, or null when the caller may try now. */
export async function loginBlockedFor(db: Db, username: string, ip: string, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  let wait = 0;
  for (const { scope, key } of keys(username, ip)) {
    const times = await recentLoginFailures(db, scope, key, since);
    const limit = limitOf(scope);
    if (times.length < limit) continue;
    // The window frees a slot when the failure that keeps the count at the limit ages out.
    const blocking = times[times.length - limit]!;
    wait = Math.max(wait, blocking.getTime() + LOGIN_WINDOW_MS - now.getTime());
  }
  return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : null;
}

export async function recordLoginFailure(db: Db, username: string, ip: string, now: Date): Promise<void> {
  await recordLoginFailures(db, keys(username, ip), now);
}

/** A successful sign-in clears the account's count; the address keeps its own. */
export async function recordLoginSuccess(db: Db, username: string, ip: string): Promise<void> {
  const [user] = keys(username, ip);
  await clearLoginFailures(db, user!.scope, user!.key);
}

export type LoginAttempt = { retryAfterSeconds: number } | { failed(): Promise<void>; succeeded(): Promise<void> };

/**
 * Takes a slot for one sign-in attempt before its password is checked. The account's count includes
 * every attempt on it still being verified: checked only before recording, thirty guesses at one
 * account sent at once would all pass the check (tests/reliability/sessions.test.ts). The address
 * counts finished failures only, so that colleagues signing in at once behind one office address
 * do not hold each other up. Refused: the slot is given back and the answer is the seconds to wait.
 * `failed()` records the failure for the address too; `succeeded()` clears the account's count.
 */
export async function beginLoginAttempt(db: Db, username: string, ip: string, now: Date): Promise<LoginAttempt> {
  const [user, address] = keys(username, ip) as [{ scope: FailureScope; key: string }, { scope: FailureScope; key: string }];
  const ids = await recordLoginAttempt(db, [user], now);
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  let wait = 0;
  for (const { scope, key } of [user, address]) {
    const times = await recentLoginFailures(db, scope, key, since);
    // Everyone else's attempts: this attempt's own row taken out, as loginBlockedFor would count.
    const own = scope === 'user' ? times.map((t) => t.getTime()).lastIndexOf(now.getTime()) : -1;
    const others = own >= 0 ? [...times.slice(0, own), ...times.slice(own + 1)] : times;
    const limit = limitOf(scope);
    if (others.length < limit) continue;
    const blocking = others[others.length - limit]!;
    wait = Math.max(wait, blocking.getTime() + LOGIN_WINDOW_MS - now.getTime(), 1);
  }
  if (wait > 0) {
    await deleteLoginFailures(db, ids);
    return { retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
  }
  return {
    failed: () => recordLoginFailures(db, [address], now),
    succeeded: () => clearLoginFailures(db, user.scope, user.key),
  };
}

export type OpenAttempt = Exclude<LoginAttempt, { retryAfterSeconds: number }>;

/**
 * beginLoginAttempt for the paths a person guesses at (sign-in, activation, a password change):
 * a throttled attempt is a 429 with Retry-After, counted in the metrics.
 */
export async function openLoginAttempt(db: Db, username: string, ip: string, now: Date): Promise<OpenAttempt> {
  const attempt = await beginLoginAttempt(db, username, ip, now);
  if ('retryAfterSeconds' in attempt) {
    loginFailures.inc({ reason: 'throttled' });
    throw new AppError('too_many_requests', 'Too many failed sign-ins; try again later', {
      retryAfterSeconds: attempt.retryAfterSeconds,
    });
  }
  return attempt;
}
