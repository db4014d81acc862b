import type { Clock, ManualClock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { CaseDeps } from '../cases/context.ts';
import type { ActiveSession } from '../auth/sessions.ts';
import type { Logger } from '../logger.ts';

/** What the scheduler offers the HTTP layer: POST /clock fires due timers before it answers. */
export type SchedulerLike = {
  runDue(): Promise<unknown>;
  /** Moves a manual clock forward one due time at a time, firing each timer at its own due time. */
  advanceTo(clock: ManualClock, target: Date): Promise<unknown>;
};

/** The subset of the configuration the HTTP layer reads. */
export type HttpConfig = Pick<Config, 'trustProxy' | 'nodeEnv'> & Partial<Pick<Config, 'clock'>>;

export type AppDeps = {
  db: Db;
  clock: Clock;
  /**
   * The clock sessions and the sign-in throttle run on (default: the system clock). Never the
   * manual clock: moving a demo's time six months must sign no one out (API.md, issue 11 item 7).
   */
  wallClock?: Clock;
  config: HttpConfig;
  scheduler?: SchedulerLike;
  logger?: Logger;
  /**
   * The machine versions in force (default: the machine's own registry). Tests start a server whose
   * current version is a test-only one to see how recorded decisions fare under other rules.
   */
  rules?: CaseDeps['rules'];
  /** Built web client to serve for every non-API GET (single-page app); absent: API only. */
  clientDir?: string;
};

export type ResolvedDeps = AppDeps & { logger: Logger };

export type AuthState = { session: ActiveSession; via: 'cookie' | 'bearer' };

declare module 'express-serve-static-core' {
  interface Request {
    /** Random per request; in logs, in X-Request-Id and in every 500 problem's errorId. */
    requestId: string;
    /** Set when a valid session token came with the request. */
    auth?: AuthState;
    /** A token was presented but opens no session (expired, revoked, unknown). */
    authFailed?: boolean;
    /** The route template that matched, for metrics labels (never the raw path). */
    routeTemplate?: string;
    /** The body was sent as JSON but is not JSON: the route refuses it (400) once the caller is known. */
    malformedBody?: boolean;
    /** A read whose answer may be compressed (`compressedAnswers`); the route runner compresses it. */
    mayCompress?: boolean;
  }
}
