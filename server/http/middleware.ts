import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { apiVersion } from '../../contract/index.ts';
import { resumeSession, SESSION_COOKIE, sessionClock } from '../auth/sessions.ts';
import { clearSessionCookies } from './sessionCookies.ts';
import { AppError } from '../errors.ts';
import { httpDuration, httpRequests } from '../metrics.ts';
import type { ResolvedDeps } from './context.ts';

/** Request id, timing, one log line and metrics per request. Never the query string: it can name people. */
export function requestLogging(deps: Pick<ResolvedDeps, 'logger'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    req.requestId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.routeTemplate ?? (res.statusCode === 404 ? 'unmatched' : 'static');
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      httpDuration.observe({ method: req.method, route }, seconds);
      deps.logger.info(
        {
          reqId: req.requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
          userId: req.auth?.session.user.id,
        },
        'request',
      );
    });
    next();
  };
}

/** Headers every response carries: the API Design Rules' version header is the document's `info.version`. */
export function apiHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('API-Version', apiVersion);
  if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
  next();
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** A body that is not JSON is refused before anything reads it. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
    next(new AppError('unsupported_media_type', 'Send the body as application/json'));
    return;
  }
  next();
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Resolves the session from `Authorization: Bearer` (preferred: it is CSRF-exempt because a page
 * cannot make a browser attach it) or the `vp_session` cookie. Routes decide whether one is needed.
 */
export function authenticate(deps: ResolvedDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const bearer = header && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const token = bearer ?? cookie;
    if (!token) {
      next();
      return;
    }
    const session = await resumeSession(deps.db, token, sessionClock(deps));
    if (session) req.auth = { session, via: bearer ? 'bearer' : 'cookie' };
    else {
      req.authFailed = true;
      // An ended or expired cookie session: forget it, so the next page shows the sign-in form at once.
      if (!bearer) clearSessionCookies(req, res);
    }
    next();
  };
}

/** /metrics for the local scraper only; a proxied request (X-Forwarded-For) never counts as local. */
export function isLoopback(req: Request): boolean {
  const addr = req.socket.remoteAddress ?? '';
  const local = addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
  return local && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

/** Paths whose answers carry a session secret: never compressed (BREACH, below). */
const SECRET_PATHS: ReadonlySet<string> = new Set(['/api/v1/session', '/api/v1/me']);

/**
 * Which answers are compressed, and by what (a compressible type, above a threshold, for a client that
 * accepts it). Reads only (GET, HEAD: lists, pages, exports, the client's files), and never an answer
 * that carries a session secret (sign-in, /me): compressing a secret beside text an attacker can
 * influence leaks it by length (BREACH). So a write's answer is not compressed either: it is one
 * resource of a few KiB, and some carry a one-time secret (an activation or member access code) beside
 * text the sender chose. Deciding before the wrapper spares those answers the cost of `compression`
 * hooking them (about 0.08 ms per request on the bench's floor, BENCHMARKS.md session 14).
 *
 * The API's own answers (under /api/) are marked `req.mayCompress` here and compressed by the route
 * runner in one call (server/http/encoding.ts); only the client's files, streamed from disk, go through `compression`,
 * and only for a client that sends Accept-Encoding (without it `compression` answers identity, so its
 * wrapper would only cost time). Every answer that may be compressed says `Vary: Accept-Encoding`, so
 * a cache never hands a plain one to a client that asked for gzip, or the reverse.
 */
export function compressedAnswers(compress: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.originalUrl.split('?')[0] ?? '';
    if (SECRET_PATHS.has(path)) return next();
    if (path.startsWith('/api/')) req.mayCompress = true;
    else if (req.headers['accept-encoding'] !== undefined) return compress(req, res, next);
    res.vary('Accept-Encoding');
    next();
  };
}

/** A path the API knows, asked with a method it does not answer: 405 and the methods it does answer. */
export function methodNotAllowed(methods: readonly string[]): RequestHandler {
  const allow = methods.includes('GET') ? [...methods, 'HEAD'] : [...methods];
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', [...allow, 'OPTIONS'].join(', '));
      res.status(204).end();
      return;
    }
    next(new AppError('method_not_allowed', `${req.method} is not allowed here; use ${allow.join(', ')}`, { allow }));
  };
}
