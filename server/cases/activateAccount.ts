import { checkNewPassword } from '../auth/passwordPolicy.ts';
import { hashPassword } from '../auth/passwords.ts';
import { openLoginAttempt } from '../auth/throttle.ts';
import { activationCodeHash } from '../auth/tokens.ts';
import { findActivationCode, useActivationCode } from '../db/activationCodes.ts';
import { findAdminUser, normaliseUsername, revokeSessionsOf, updateUserRow } from '../db/users.ts';
import { AppError } from '../errors.ts';
import { loginFailures } from '../metrics.ts';
import { logUserChange } from './admin.ts';
import type { CaseDeps } from './context.ts';

/** One answer for an unknown, used, expired or revoked code, or a code of another account. */
const invalidCode = () =>
  new AppError('validation', 'The activation code is not valid', {
    errors: [{ path: 'code', message: 'Not valid, already used or expired / ongeldig, al gebruikt of verlopen' }],
  });

/**
 * A user sets their own password with a one-time activation code (POST /session/activate). The code
 * works once, for its own account only, for 7 days; attempts are throttled like sign-in (a wrong
 * code counts as a failed sign-in of the account and the address). The new password follows the
 * password rules; a refused password does not use up the code. Any session of the account ends.
 */
export async function activateAccount(
  deps: CaseDeps,
  input: { username: string; code: string; password: string; ip: string },
): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  const attempt = await openLoginAttempt(db, input.username, input.ip, now);
  const code = await findActivationCode(db.direct, activationCodeHash(input.code));
  const user = code ? await findAdminUser(db.direct, code.userId, now) : undefined;
  const open = code && !code.usedAt && !code.revokedAt && code.expiresAt.getTime() > now.getTime();
  if (!code || !user || !open || user.disabledAt || user.username !== normaliseUsername(input.username)) {
    loginFailures.inc({ reason: 'activation' });
    await attempt.failed();
    throw invalidCode();
  }
  checkNewPassword(input.password, user.username);
  const passwordHash = await hashPassword(input.password);
  const used = await db.direct.transaction(async (tx) => {
    // The code is used only if it still is open: of two attempts at once, one wins.
    if (!(await useActivationCode(tx, code.id, now))) return false;
    await updateUserRow(tx, user.id, { passwordHash }, now);
    await revokeSessionsOf(tx, user.id, now);
    await logUserChange(tx, user, now, 'user.activated', user, { before: null, after: null });
    return true;
  });
  if (!used) throw invalidCode();
  await attempt.succeeded();
}
