/**
 * The server under measurement, in its own process: the real Express app (createApp) on the real
 * database, the system clock, production settings (no response self-validation, no demo data).
 * Differences from server/main.ts: no durable-timer scheduler interval (its firing would add writes
 * the figures do not ask for) and the static web client only when CLIENT_DIR names a build (the
 * Lighthouse suite). Started by bench/lib/server.ts, which
 * reads the port from the IPC message and the peak RSS from /proc.
 */
import type { AddressInfo } from 'node:net';
import { systemClock } from '../server/clock.ts';
import { openDatabase } from '../server/db/index.ts';
import { createApp } from '../server/http/app.ts';
import { createLogger } from '../server/logger.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('bench/server.ts: DATABASE_URL is required');

const db = await openDatabase(url, { migrate: false });
// Production logs one line per request at info; stdout goes to /dev/null, the cost of formatting stays.
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
const clientDir = process.env.CLIENT_DIR || undefined;
const app = createApp({ db, clock: systemClock, clientDir, config: { trustProxy: false, nodeEnv: 'production', clock: 'system' }, logger });
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ kind: 'listening', port });
});
server.keepAliveTimeout = 60_000;

process.on('message', (msg: { kind?: string }) => {
  if (msg?.kind !== 'stop') return;
  server.closeAllConnections();
  server.close(() => {
    void db.close().finally(() => process.exit(0));
  });
});
process.on('disconnect', () => process.exit(0));
