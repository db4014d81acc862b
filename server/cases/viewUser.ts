import type { AdminUser } from '../../contract/index.ts';
import { findAdminUser } from '../db/users.ts';
import { adminUserView, noSuchUser, requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';

/** One user as the administration screens see it (GET /users/{id}). */
export async function viewUser(deps: CaseDeps, caller: AdminCaller, id: string): Promise<AdminUser> {
  await requireAdmin(deps, caller);
  const row = await findAdminUser(deps.db.direct, id, deps.clock.now());
  if (!row) throw noSuchUser();
  return adminUserView(row);
}
