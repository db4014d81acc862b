import { familyListSchema } from '../../contract/index.ts';
import { api } from './api.ts';
import { syncServerClock } from './serverClock.ts';

/** The director's inbox: the handovers offered to them, soonest due first (GET /families?handover=offeredToMe, API.md). */
export const inboxQuery = { handover: 'offeredToMe', sort: 'nextDueAt', pageSize: 100 } as const;

/** The inbox, with the server's clock read first: the countdowns count on the server's time. */
export async function loadInbox(signal?: AbortSignal) {
  await syncServerClock();
  return api.get(familyListSchema, '/families', inboxQuery, signal);
}
