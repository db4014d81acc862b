import { hashPassword } from '../auth/passwords.ts';
import type { Db } from '../db/index.ts';
import { setPasswordHash } from '../db/users.ts';

/** Gives an account a new password (CLI). */
export async function setPassword(db: Db, username: string, password: string): Promise<void> {
  await setPasswordHash(db, username, await hashPassword(password));
}
