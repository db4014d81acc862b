import { systemClock } from '../clock.ts';
import type { Db } from '../db/index.ts';
import { findUserIdByUsername, normaliseUsername } from '../db/users.ts';
import { noSuchUser, storePassword } from './admin.ts';

/**
 * A new password for an account from the command line (`npm run user -- password`): the password
 * rules apply, every session of the account ends, an open activation code stops working, and the
 * admin log gets a row (actor: the command line).
 */
export async function setPassword(db: Db, username: string, password: string, at: Date = systemClock.now()): Promise<void> {
  const id = await findUserIdByUsername(db.direct, username);
  if (!id) throw noSuchUser();
  await storePassword(db, { id, username: normaliseUsername(username) }, null, password, at);
}
