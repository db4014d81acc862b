import { randomUUID } from 'node:crypto';
import { roleSchema, type Role } from '../../machines/schemas/common.ts';
import { AppError } from '../errors.ts';
import { placeholders, type SqlRunner } from './direct.ts';
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
  const username = normaliseUsername(input.username);
  if (!/^[a-z0-9._-]{2,64}$/.test(username)) {
    throw new AppError('validation', 'Invalid username', {
      errors: [{ path: 'username', message: '2–64 characters: letters, digits, dot, dash, underscore' }],
    });
  }
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
