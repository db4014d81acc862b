import type { UserActivation } from '../../contract/index.ts';
import { NO_PASSWORD } from '../auth/passwords.ts';
import { findAdminUser, revokeSessionsOf, updateUserRow } from '../db/users.ts';
import { AppError } from '../errors.ts';
import { adminUserView, issueActivation, logUserChange, noSuchUser, requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';

/**
 * Resets an account (POST /users/{id}/reset): its password stops working, its sessions end, and a
 * new one-time activation code (7 days) lets its user set a new password. One admin-log row; the
 * code is in the answer only.
 */
export async function resetUser(deps: CaseDeps, caller: AdminCaller, id: string, reason?: string): Promise<UserActivation> {
  await requireAdmin(deps, caller);
  const at = deps.clock.now();
  return deps.db.direct.transaction(async (tx) => {
    const row = await findAdminUser(tx, id, at);
    if (!row) throw noSuchUser();
    if (row.disabledAt) {
      throw new AppError('unprocessable', 'Enable the account before resetting it', { guard: 'userDisabled' });
    }
    await updateUserRow(tx, id, { passwordHash: NO_PASSWORD }, at);
    await revokeSessionsOf(tx, id, at);
    const activation = await issueActivation(tx, id, at);
    await logUserChange(tx, caller.principal, at, 'user.reset', row, {
      before: null,
      after: { activationPendingUntil: activation.expiresAt },
      reason: reason ?? null,
    });
    return { user: adminUserView((await findAdminUser(tx, id, at))!), activation };
  });
}
