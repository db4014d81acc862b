/**
 * `npm start`: configuration, database (migrated), demo data on an empty non-production database,
 * the web client (built on first start), the HTTP server and the durable-timer scheduler.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { accountsWithDemoPassword } from './auth/demoPasswords.ts';
import { ManualClock, systemClock, type Clock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Db } from './db/index.ts';
import { Scheduler } from './engine/index.ts';
import { backfillProjections } from './engine/projections.ts';
import { createApp } from './http/app.ts';
import { answerClientError } from './http/problem.ts';
import { logger } from './logger.ts';
import { projectRoot } from './paths.ts';
import { seedDemo } from './seed/demo.ts';

const root = projectRoot;
const clientDist = path.join(root, 'dist', 'client');
const SHUTDOWN_GRACE_MS = 10_000;

/** pino writes asynchronously: flush before exiting, or the last lines (why it stopped) are lost. */
function exit(code: number): void {
  const fallback = setTimeout(() => process.exit(code), 1_000);
  fallback.unref();
  logger.flush(() => process.exit(code));
}

/** Builds the client once when no build exists; the API runs without it when that is impossible. */
async function ensureClient(): Promise<string | undefined> {
  if (existsSync(path.join(clientDist, 'index.html'))) return clientDist;
  if (!existsSync(path.join(root, 'client', 'index.html'))) {
    logger.warn('no web client in client/: serving the API only');
    return undefined;
  }
  logger.info('building the web client (first start)');
  try {
    const { build } = await import('vite');
    await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  } catch (err) {
    logger.error({ err }, 'building the web client failed: serving the API only');
    return undefined;
  }
  return existsSync(path.join(clientDist, 'index.html')) ? clientDist : undefined;
}

/**
 * Requests Node's HTTP parser refuses (a head over 16 KiB, bytes that are not HTTP) never reach
 * Express; without this they would get a bare status line instead of a problem like every other 4xx.
 */
function clockFor(config: Config): Clock {
  if (config.clock !== 'manual') return systemClock;
  return new ManualClock(config.clockStart ?? new Date());
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.fatal({ issues: err.issues }, 'invalid configuration');
      exit(1);
      return;
    }
    throw err;
  }
  logger.level = config.logLevel;

  const db: Db = await openDatabase(config.databaseUrl);
  logger.info({ database: db.label, provider: db.provider }, 'database ready');
  if (config.production) {
    // A database seeded in development keeps its demo accounts: in production they would be open doors.
    const open = await accountsWithDemoPassword(db);
    if (open.length > 0) {
      logger.fatal(
        {
          accounts: open,
          fix: open.map((u) => `npm run user -- password --username ${u}   (or: npm run user -- disable --username ${u})`),
        },
        `refusing to start with NODE_ENV=production: ${open.length} account(s) still have the demo password. ` +
          'Give each a new password or disable it, then start again.',
      );
      await db.close();
      exit(1);
      return;
    }
  }
  // Families written before the KPI facts and list columns existed (or by an older projection) get
  // them now, before anyone can ask for figures.
  await backfillProjections(db, { log: (message, data) => logger.info(data, message) });
  const clock = clockFor(config);
  if (config.clock === 'manual') logger.warn({ now: clock.now().toISOString() }, 'CLOCK=manual: time moves only through POST /api/v1/clock');

  if (config.demoData) {
    const seeded = await seedDemo(db, {
      clock,
      production: config.production,
      log: (message) => logger.info(message),
    });
    if (seeded.seeded) logger.info({ families: seeded.families, events: seeded.events }, 'demo data seeded (accounts vt, regisseur, regisseur2, auditor, beheerder; password demo)');
  }

  const clientDir = await ensureClient();
  const scheduler = new Scheduler(db, clock, {
    // Family ids are random and say nothing about a person; payloads are never logged.
    onError: (err, timer) => logger.warn({ err, timerKind: timer.kind, familyId: timer.familyId }, 'timer not fired'),
  });
  const app = createApp({ db, clock, config, scheduler, logger, ...(clientDir ? { clientDir } : {}) });

  const server: Server = await new Promise((resolve, reject) => {
    const s = config.host ? app.listen(config.port, config.host) : app.listen(config.port);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  server.on('clientError', answerClientError);
  const address = server.address();
  logger.info({ port: typeof address === 'object' && address ? address.port : config.port }, 'listening');

  // With a manual clock the clock endpoint fires due timers; an interval would fire nothing new.
  if (config.clock !== 'manual') {
    scheduler.start(config.schedulerIntervalMs);
    scheduler.runDue().catch((err: unknown) => logger.error({ err }, 'first scheduler run failed'));
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever hangs (a connection, the scheduler, the database, the log sink), the process ends
    // within its grace period and a little: a supervisor's SIGTERM must be answered.
    const deadline = setTimeout(() => {
      logger.warn('shutdown did not complete in time: exiting');
      exit(1);
    }, SHUTDOWN_GRACE_MS + 1_000);
    deadline.unref();
    const force = setTimeout(() => {
      logger.warn('open connections did not finish in time');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      void (async () => {
        // The scheduler finishes the timer it is firing: its event and fired mark commit together.
        await scheduler.stop();
        await db.close();
        logger.info('stopped');
        exit(0);
      })().catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        exit(1);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

start().catch((err: unknown) => {
  logger.fatal({ err }, 'start failed');
  exit(1);
});
