import type { Request } from 'express';
import { safeEqual } from './tokens.ts';

// Cookies ride along on cross-site requests; a bearer token does not. So only cookie-authenticated
// writes need proof that they come from our own pages: the synchronizer token, or the browser's
// own statement that the request is same-origin (Origin / Sec-Fetch-Site, which pages cannot forge).

export type OriginVerdict = 'same' | 'cross' | 'unknown';

/** What the browser's headers say about where the request comes from. */
export function originVerdict(req: Request): OriginVerdict {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  let verdict: OriginVerdict = 'unknown';
  if (site) {
    if (site === 'same-origin') verdict = 'same';
    else if (site === 'cross-site' || site === 'same-site') return 'cross';
  }
  if (origin !== undefined) {
    if (origin === 'null') return 'cross';
    const host = req.get('host');
    const expected = host ? `${req.protocol}://${host}`.toLowerCase() : null;
    if (expected && origin.toLowerCase() === expected) verdict = 'same';
    else return 'cross';
  }
  return verdict;
}

export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A cookie-authenticated unsafe request passes with a valid token or a same-origin statement. */
export function csrfAllowed(req: Request, sessionCsrfToken: string): boolean {
  const header = req.get('x-csrf-token');
  if (header && safeEqual(header, sessionCsrfToken)) return true;
  return originVerdict(req) === 'same';
}

/** Sign-in has no session yet: refuse only what the browser itself marks as cross-origin. */
export function loginOriginAllowed(req: Request): boolean {
  return originVerdict(req) !== 'cross';
}
