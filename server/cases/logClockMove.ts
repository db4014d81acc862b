import { writeAccessLog } from '../db/accessLog.ts';
import { entryFor, type Caller, type CaseDeps } from './context.ts';

/**
 * Logs a move of the manual clock (POST /clock): it changes every family's deadlines, so who moved
 * it and when is in the access log like any other act on family data (issue 11 item 7). Written
 * before the move, so that a move that fires timers and then fails is logged too.
 */
export async function logClockMove(deps: CaseDeps, caller: Caller): Promise<void> {
  await writeAccessLog(deps.db.direct, entryFor(caller, deps.clock.now(), null, 'clock', 'ok'));
}
