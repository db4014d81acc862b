import type { Principal } from '../auth/policy.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { openLoginAttempt } from '../auth/throttle.ts';
import { passwordHashOf } from '../db/users.ts';
import { AppError } from '../errors.ts';
import { storePassword } from './admin.ts';
import type { CaseDeps } from './context.ts';

/**
 * The signed-in user changes their own password (POST /me/password): the current one must be right
 * (a wrong one counts as a failed sign-in), the new one follows the password rules; every other
 * session of the account ends, this one goes on.
 */
export async function changePassword(
  deps: CaseDeps,
  input: { principal: Principal; sessionId: string; ip: string; currentPassword: string; newPassword: string },
): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  const attempt = await openLoginAttempt(db, input.principal.username, input.ip, now);
  const hash = await passwordHashOf(db.direct, input.principal.id);
  if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
    await attempt.failed();
    throw new AppError('validation', 'The current password is wrong', {
      errors: [{ path: 'currentPassword', message: 'Wrong password / onjuist wachtwoord' }],
    });
  }
  await attempt.succeeded();
  await storePassword(db, input.principal, input.principal, input.newPassword, now, input.sessionId);
}
