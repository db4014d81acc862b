import type { AdminUser } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { userRolesChanged } from '../db/accessLog.ts';
import { revokeActivationCodes } from '../db/activationCodes.ts';
import type { AdminAction } from '../db/adminLog.ts';
import { findAdminUser, revokeSessionsOf, updateUserRow, type AdminUserRow, type UserChanges } from '../db/users.ts';
import { AppError } from '../errors.ts';
import { adminUserView, checkRegion, logUserChange, noSuchUser, requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';

export type UserUpdate = {
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  region?: string | null | undefined;
  disabled?: boolean | undefined;
  reason?: string | undefined;
};

type Fields = { displayName: string; roles: Role[]; region: string | null; disabled: boolean };

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** The fields that really change, before and after. */
function diff(row: AdminUserRow, next: Fields): { before: Partial<Fields>; after: Partial<Fields> } {
  const before: Partial<Fields> = {};
  const after: Partial<Fields> = {};
  const now: Fields = { displayName: row.displayName, roles: row.roles, region: row.region, disabled: row.disabledAt !== null };
  if (next.displayName !== now.displayName) [before.displayName, after.displayName] = [now.displayName, next.displayName];
  if (!sameRoles(next.roles, now.roles)) [before.roles, after.roles] = [now.roles, next.roles];
  if (next.region !== now.region) [before.region, after.region] = [now.region, next.region];
  if (next.disabled !== now.disabled) [before.disabled, after.disabled] = [now.disabled, next.disabled];
  return { before, after };
}

function actionOf(after: Partial<Fields>): AdminAction {
  if (after.disabled === true) return 'user.disabled';
  if (after.disabled === false) return 'user.enabled';
  return 'user.updated';
}

/**
 * Changes a user's display name, roles, region or disabled state (PATCH /users/{id}, `npm run user
 * -- disable`): one transaction with its admin-log row. Disabling or a role change ends the user's
 * sessions at once (and disabling voids an open activation code). An administrator cannot disable
 * themselves or take away their own admin role: the install would lose its last way in.
 */
/** The user after the change, and how many of their sessions the change ended (the CLI says so). */
export async function updateUser(
  deps: CaseDeps,
  caller: AdminCaller,
  id: string,
  input: UserUpdate,
): Promise<{ user: AdminUser; sessionsEnded: number }> {
  await requireAdmin(deps, caller);
  const at = deps.clock.now();
  return deps.db.direct.transaction(async (tx) => {
    const row = await findAdminUser(tx, id, at);
    if (!row) throw noSuchUser();
    const next: Fields = {
      displayName: input.displayName ?? row.displayName,
      roles: input.roles ? [...new Set(input.roles)] : row.roles,
      region: input.region !== undefined ? input.region : row.region,
      disabled: input.disabled ?? row.disabledAt !== null,
    };
    if (input.roles !== undefined || input.region !== undefined) checkRegion(next.roles, next.region);
    if (caller.principal?.id === id && (next.disabled || !next.roles.includes('admin'))) {
      throw new AppError('unprocessable', 'You cannot disable yourself or take away your own admin role', { guard: 'selfLockout' });
    }
    const { before, after } = diff(row, next);
    if (Object.keys(after).length === 0) return { user: adminUserView(row), sessionsEnded: 0 };
    const changes: UserChanges = {};
    if (after.displayName !== undefined) changes.displayName = after.displayName;
    if (after.roles !== undefined) changes.roles = after.roles;
    if (after.region !== undefined) changes.region = after.region;
    if (after.disabled !== undefined) changes.disabledAt = after.disabled ? at : null;
    await updateUserRow(tx, id, changes, at);
    // VT of a family's region or not: the access review's "assigned" follows the roles and region.
    if (after.roles !== undefined || after.region !== undefined) await userRolesChanged(tx, id);
    const sessionsEnded = after.disabled === true || after.roles !== undefined ? await revokeSessionsOf(tx, id, at) : 0;
    if (after.disabled === true) await revokeActivationCodes(tx, id, at);
    await logUserChange(tx, caller.principal, at, actionOf(after), row, { before, after, reason: input.reason });
    return { user: adminUserView((await findAdminUser(tx, id, at))!), sessionsEnded };
  });
}
