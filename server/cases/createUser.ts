import { randomUUID } from 'node:crypto';
import type { Activation, AdminUser, CreateUser } from '../../contract/index.ts';
import { checkNewPassword } from '../auth/passwordPolicy.ts';
import { hashPassword, NO_PASSWORD } from '../auth/passwords.ts';
import type { Db } from '../db/index.ts';
import { findAdminUser, insertUser, insertUserRow, normaliseUsername, type NewUser, type UserRecord } from '../db/users.ts';
import { isUniqueViolation } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { adminUserView, checkRegion, issueActivation, logUserChange, requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';

/**
 * Creates an account with a given password, without the password rules or the admin log: the demo
 * seed (password `demo`) and tests only. People are added with addUser.
 */
export async function createUser(db: Db, input: Omit<NewUser, 'passwordHash'> & { password: string }): Promise<UserRecord> {
  const { password, ...rest } = input;
  return insertUser(db, { ...rest, passwordHash: await hashPassword(password) });
}

export type AddedUser = { user: AdminUser; activation: Activation | null };

/**
 * Adds a user (POST /users, `npm run user -- add`), one admin-log row in the same transaction.
 * Through the API the user gets a one-time activation code (valid 7 days) and sets their own
 * password with it: no administrator sees or sets it. The command line, for the first administrator
 * of an install, may give the password instead (the password rules apply).
 */
export async function addUser(
  deps: CaseDeps,
  caller: AdminCaller,
  input: { username: string; displayName: string; roles: CreateUser['roles']; region: string | null; password?: string },
): Promise<AddedUser> {
  await requireAdmin(deps, caller);
  const username = normaliseUsername(input.username);
  checkRegion(input.roles, input.region);
  if (input.password !== undefined) checkNewPassword(input.password, username);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : NO_PASSWORD;
  const at = deps.clock.now();
  const id = randomUUID();
  try {
    return await deps.db.direct.transaction(async (tx) => {
      const displayName = input.displayName.trim() || username;
      await insertUserRow(tx, { id, username, displayName, roles: input.roles, region: input.region, passwordHash }, at);
      const activation = input.password === undefined ? await issueActivation(tx, id, at) : null;
      await logUserChange(tx, caller.principal, at, 'user.created', { id, username }, {
        before: null,
        after: { username, displayName, roles: input.roles, region: input.region },
      });
      const row = await findAdminUser(tx, id, at);
      return { user: adminUserView(row!), activation };
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AppError('conflict', 'A user with that username already exists', {
        errors: [{ path: 'username', message: 'Already in use / al in gebruik' }],
      });
    }
    throw e;
  }
}
