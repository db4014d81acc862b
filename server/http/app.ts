import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppError } from '../errors.ts';
import { logger as defaultLogger } from '../logger.ts';
import { metricsRegistry } from '../metrics.ts';
import type { AppDeps, ResolvedDeps } from './context.ts';
import { mountRoutes, type AnyRoute } from './define.ts';
import { apiHeaders, authenticate, isLoopback, requestLogging, requireJsonBody } from './middleware.ts';
import { API_BASE, buildOpenApi, type OpenApiDocument } from './openapi.ts';
import { toProblem, sendProblem } from './problem.ts';
import { docsRoutes } from './routes/docs.ts';
import { familyRoutes } from './routes/families.ts';
import { oversightRoutes } from './routes/oversight.ts';
import { sessionRoutes } from './routes/session.ts';
import { systemRoutes } from './routes/system.ts';

export type { AppDeps } from './context.ts';

let cachedDocument: OpenApiDocument | undefined;

/** Every API route, in one table: mounted below, documented by buildOpenApi. */
export function apiRoutes(): AnyRoute[] {
  const document = () => (cachedDocument ??= buildOpenApi(apiRoutes()));
  return [...sessionRoutes, ...familyRoutes, ...oversightRoutes, ...systemRoutes, ...docsRoutes(document)];
}

export function openApiDocument(): OpenApiDocument {
  return (cachedDocument ??= buildOpenApi(apiRoutes()));
}

export function createApp(input: AppDeps): express.Application {
  const deps: ResolvedDeps = { ...input, logger: input.logger ?? defaultLogger };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestLogging(deps));
  app.use(apiHeaders);
  app.use(
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
  );

  app.get('/metrics', async (req: Request, res: Response) => {
    if (!isLoopback(req)) throw new AppError('forbidden', 'Metrics are served to the local host only');
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });

  const api = express.Router();
  api.use(requireJsonBody);
  api.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  api.use(authenticate(deps));
  mountRoutes(api, apiRoutes(), deps);
  api.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('not_found', `No route ${req.method} ${req.baseUrl}${req.path}`));
  });
  app.use(API_BASE, api);

  if (deps.clientDir) {
    const root = path.resolve(deps.clientDir);
    app.use(express.static(root, { index: false, maxAge: '1h' }));
    // The single-page app answers every other GET; its router shows its own "not found".
    app.get(/^\/(?!api\/).*/, (req: Request, res: Response, next: NextFunction) => {
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
