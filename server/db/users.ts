import { randomUUID } from 'node:crypto';
import { roleSchema, type Role } from '../../machines/schemas/common.ts';
import { AppError } from '../errors.ts';
import { insertRows, placeholders, updateSql, type SqlRunner, type SqlValue } from './direct.ts';
import type { Db } from './index.ts';

export type UserRecord = {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  region: string | null;
  disabledAt: Date | null;
};

export type UserRef = { id: string; username: string; displayName: string };

const userSelect = { id: true, username: true, displayName: true, roles: true, region: true, disabledAt: true } as const;

type UserRow = { id: string; username: string; displayName: string; roles: string; region: string | null; disabledAt: Date | null };

/** Roles are stored comma-separated; anything unknown is dropped rather than trusted. */
export function parseRoles(stored: string): Role[] {
  return stored
    .split(',')
    .map((r) => r.trim())
    .filter((r): r is Role => roleSchema.safeParse(r).success);
}

function toRecord(row: UserRow): UserRecord {
  return { ...row, roles: parseRoles(row.roles) };
}

/** Usernames compare case-insensitively: `Regisseur` and `regisseur` are one account. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export type NewUser = {
  username: string;
  /** The argon2 hash (server/auth/passwords.ts); the persistence module never sees a password. */
  passwordHash: string;
  roles: Role[];
  displayName?: string;
  region?: string | null;
  id?: string;
};

export async function insertUser(db: Db, input: NewUser): Promise<UserRecord> {
  const username = checkUsername(input.username);
  if (input.roles.length === 0) {
    throw new AppError('validation', 'A user needs a role', { errors: [{ path: 'roles', message: 'at least one role' }] });
  }
  const row = await db.prisma.user.create({
    data: {
      id: input.id ?? randomUUID(),
      username,
      displayName: input.displayName?.trim() || username,
      roles: input.roles.join(','),
      region: input.region ?? null,
      passwordHash: input.passwordHash,
    },
    select: userSelect,
  });
  return toRecord(row);
}

export async function findUserById(db: Db, id: string): Promise<UserRecord | null> {
  const row = await db.prisma.user.findUnique({ where: { id }, select: userSelect });
  return row ? toRecord(row) : null;
}

/** With the password hash: only the sign-in path needs it. */
export async function findUserForLogin(
  db: Db,
  username: string,
): Promise<(UserRecord & { passwordHash: string }) | null> {
  const row = await db.prisma.user.findUnique({
    where: { username: normaliseUsername(username) },
    select: { ...userSelect, passwordHash: true },
  });
  return row ? { ...toRecord(row), passwordHash: row.passwordHash } : null;
}

/**
 * Display references for many users at once (case directors, actors in a history), on the client
 * or inside a transaction. Direct SQL: this runs with every transition (the view it answers with).
 */
export async function userRefs(q: SqlRunner, ids: Iterable<string | null | undefined>): Promise<Map<string, UserRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id.length > 0))];
  if (wanted.length === 0) return new Map();
  const rows = await q.all<UserRef>(
    `SELECT "id", "username", "displayName" FROM "User" WHERE "id" IN (${placeholders(wanted.length)})`,
    wanted,
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username, displayName: r.displayName }]));
}

/**
 * The people an audit answer mentions: name and roles of each id that is a user (ids that are not
 * users, such as a member's `m1`, are simply not found).
 */
export async function userPeople(
  q: SqlRunner,
  ids: Iterable<string>,
): Promise<Map<string, { displayName: string; roles: Role[] }>> {
  const wanted = [...new Set([...ids].filter((id) => id.length > 0 && id.length <= 100))];
  if (wanted.length === 0) return new Map();
  const rows = await q.all<{ id: string; displayName: string; roles: string }>(
    `SELECT "id", "displayName", "roles" FROM "User" WHERE "id" IN (${placeholders(wanted.length)})`,
    wanted,
  );
  return new Map(rows.map((r) => [r.id, { displayName: r.displayName, roles: parseRoles(r.roles) }]));
}

/** Disables the account and revokes every live session in one transaction. */
export async function disableUser(db: Db, username: string, at: Date): Promise<{ revokedSessions: number }> {
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { username: normaliseUsername(username) }, select: { id: true } });
    if (!user) throw new AppError('not_found', 'No such user');
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: at } });
    const revoked = await tx.session.updateMany({
      where: { userId: user.id, revokedAt: null },
      data: { revokedAt: at },
    });
    return { revokedSessions: revoked.count };
  });
}

export async function setPasswordHash(db: Db, username: string, passwordHash: string): Promise<void> {
  const updated = await db.prisma.user.updateMany({ where: { username: normaliseUsername(username) }, data: { passwordHash } });
  if (updated.count === 0) throw new AppError('not_found', 'No such user');
}

/** Every active account with its password hash (the start-up check for demo passwords in production). */
export async function activeUserHashes(db: Db): Promise<{ username: string; passwordHash: string }[]> {
  return db.prisma.user.findMany({
    where: { disabledAt: null },
    select: { username: true, passwordHash: true },
    orderBy: { username: 'asc' },
  });
}

/** Active users holding any of these roles, by display name. */
export async function activeUsersWithRole(db: Db, roles: readonly Role[]): Promise<(UserRef & { roles: Role[] })[]> {
  const rows = await db.prisma.user.findMany({
    where: { disabledAt: null },
    select: { id: true, username: true, displayName: true, roles: true },
    orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
  });
  return rows
    .map((r) => ({ id: r.id, username: r.username, displayName: r.displayName, roles: parseRoles(r.roles) }))
    .filter((r) => r.roles.some((role) => roles.includes(role)));
}

/** An active user's id and roles now (a payload that names a user records them); null when unknown or disabled. */
export async function activeUserRoles(q: SqlRunner, id: string): Promise<{ id: string; roles: Role[] } | null> {
  const user = await q.get<{ id: string; roles: string; disabledAt: Date | null }>(
    'SELECT "id", "roles", "disabledAt" FROM "User" WHERE "id" = ?',
    [id],
  );
  if (!user || user.disabledAt) return null;
  return { id: user.id, roles: parseRoles(user.roles) };
}

export async function countUsers(db: Db): Promise<number> {
  return db.prisma.user.count();
}

// ---------------------------------------------------------------- administration (issue 16)

/** A user as the administration screens see it: never a password hash. */
export type AdminUserRow = UserRecord & { createdAt: Date; updatedAt: Date; activationExpiresAt: Date | null };

export type UserFilter = {
  /** Part of the username or display name, literally (`%` and `_` are characters). */
  q?: string;
  role?: Role;
  region?: string;
  disabled?: boolean;
  page: number;
  pageSize: number;
};

/** LIKE pattern that matches `text` literally, anywhere, with `\` as the escape character. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type AdminUserSqlRow = Omit<AdminUserRow, 'roles'> & { roles: string };

// The open activation code's expiry comes along, so the list can say who still has to activate.
const ADMIN_USER_SELECT = `u."id", u."username", u."displayName", u."roles", u."region", u."disabledAt", u."createdAt", u."updatedAt",
  (SELECT MAX(a."expiresAt") FROM "ActivationCode" a
    WHERE a."userId" = u."id" AND a."usedAt" IS NULL AND a."revokedAt" IS NULL AND a."expiresAt" > ?) AS "activationExpiresAt"`;

function toAdminRow(row: AdminUserSqlRow): AdminUserRow {
  const expires = row.activationExpiresAt as Date | string | null;
  return {
    ...row,
    roles: parseRoles(row.roles),
    // A subquery's column has no declared type: SQLite hands back the stored text.
    activationExpiresAt: expires === null ? null : new Date(expires),
  };
}

/** One page of users, by display name, and how many match. */
export async function userPage(q: SqlRunner, f: UserFilter, now: Date): Promise<{ items: AdminUserRow[]; total: number }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.q) {
    where.push(`(LOWER(u."username") LIKE ? ESCAPE '\\' OR LOWER(u."displayName") LIKE ? ESCAPE '\\')`);
    params.push(containsPattern(f.q), containsPattern(f.q));
  }
  if (f.role) {
    where.push(`(',' || u."roles" || ',') LIKE ?`);
    params.push(`%,${f.role},%`);
  }
  if (f.region) {
    where.push('u."region" = ?');
    params.push(f.region);
  }
  if (f.disabled !== undefined) where.push(f.disabled ? 'u."disabledAt" IS NOT NULL' : 'u."disabledAt" IS NULL');
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const count = await q.get<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "User" u ${clause}`, params);
  const rows = await q.all<AdminUserSqlRow>(
    `SELECT ${ADMIN_USER_SELECT} FROM "User" u ${clause}
      ORDER BY LOWER(u."displayName") ASC, u."username" ASC LIMIT ? OFFSET ?`,
    [now, ...params, f.pageSize, (f.page - 1) * f.pageSize],
  );
  return { items: rows.map(toAdminRow), total: Number(count?.n ?? 0) };
}

export async function findAdminUser(q: SqlRunner, id: string, now: Date): Promise<AdminUserRow | undefined> {
  const row = await q.get<AdminUserSqlRow>(`SELECT ${ADMIN_USER_SELECT} FROM "User" u WHERE u."id" = ?`, [now, id]);
  return row ? toAdminRow(row) : undefined;
}

export async function findUserIdByUsername(q: SqlRunner, username: string): Promise<string | undefined> {
  const row = await q.get<{ id: string }>('SELECT "id" FROM "User" WHERE "username" = ?', [normaliseUsername(username)]);
  return row?.id;
}

/** The username rule (also checked by the contract); a refusal names the field. */
export function checkUsername(username: string): string {
  const normalised = normaliseUsername(username);
  if (!/^[a-z0-9._-]{2,64}$/.test(normalised)) {
    throw new AppError('validation', 'Invalid username', {
      errors: [{ path: 'username', message: '2–64 characters: letters, digits, dot, dash, underscore' }],
    });
  }
  return normalised;
}

/** Inserts a user in an open transaction (the administration path). */
export async function insertUserRow(
  q: SqlRunner,
  row: { id: string; username: string; displayName: string; roles: Role[]; region: string | null; passwordHash: string },
  at: Date,
): Promise<void> {
  await insertRows(q, 'User', [
    {
      id: row.id,
      username: checkUsername(row.username),
      displayName: row.displayName,
      roles: row.roles.join(','),
      region: row.region,
      passwordHash: row.passwordHash,
      disabledAt: null,
      createdAt: at,
      updatedAt: at,
    },
  ]);
}

export type UserChanges = {
  displayName?: string;
  roles?: Role[];
  region?: string | null;
  disabledAt?: Date | null;
  passwordHash?: string;
};

export async function updateUserRow(q: SqlRunner, id: string, changes: UserChanges, at: Date): Promise<void> {
  const set: Record<string, SqlValue> = { updatedAt: at };
  if (changes.displayName !== undefined) set.displayName = changes.displayName;
  if (changes.roles !== undefined) set.roles = changes.roles.join(',');
  if (changes.region !== undefined) set.region = changes.region;
  if (changes.disabledAt !== undefined) set.disabledAt = changes.disabledAt;
  if (changes.passwordHash !== undefined) set.passwordHash = changes.passwordHash;
  const update = updateSql('User', set, '"id" = ?');
  if ((await q.run(update.sql, [...update.params, id])) !== 1) throw new AppError('not_found', 'No such user');
}

/** Ends the user's live sessions (all, or all but `exceptSessionId`); returns how many. */
export async function revokeSessionsOf(q: SqlRunner, userId: string, at: Date, exceptSessionId?: string): Promise<number> {
  return q.run(
    `UPDATE "Session" SET "revokedAt" = ? WHERE "userId" = ? AND "revokedAt" IS NULL${exceptSessionId ? ' AND "id" <> ?' : ''}`,
    exceptSessionId ? [at, userId, exceptSessionId] : [at, userId],
  );
}

/** The password hash of one user (the password change checks the current password). */
export async function passwordHashOf(q: SqlRunner, id: string): Promise<string | undefined> {
  return (await q.get<{ passwordHash: string }>('SELECT "passwordHash" FROM "User" WHERE "id" = ?', [id]))?.passwordHash;
}
