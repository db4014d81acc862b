import { clockSchema, type ClockMode } from '../../contract/index.ts';
import { ApiError, api } from './api.ts';

// Deadlines are "overdue" relative to the server's time. With the demo/test clock (CLOCK=manual) that
// differs from the browser's, so the offset is read once from /clock when the server offers it.
let offsetMs = 0;
let mode: ClockMode = 'system';

/** Which clock the server runs on, from sign-in or /me: only a manual one is asked for its time. */
export function setClockMode(m: ClockMode): void {
  mode = m;
  if (m === 'system') offsetMs = 0;
}

export async function syncServerClock(): Promise<void> {
  if (mode === 'system') return;
  try {
    const { now } = await api.get(clockSchema, '/clock');
    const serverMs = new Date(now).getTime();
    if (!Number.isNaN(serverMs)) offsetMs = serverMs - Date.now();
  } catch (e) {
    // 404 means a real clock: the browser's time is close enough.
    if (!(e instanceof ApiError)) throw e;
    offsetMs = 0;
  }
}

export function serverNow(): Date {
  return new Date(Date.now() + offsetMs);
}

export function serverNowIso(): string {
  return serverNow().toISOString();
}
