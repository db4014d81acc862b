import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { SessionRole } from '../../machines/schemas/common.ts';
import { csrfAllowed, loginOriginAllowed, UNSAFE_METHODS } from '../auth/csrf.ts';
import type { ActiveSession } from '../auth/sessions.ts';
import type { Principal } from '../auth/policy.ts';
import {
  logRefused,
  logUnauthenticated,
  noSuchFamily,
  refuseInvalidRequest,
  requireRole,
  type AccessAction,
  type Caller,
} from '../cases/context.ts';
import type { AnswerShape } from '../cases/views.ts';
import { AppError, type ValidationIssue } from '../errors.ts';
import type { ResolvedDeps } from './context.ts';
import { sendJson } from './encoding.ts';
import { issuesFrom } from './problem.ts';

// One table describes every route: Express mounts it, the OpenAPI document is generated from it,
// and the authorisation test iterates that document. A route cannot exist without being documented.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type HandlerCtx<P extends Schema, Q extends Schema, B extends Schema> = {
  req: Request;
  res: Response;
  deps: ResolvedDeps;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** The signed-in user; null only on public routes. */
  principal: Principal | null;
  session: ActiveSession | null;
  /** The client address as Express resolves it (trust proxy applies); for the access log. */
  ip: string | null;
  /**
   * The answer the caller asked for: `minimal` on a route with `success.minimal` when the request says
   * `Prefer: return=minimal` (RFC 7240), else `full`. The handler answers in that shape.
   */
  answer: AnswerShape;
};

export type RouteDef<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> = {
  method: Method;
  /** OpenAPI template below /api/v1, e.g. `/families/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /**
   * `public`: anyone; `session`: a signed-in user; `origin`: anyone, but a write must not come from
   * another origin (sign-in, the manual clock).
   */
  access: 'public' | 'session' | 'origin';
  /** Any of these roles may call the route; others get 403. Absent: every signed-in user. */
  roles?: readonly SessionRole[];
  /**
   * Whether a household member's session (role `member`, issue 15) may call it. On every other route
   * a member gets 404 where the route is a family's (`/families/{id}…`: no family exists for them) and
   * 403 elsewhere, before anything else is decided; on family data the attempt is logged.
   */
  members?: true;
  params?: P;
  query?: Q;
  body?: B;
  success: {
    status: number;
    description: string;
    schema?: z.ZodType;
    contentType?: string;
    /** The same answer is also served as `text/csv` (on `Accept: text/csv`); what its rows are. */
    csv?: string;
    /**
     * A smaller answer, given on `Prefer: return=minimal` (RFC 7240) with `Preference-Applied`; the
     * route's answers then vary by `Prefer`.
     */
    minimal?: { schema: z.ZodType; description: string };
  };
  /** Problem statuses the route can answer, for the document. */
  problems: readonly number[];
  /** What a problem status means on this route, where that says more than the generic description. */
  problemNotes?: Readonly<Partial<Record<number, string>>>;
  /** Family-data routes: a refusal by role is itself an access-log row (NEN 7513) with this action. */
  auditDenied?: AccessAction;
  handler: (ctx: HandlerCtx<P, Q, B>) => Promise<unknown> | unknown;
};

// Variance: a route with specific schemas is stored in a list of routes with any schemas.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any>;

export function defineRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  def: RouteDef<P, Q, B>,
): AnyRoute {
  return def as AnyRoute;
}

export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function parsePart(schema: z.ZodType | undefined, input: unknown, prefix: string[], issues: ValidationIssue[]): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  issues.push(...issuesFrom(parsed.error.issues, prefix));
  return undefined;
}

// NUL cannot be stored in a PostgreSQL text column and an unpaired surrogate is not UTF-8 (SQLite's
// driver refuses it): either would reach the database as a 500. No text here needs them, so any
// string in the request that holds one is a 400, whichever field it is in.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_MESSAGE = 'Contains NUL or an unpaired surrogate / bevat een NUL-teken of een ongeldig Unicode-teken';

function unstorable(value: unknown, path: (string | number)[], issues: ValidationIssue[], depth = 0): void {
  // Deeper than any schema goes: whatever lies there is refused or stripped by the schema anyway.
  if (depth > 32 || issues.length >= 50) return;
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) issues.push({ path: path.join('.'), message: UNSTORABLE_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => unstorable(v, [...path, i], issues, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) issues.push({ path: [...path, k].join('.'), message: UNSTORABLE_MESSAGE });
      unstorable(v, [...path, k], issues, depth + 1);
    }
  }
}

function principalOf(session: ActiveSession): Principal {
  // Everything the session's user carries but whether it is disabled (a disabled user has no session).
  const { disabledAt, ...principal } = session.user;
  void disabledAt;
  return principal;
}

/**
 * Whether a `Prefer` header (RFC 7240) asks for `return=minimal`: its preferences are separated by
 * commas, a preference's parameters by semicolons, names compare case-insensitively and a value may
 * be quoted. The first `return` preference counts (RFC 7240 §2: a repeated one is ignored).
 */
export function prefersMinimal(header: string | undefined): boolean {
  if (!header) return false;
  for (const preference of header.split(',')) {
    const [token = '', ...rest] = preference.split(';')[0]!.split('=');
    if (token.trim().toLowerCase() !== 'return') continue;
    return rest.join('=').trim().replace(/^"(.*)"$/, '$1').toLowerCase() === 'minimal';
  }
  return false;
}

/** Where to look for a body schema mismatch in development: a response that breaks the contract. */
function checkResponse(route: AnyRoute, body: unknown, deps: ResolvedDeps, answer: AnswerShape): void {
  const schema = answer === 'minimal' ? route.success.minimal?.schema : route.success.schema;
  if (!schema || deps.config.nodeEnv === 'production') return;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('internal', `Response of ${route.operationId} breaks its schema`, {}, { cause: parsed.error });
  }
}

/** A household member on a route that is not theirs: a family's route does not exist for them (404), any other is refused (403). */
async function refuseMember(deps: ResolvedDeps, caller: Caller, route: AnyRoute, familyId: string | null): Promise<never> {
  const familyRoute = route.path.startsWith('/families/{id}');
  // Every attempt by a member is on record; a route without an audit action of its own reads or writes.
  const action = route.auditDenied ?? (route.method === 'get' ? 'read' : 'write');
  await logRefused(deps, caller, familyId, action, familyRoute ? 'not_found' : 'denied');
  throw familyRoute ? noSuchFamily() : new AppError('forbidden', 'A family member’s session may not use this route');
}

function handlerOf(route: AnyRoute, deps: ResolvedDeps): RequestHandler {
  return async (req: Request, res: Response, _next: NextFunction) => {
    req.routeTemplate = route.path;
    const auth = req.auth ?? null;

    // The family a family route names, for the access log (a malformed id names none).
    const familyId = typeof req.params.id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(req.params.id) ? req.params.id : null;
    const caller = auth ? { principal: principalOf(auth.session), ip: req.ip ?? null } : null;
    if (route.access === 'session') {
      if (!auth) {
        // On family data an attempt without a session is logged too (no user to name).
        if (route.auditDenied) await logUnauthenticated(deps, req.ip ?? null, { action: route.auditDenied, familyId });
        throw new AppError('unauthenticated', 'Sign in first, or your session has ended');
      }
      if (auth.via === 'cookie' && UNSAFE_METHODS.has(req.method) && !csrfAllowed(req, auth.session.csrfToken)) {
        throw new AppError('forbidden', 'Cross-site request refused: send X-CSRF-Token or a same-origin Origin');
      }
      if (caller!.principal.member && !route.members) await refuseMember(deps, caller!, route, familyId);
      if (route.roles) {
        // The use case's own role check, run before the request is parsed: a refusal by role says
        // nothing about the request's shape, and on family data it is logged.
        await requireRole(
          deps,
          caller!,
          route.roles,
          route.auditDenied ? { action: route.auditDenied, familyId } : undefined,
        );
      }
    } else if (route.access === 'origin' && UNSAFE_METHODS.has(req.method) && !loginOriginAllowed(req)) {
      throw new AppError('forbidden', 'Cross-origin request refused');
    }

    const issues: ValidationIssue[] = [];
    if (req.malformedBody) issues.push({ path: '', message: 'Malformed JSON / ongeldige JSON' });
    unstorable(req.params, ['path'], issues);
    unstorable(req.query, ['query'], issues);
    if (route.body) unstorable(req.body, [], issues);
    const params = parsePart(route.params, req.params, ['path'], issues);
    // An empty value (`?q=`) is a value like any other: the schemas refuse it (400), as the document says.
    const query = parsePart(route.query, req.query, ['query'], issues);
    let body: unknown;
    if (route.body && !req.malformedBody) {
      if (req.body === undefined) issues.push({ path: '', message: 'A JSON body is required' });
      else body = parsePart(route.body, req.body, [], issues);
    }
    if (issues.length > 0) {
      const invalid = new AppError(
        'validation',
        req.malformedBody ? 'The body is not valid JSON' : 'The request does not match its schema',
        { errors: issues },
      );
      // On family data a refused request is logged too (and a hidden family stays a 404).
      if (caller && route.auditDenied) await refuseInvalidRequest(deps, caller, { action: route.auditDenied, familyId }, invalid);
      throw invalid;
    }

    let answer: AnswerShape = 'full';
    if (route.success.minimal) {
      res.vary('Prefer');
      if (prefersMinimal(req.get('prefer'))) answer = 'minimal';
    }
    const result = await route.handler({
      req,
      res,
      deps,
      params,
      query,
      body,
      principal: auth ? principalOf(auth.session) : null,
      session: auth?.session ?? null,
      ip: req.ip ?? null,
      answer,
    });
    if (res.headersSent) return;
    if (answer === 'minimal') res.setHeader('Preference-Applied', 'return=minimal');
    res.status(route.success.status);
    if (route.success.status === 204 || result === undefined) {
      res.end();
      return;
    }
    checkResponse(route, result, deps, answer);
    sendJson(req, res, result);
  };
}

export function mountRoutes(router: Router, routes: readonly AnyRoute[], deps: ResolvedDeps): void {
  for (const route of routes) router[route.method](expressPath(route.path), handlerOf(route, deps));
}

/** The signed-in user, for handlers of session routes (where the runner guarantees one). */
export function requirePrincipal(p: Principal | null): Principal {
  if (!p) throw new AppError('unauthenticated', 'Sign in first');
  return p;
}
