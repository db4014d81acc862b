import type { AccessLogPage } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { accessLogPage, writeAccessLog, type AccessLogFilter } from '../db/accessLog.ts';
import { entryFor, requireRole, type CaseDeps, type Caller } from './context.ts';

export const ACCESS_LOG_ROLES: readonly Role[] = ['auditor'];

/** One page of the access log, newest first (GET /access-log). Reading it is itself logged, in the same transaction. */
export async function accessLog(deps: CaseDeps, input: Caller & { filter: AccessLogFilter }): Promise<AccessLogPage> {
  await requireRole(deps, input, ACCESS_LOG_ROLES, { action: 'access-log', familyId: input.filter.familyId ?? null });
  const at = deps.clock.now();
  const page = await deps.db.direct.transaction(async (tx) => {
    const p = await accessLogPage(tx, input.filter);
    await writeAccessLog(tx, entryFor(input, at, input.filter.familyId ?? null, 'access-log', 'ok', 'auditor'));
    return p;
  });
  return { ...page, page: input.filter.page, pageSize: input.filter.pageSize };
}
