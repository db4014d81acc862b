import type { Role } from '../../machines/schemas/common.ts';
import { activeUsersWithRole } from '../db/users.ts';
import type { CaseDeps } from './context.ts';

export const DIRECTORS_ROLES: readonly Role[] = ['vt', 'director', 'admin'];

/** Active users a handover or follow-up decision can name as case director: directors, and VT workers (who direct while VT keeps a case). */
export async function listDirectors(deps: CaseDeps) {
  return { items: await activeUsersWithRole(deps.db, ['director', 'vt']) };
}
