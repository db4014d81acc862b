import type { Db, SqlRunner } from './index.ts';

// Persistence of sign-in sessions and failed sign-ins. The policy (timeouts, throttle limits)
// lives in server/auth; this file only reads and writes rows.

export type SessionRow = {
  id: string;
  tokenHash: string;
  csrfToken: string;
  /** Null for a household member's session (issue 15): `member` names the family and member instead. */
  userId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
};

/** A household member's session: the family whose own view it opens, the member, and their alias. */
export type MemberOfSession = { familyId: string; memberId: string; alias: string };

export type SessionWithUser = SessionRow & {
  user: {
    id: string;
    username: string;
    displayName: string;
    roles: string;
    region: string | null;
    disabledAt: Date | null;
  } | null;
  member: MemberOfSession | null;
};

export async function insertSession(
  db: Db,
  row: Omit<SessionRow, 'revokedAt'> & { member?: MemberOfSession },
): Promise<void> {
  const { member, ...session } = row;
  await db.prisma.session.create({
    data: {
      ...session,
      ...(member ? { familyId: member.familyId, memberId: member.memberId, memberAlias: member.alias } : {}),
    },
  });
}

/** On every authenticated request: one statement (direct SQL, see direct.ts), not a Prisma query. */
export async function findSessionByTokenHash(db: Db, tokenHash: string): Promise<SessionWithUser | null> {
  const row = await db.direct.get<
    SessionRow & {
      familyId: string | null;
      memberId: string | null;
      memberAlias: string | null;
      u_username: string | null;
      u_displayName: string | null;
      u_roles: string | null;
      u_region: string | null;
      u_disabledAt: Date | null;
    }
  >(
    `SELECT s."id", s."tokenHash", s."csrfToken", s."userId", s."familyId", s."memberId", s."memberAlias",
            s."createdAt", s."lastSeenAt", s."expiresAt", s."revokedAt",
            u."username" AS "u_username", u."displayName" AS "u_displayName", u."roles" AS "u_roles",
            u."region" AS "u_region", u."disabledAt" AS "u_disabledAt"
       FROM "Session" s LEFT JOIN "User" u ON u."id" = s."userId"
      WHERE s."tokenHash" = ?`,
    [tokenHash],
  );
  if (!row) return null;
  const { u_username, u_displayName, u_roles, u_region, u_disabledAt, familyId, memberId, memberAlias, ...session } = row;
  const user =
    session.userId !== null && u_username !== null
      ? {
          id: session.userId,
          username: u_username,
          displayName: u_displayName ?? u_username,
          roles: u_roles ?? '',
          region: u_region,
          disabledAt: u_disabledAt,
        }
      : null;
  const member = session.userId === null && familyId && memberId ? { familyId, memberId, alias: memberAlias ?? memberId } : null;
  return { ...session, user, member };
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await db.direct.run('UPDATE "Session" SET "lastSeenAt" = ? WHERE "id" = ? AND "revokedAt" IS NULL', [
    at,
    id,
  ]);
}

export async function revokeSession(db: Db, id: string, at: Date): Promise<void> {
  await db.prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
}

/** A member's access ended (revoked, or the case closed): every session of theirs ends with it. */
export async function revokeMemberSessions(q: SqlRunner, familyId: string, memberId: string, at: Date): Promise<number> {
  return q.run('UPDATE "Session" SET "revokedAt" = ? WHERE "familyId" = ? AND "memberId" = ? AND "revokedAt" IS NULL', [
    at,
    familyId,
    memberId,
  ]);
}

export async function revokeUserSessions(db: Db, userId: string, at: Date): Promise<number> {
  const result = await db.prisma.session.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: at },
  });
  return result.count;
}

export type FailureScope = 'user' | 'ip';

export async function recordLoginFailures(
  db: Db,
  entries: { scope: FailureScope; key: string }[],
  at: Date,
): Promise<void> {
  await db.prisma.loginFailure.createMany({ data: entries.map((e) => ({ scope: e.scope, key: e.key, at })) });
}

/** Like recordLoginFailures, returning the new rows' ids so that an attempt can take its own back. */
export async function recordLoginAttempt(
  db: Db,
  entries: { scope: FailureScope; key: string }[],
  at: Date,
): Promise<number[]> {
  const rows = await Promise.all(
    entries.map((e) =>
      db.prisma.loginFailure.create({ data: { scope: e.scope, key: e.key, at }, select: { id: true } }),
    ),
  );
  return rows.map((r) => r.id);
}

export async function deleteLoginFailures(db: Db, ids: number[]): Promise<void> {
  if (ids.length > 0) await db.prisma.loginFailure.deleteMany({ where: { id: { in: ids } } });
}

/** Failures since `since`, oldest first: the oldest tells when the window frees a slot. */
export async function recentLoginFailures(
  db: Db,
  scope: FailureScope,
  key: string,
  since: Date,
): Promise<Date[]> {
  const rows = await db.prisma.loginFailure.findMany({
    where: { scope, key, at: { gt: since } },
    select: { at: true },
    orderBy: { at: 'asc' },
  });
  return rows.map((r) => r.at);
}

export async function clearLoginFailures(db: Db, scope: FailureScope, key: string): Promise<void> {
  await db.prisma.loginFailure.deleteMany({ where: { scope, key } });
}

/** Removes what no longer counts: expired or revoked sessions and failures outside any window. */
export async function pruneAuthRows(db: Db, sessionsBefore: Date, failuresBefore: Date): Promise<void> {
  await db.prisma.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: sessionsBefore } }, { revokedAt: { lt: sessionsBefore } }] },
  });
  await db.prisma.loginFailure.deleteMany({ where: { at: { lt: failuresBefore } } });
}
