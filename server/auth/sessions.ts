import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.ts';
import type { Db } from '../db/index.ts';
import { findSessionByTokenHash, insertSession, revokeSession, touchSession, type MemberOfSession } from '../db/sessions.ts';
import { normValue } from '../engine/norms.ts';
import { parseRoles, type UserRecord } from '../db/users.ts';
import type { SessionRole } from '../../machines/schemas/common.ts';
import { memberPrincipalId } from './policy.ts';
import { newToken, sha256 } from './tokens.ts';

export const SESSION_COOKIE = 'vp_session';

/** Norm keys (admin-configurable) with the defaults of the security baseline. */
export const SESSION_IDLE_NORM = 'session.idleMinutes';
export const SESSION_ABSOLUTE_NORM = 'session.absoluteHours';
export const DEFAULT_IDLE_MINUTES = 30;
export const DEFAULT_ABSOLUTE_HOURS = 10;

/** lastSeenAt is written at most this often: one write per request would serialise SQLite readers. */
const TOUCH_EVERY_MS = 30_000;

/**
 * Session lifetimes (idle, absolute) and the sign-in throttle are measured on the wall clock, never
 * on the manual clock of a demo: moving that clock signs no one out and lifts no throttle.
 */
export function sessionClock(deps: { wallClock?: Clock | undefined }): Clock {
  return deps.wallClock ?? systemClock;
}

export type SessionNorms = { idleMs: number; absoluteMs: number };

function positiveNumber(raw: string | null, fallback: number): number {
  if (raw === null) return fallback;
  const n = Number(JSON.parse(raw));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Read through the norms cache (server/engine/norms.ts): another process's edit counts within 5 s. */
export async function sessionNorms(db: Db): Promise<SessionNorms> {
  const [idle, absolute] = await Promise.all([
    normValue(db, SESSION_IDLE_NORM),
    normValue(db, SESSION_ABSOLUTE_NORM),
  ]);
  let idleMinutes = DEFAULT_IDLE_MINUTES;
  let absoluteHours = DEFAULT_ABSOLUTE_HOURS;
  try {
    idleMinutes = positiveNumber(idle, DEFAULT_IDLE_MINUTES);
    absoluteHours = positiveNumber(absolute, DEFAULT_ABSOLUTE_HOURS);
  } catch {
    // A malformed norm must not lock everybody out: the defaults apply.
  }
  return { idleMs: idleMinutes * 60_000, absoluteMs: absoluteHours * 3_600_000 };
}

export type StartedSession = { id: string; token: string; csrfToken: string; expiresAt: Date };

/** A household member's session ends after 30 minutes without use, whatever the professionals' norm says. */
export const MEMBER_IDLE_MS = 30 * 60_000;

/**
 * A fresh token at every sign-in, so a token planted before sign-in is worthless after it. `who`: a
 * user's id, or a household member (issue 15).
 */
export async function startSession(db: Db, who: string | MemberOfSession, clock: Clock): Promise<StartedSession> {
  const norms = await sessionNorms(db);
  const now = clock.now();
  const token = newToken();
  const csrfToken = newToken();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + norms.absoluteMs);
  await insertSession(db, {
    id,
    tokenHash: sha256(token),
    csrfToken,
    ...(typeof who === 'string' ? { userId: who } : { userId: null, member: who }),
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { id, token, csrfToken, expiresAt };
}

/** The signed-in user, or a household member as a user of role `member` (no region, never disabled). */
export type SessionUser = Omit<UserRecord, 'roles'> & { roles: SessionRole[]; member?: { familyId: string; memberId: string } };

export type ActiveSession = { id: string; csrfToken: string; expiresAt: Date; user: SessionUser };

function memberUser(member: MemberOfSession): SessionUser {
  return {
    id: memberPrincipalId(member.familyId, member.memberId),
    username: member.alias,
    displayName: member.alias,
    roles: ['member'],
    region: null,
    disabledAt: null,
    member: { familyId: member.familyId, memberId: member.memberId },
  };
}

/**
 * The session a token opens, or null when it is unknown, revoked, idle too long, past its absolute
 * lifetime or its user is disabled. Both limits are read on every use, so changing a norm takes
 * effect for sessions already open. A household member's session is idle after 30 minutes at most.
 */
export async function resumeSession(db: Db, token: string, clock: Clock): Promise<ActiveSession | null> {
  if (token.length < 20 || token.length > 200) return null;
  const row = await findSessionByTokenHash(db, sha256(token));
  if (!row || row.revokedAt || (!row.user && !row.member) || row.user?.disabledAt) return null;
  const now = clock.now();
  const norms = await sessionNorms(db);
  const idleMs = row.member ? Math.min(norms.idleMs, MEMBER_IDLE_MS) : norms.idleMs;
  const absoluteEnd = Math.min(row.expiresAt.getTime(), row.createdAt.getTime() + norms.absoluteMs);
  const idleEnd = row.lastSeenAt.getTime() + idleMs;
  if (now.getTime() >= absoluteEnd || now.getTime() >= idleEnd) {
    await revokeSession(db, row.id, now);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(db, row.id, now);
  return {
    id: row.id,
    csrfToken: row.csrfToken,
    expiresAt: new Date(absoluteEnd),
    user: row.user ? { ...row.user, roles: parseRoles(row.user.roles) } : memberUser(row.member!),
  };
}

export async function endSession(db: Db, sessionId: string, clock: Clock): Promise<void> {
  await revokeSession(db, sessionId, clock.now());
}
