import type { UserList, UserListQuery } from '../../contract/index.ts';
import { userPage } from '../db/users.ts';
import { adminUserView, requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';

/** One page of users with search and filters (GET /users); no family data. */
export async function listUsers(deps: CaseDeps, caller: AdminCaller, query: UserListQuery): Promise<UserList> {
  await requireAdmin(deps, caller);
  const page = await userPage(
    deps.db.direct,
    {
      ...(query.q ? { q: query.q } : {}),
      ...(query.role ? { role: query.role } : {}),
      ...(query.region ? { region: query.region } : {}),
      ...(query.disabled ? { disabled: query.disabled === 'true' } : {}),
      page: query.page,
      pageSize: query.pageSize,
    },
    deps.clock.now(),
  );
  return { items: page.items.map(adminUserView), total: page.total, page: query.page, pageSize: query.pageSize };
}
