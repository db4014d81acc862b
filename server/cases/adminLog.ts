import type { AdminLog, AdminLogQuery } from '../../contract/index.ts';
import { adminLogPage } from '../db/adminLog.ts';
import { ADMIN_LOG_ROLES, requireAdmin, type AdminCaller } from './admin.ts';
import type { CaseDeps } from './context.ts';

/** One page of the admin log, newest first (GET /admin-log): administrators and auditors. */
export async function adminLog(deps: CaseDeps, caller: AdminCaller, query: AdminLogQuery): Promise<AdminLog> {
  await requireAdmin(deps, caller, ADMIN_LOG_ROLES);
  const page = await adminLogPage(deps.db.direct, {
    ...(query.targetType ? { targetType: query.targetType } : {}),
    ...(query.targetId ? { targetId: query.targetId } : {}),
    page: query.page,
    pageSize: query.pageSize,
  });
  return { items: page.items, total: page.total, page: query.page, pageSize: query.pageSize };
}
