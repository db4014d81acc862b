/**
 * The floor under a transition's server CPU (issue 17): a server that answers the transition request
 * with a fixed, real answer and does nothing else, in one of two forms (FLOOR_MODE):
 *
 * - `node`: Node's own http server. It reads the body, parses it as JSON and writes the answer with
 *   the same content type; what any server on Node pays per request.
 * - `express`: Express 5 with the app's own front middleware (request log line and metrics, API
 *   headers, compression, helmet: `frontMiddleware`) and the API router's body parsing
 *   (`apiBodyParsing`), the route `POST /api/v1/families/:id/events`, answering with `res.json` as
 *   the real route does. Everything the real server does besides this is ours: the session lookup,
 *   zod, the machine, the engine, SQL, the view.
 *
 * The answer (FLOOR_ANSWER, JSON) is a real transition's answer, captured by bench/suites/floor.ts.
 * Started like bench/server.ts (scripts/start.mjs builds it into JavaScript), the same IPC messages.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { apiBodyParsing, frontMiddleware } from '../server/http/app.ts';
import { createLogger } from '../server/logger.ts';

const mode = process.env.FLOOR_MODE;
const answer = JSON.parse(process.env.FLOOR_ANSWER ?? 'null') as unknown;
if (answer === null) throw new Error('bench/floorServer.ts: FLOOR_ANSWER is required');

function nodeServer(): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      const body = JSON.stringify(answer);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
}

function expressServer(): http.Server {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  // FLOOR_WITHOUT (comma-separated) leaves parts out, to see what each costs.
  const without = new Set((process.env.FLOOR_WITHOUT ?? '').split(',').filter(Boolean));
  const front = frontMiddleware({ logger });
  const names = ['log', 'headers', 'compression', 'helmet'];
  front.forEach((m, i) => !without.has(names[i]!) && app.use(m));
  const api = express.Router({ strict: true });
  if (!without.has('body')) for (const m of apiBodyParsing()) api.use(m);
  else api.use(express.json());
  api.post('/families/:id/events', (req: Request, res: Response) => {
    req.routeTemplate = '/families/{id}/events';
    res.json(answer);
  });
  app.use('/api/v1', api);
  return http.createServer(app);
}

if (mode !== 'node' && mode !== 'express') throw new Error(`bench/floorServer.ts: FLOOR_MODE must be node or express, not ${mode}`);
const server = mode === 'node' ? nodeServer() : expressServer();
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ kind: 'listening', port });
});
process.on('message', (msg: { kind?: string }) => {
  if (msg?.kind !== 'stop') return;
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
