import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../auth/sessions.ts';

/**
 * The session cookie (HttpOnly, the secret) and beside it `vp_signed_in=1`, readable by the page:
 * it holds nothing but tells the client that a session may exist, so that a page opened without one
 * shows the sign-in form at once instead of asking GET /me for a 401 (an error in the browser's
 * console on every visit to the sign-in page).
 */
export const SIGNED_IN_COOKIE = 'vp_signed_in';

function options(req: Request, httpOnly: boolean) {
  // Secure whenever the request reached us over HTTPS (directly or via a trusted proxy).
  return { httpOnly, sameSite: 'strict' as const, path: '/', secure: req.secure };
}

export function setSessionCookies(req: Request, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, options(req, true));
  res.cookie(SIGNED_IN_COOKIE, '1', options(req, false));
}

export function clearSessionCookies(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, options(req, true));
  res.clearCookie(SIGNED_IN_COOKIE, options(req, false));
}
