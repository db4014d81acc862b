import path from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { AppError } from '../errors.ts';
import { logger as defaultLogger } from '../logger.ts';
import { metricsRegistry } from '../metrics.ts';
import type { AppDeps, ResolvedDeps } from './context.ts';
import { expressPath, mountRoutes, type AnyRoute } from './define.ts';
import {
  apiHeaders,
  authenticate,
  compressedAnswers,
  isLoopback,
  methodNotAllowed,
  requestLogging,
  requireJsonBody,
} from './middleware.ts';
import { API_BASE, buildOpenApi, type OpenApiDocument } from './openapi.ts';
import { toProblem, sendProblem } from './problem.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes } from './routes/audit.ts';
import { docsRoutes } from './routes/docs.ts';
import { familyRoutes } from './routes/families.ts';
import { myFamilyRoutes } from './routes/myFamily.ts';
import { oversightRoutes } from './routes/oversight.ts';
import { sessionRoutes } from './routes/session.ts';
import { systemRoutes } from './routes/system.ts';

export type { AppDeps } from './context.ts';

let cachedDocument: OpenApiDocument | undefined;

/** Every API route, in one table: mounted below, documented by buildOpenApi. */
export function apiRoutes(): AnyRoute[] {
  const document = () => (cachedDocument ??= buildOpenApi(apiRoutes()));
  return [...sessionRoutes, ...familyRoutes, ...myFamilyRoutes, ...auditRoutes, ...oversightRoutes, ...adminRoutes, ...systemRoutes, ...docsRoutes(document)];
}

export function openApiDocument(): OpenApiDocument {
  return (cachedDocument ??= buildOpenApi(apiRoutes()));
}

/**
 * What every answer passes through before any route: the request line in the log and metrics, the
 * API headers, compression and the security headers. Exported for the bench's floor server
 * (bench/floorServer.ts), which measures this stack's cost on its own.
 */
export function frontMiddleware(deps: Pick<ResolvedDeps, 'logger'>): RequestHandler[] {
  return [
    requestLogging(deps),
    apiHeaders,
    compressedAnswers(compression()),
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      hsts: { maxAge: 31_536_000, includeSubDomains: true },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  ];
}

/**
 * The API router's body handling: a body that is not JSON is refused (415), a JSON body is parsed
 * (64 KiB at most). A body that does not parse is refused by the route (400, define.ts) after the
 * caller is known, so that on family data it is access-logged like any other refused request
 * (issue 11 item 6).
 */
export function apiBodyParsing(): RequestHandler[] {
  const jsonBody = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });
  return [
    requireJsonBody,
    (req: Request, res: Response, next: NextFunction) =>
      jsonBody(req, res, (err?: unknown) => {
        if ((err as { type?: unknown } | undefined)?.type === 'entity.parse.failed') {
          req.malformedBody = true;
          next();
        } else next(err);
      }),
  ];
}

export function createApp(input: AppDeps): express.Application {
  const deps: ResolvedDeps = { ...input, logger: input.logger ?? defaultLogger };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');
  // No ETag over every answer's body (a SHA-1 of each JSON answer): API answers are `no-store`, so no
  // browser ever asks again with If-None-Match; static files keep theirs (express.static's own).
  app.set('etag', false);

  for (const m of frontMiddleware(deps)) app.use(m);

  app.get('/metrics', async (req: Request, res: Response) => {
    if (!isLoopback(req)) throw new AppError('forbidden', 'Metrics are served to the local host only');
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });

  // This is not a public site: no search engine should index it.
  app.get('/robots.txt', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('text/plain; charset=utf-8').send('User-agent: *\nDisallow: /\n');
  });

  // Strict: `/families/` is not `/families` (API Design Rules: no trailing slash; it answers 404).
  const api = express.Router({ strict: true });
  for (const m of apiBodyParsing()) api.use(m);
  api.use(authenticate(deps));
  const routes = apiRoutes();
  mountRoutes(api, routes, deps);
  // A known path with a method it does not answer: 405 with Allow (after every route, so a match wins).
  const methodsByPath = new Map<string, Set<string>>();
  for (const r of routes) methodsByPath.set(r.path, (methodsByPath.get(r.path) ?? new Set()).add(r.method.toUpperCase()));
  for (const [p, methods] of methodsByPath) api.all(expressPath(p), methodNotAllowed([...methods]));
  api.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('not_found', `No route ${req.method} ${req.baseUrl}${req.path}`));
  });
  app.use(API_BASE, api);

  if (deps.clientDir) {
    const root = path.resolve(deps.clientDir);
    // Vite names every file under assets/ by its content hash: a new build has new names, so a
    // browser may keep these for a year without asking again.
    app.use('/assets', express.static(path.join(root, 'assets'), { index: false, immutable: true, maxAge: '1y' }));
    // Anything else (index.html above all) is revalidated on every use.
    app.use(
      express.static(root, {
        index: false,
        cacheControl: false,
        setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
      }),
    );
    // The single-page app answers every other page GET; its router shows its own "not found". A
    // missing file (a name with an extension, or anything under /assets/) is a real 404, not the app.
    app.get(/^\/(?!api\/|assets\/)(?:[^.]*\/)?[^/.]*$/, (req: Request, res: Response, next: NextFunction) => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(root, 'index.html'), (err) => (err ? next(err) : undefined));
    });
  }

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('not_found', `No route ${req.method} ${req.path}`));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      deps.logger.error({ err, reqId: req.requestId }, 'error after response started');
      res.end();
      return;
    }
    sendProblem(res, toProblem(err, req, deps.logger));
  });
  return app;
}
