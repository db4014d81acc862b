/**
 * What the administration use cases share (issue 16): who may administer, the admin log's view of
 * the caller, the user as the screens see it, and issuing an activation code. The command line
 * (`npm run user`) calls the same use cases with no principal: the operator of the machine.
 */
import { randomUUID } from 'node:crypto';
import type { Activation, AdminUser } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { checkNewPassword } from '../auth/passwordPolicy.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Principal } from '../auth/policy.ts';
import { ACTIVATION_VALID_MS, activationCodeHash, newActivationCode } from '../auth/tokens.ts';
import { insertActivationCode, revokeActivationCodes } from '../db/activationCodes.ts';
import { writeAdminLog, type AdminAction, type AdminLogEntry } from '../db/adminLog.ts';
import type { Db, SqlRunner } from '../db/index.ts';
import { revokeSessionsOf, updateUserRow, type AdminUserRow } from '../db/users.ts';
import { AppError } from '../errors.ts';
import { requireRole, type CaseDeps } from './context.ts';

export const ADMIN_ROLES: readonly Role[] = ['admin'];
/** The admin log is read by administrators and auditors. */
export const ADMIN_LOG_ROLES: readonly Role[] = ['admin', 'auditor'];

/** Who administers: a signed-in principal, or null for the command line on the server itself. */
export type AdminCaller = { principal: Principal | null; ip: string | null };

/** The role check of every administrative use case; the command line is the machine's operator. */
export async function requireAdmin(deps: CaseDeps, caller: AdminCaller, roles: readonly Role[] = ADMIN_ROLES): Promise<void> {
  if (caller.principal) await requireRole(deps, { principal: caller.principal, ip: caller.ip }, roles);
}

export const noSuchUser = () => new AppError('not_found', 'No such user');

/** A Veilig Thuis worker reads the families of their region: without one they could do no work. */
export function checkRegion(roles: readonly Role[], region: string | null): void {
  if (!roles.includes('vt') || region !== null) return;
  throw new AppError('validation', 'A Veilig Thuis worker needs a region', {
    errors: [{ path: 'region', message: 'A Veilig Thuis worker needs a region / een Veilig Thuis-medewerker hoort bij een regio' }],
  });
}

/** Who made a change, for the admin log: a user, or null for the command line. */
export type AdminActor = { id: string; username: string } | null;

/** One admin-log row for a change to a user. */
export async function logUserChange(
  tx: SqlRunner,
  actor: AdminActor,
  at: Date,
  action: AdminAction,
  user: { id: string; username: string },
  change: Pick<AdminLogEntry, 'before' | 'after'> & { reason?: string | null | undefined },
): Promise<void> {
  await writeAdminLog(tx, {
    at,
    actorId: actor?.id ?? null,
    actorUsername: actor?.username ?? null,
    action,
    targetType: 'user',
    targetId: user.id,
    targetName: user.username,
    before: change.before,
    after: change.after,
    reason: change.reason ?? null,
  });
}

export function adminUserView(row: AdminUserRow): AdminUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    roles: row.roles,
    region: row.region,
    disabled: row.disabledAt !== null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    activationPendingUntil: row.activationExpiresAt?.toISOString() ?? null,
  };
}

/** A new one-time code for the user (any open one stops working). Only its hash is stored. */
export async function issueActivation(tx: SqlRunner, userId: string, at: Date): Promise<Activation> {
  await revokeActivationCodes(tx, userId, at);
  const code = newActivationCode();
  const expiresAt = new Date(at.getTime() + ACTIVATION_VALID_MS);
  await insertActivationCode(tx, { id: randomUUID(), userId, codeHash: activationCodeHash(code), createdAt: at, expiresAt });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** Sets a new password, ends the account's sessions but `keepSessionId`, voids open codes; one admin-log row. */
export async function storePassword(
  db: Db,
  user: { id: string; username: string },
  actor: AdminActor,
  password: string,
  at: Date,
  keepSessionId?: string,
): Promise<void> {
  checkNewPassword(password, user.username, actor?.id === user.id ? 'newPassword' : 'password');
  const passwordHash = await hashPassword(password);
  await db.direct.transaction(async (tx) => {
    await updateUserRow(tx, user.id, { passwordHash }, at);
    await revokeSessionsOf(tx, user.id, at, keepSessionId);
    await revokeActivationCodes(tx, user.id, at);
    await logUserChange(tx, actor, at, 'user.passwordChanged', user, { before: null, after: null });
  });
}
