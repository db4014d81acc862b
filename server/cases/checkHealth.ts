import { databaseHealthy } from '../db/index.ts';
import { AppError } from '../errors.ts';
import type { CaseDeps } from './context.ts';

/** Liveness and database reachability (GET /health): 503 when the database does not answer. */
export async function checkHealth(deps: Pick<CaseDeps, 'db'>): Promise<{ status: 'ok'; database: 'ok' }> {
  if (!(await databaseHealthy(deps.db))) throw new AppError('unavailable', 'The database does not answer');
  return { status: 'ok', database: 'ok' };
}
