import { hashPassword } from '../auth/passwords.ts';
import type { Db } from '../db/index.ts';
import { insertUser, type NewUser, type UserRecord } from '../db/users.ts';

/** Creates an account (CLI, demo seed, tests): the password is hashed here, never stored or passed on. */
export async function createUser(db: Db, input: Omit<NewUser, 'passwordHash'> & { password: string }): Promise<UserRecord> {
  const { password, ...rest } = input;
  return insertUser(db, { ...rest, passwordHash: await hashPassword(password) });
}
