import pino, { type Logger, type LoggerOptions } from 'pino';
import { bootLogLevel } from './config.ts';
import { stdoutDestination } from './logSink.ts';

export type { Logger } from 'pino';

// Personal data and secrets never reach a log line: credentials, session tokens and request bodies
// (event payloads describe families) are censored wherever they appear.
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'token',
  '*.token',
  'csrfToken',
  '*.csrfToken',
  'body',
  '*.body',
  'payload',
  '*.payload',
];

export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const base: LoggerOptions = {
    level: bootLogLevel(),
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'veilig-pad' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  };
  return pino(base, destination ?? stdoutDestination());
}

/**
 * The process-wide logger: stdout (server/logSink.ts). When stdout is a pipe, through a sink that can
 * never block the process (a reader that stops reading must not stop the server or its shutdown);
 * otherwise by synchronous writes.
 */
export const logger: Logger = createLogger({});
