import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Problem } from '../../contract/index.ts';
import { AppError, errorStatus, isAppError, type ErrorCode, type ValidationIssue } from '../errors.ts';
import type { Logger } from '../logger.ts';

// Every failure leaves as application/problem+json (RFC 9457). Only AppError and the body parser's
// own errors say anything specific; everything else is a 500 whose errorId points into the log.

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const titles: Record<ErrorCode, string> = {
  validation: 'The request is not valid',
  unauthenticated: 'Not signed in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'The family has changed',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Not allowed in the current state',
  too_many_requests: 'Too many attempts',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

const codeByStatus = new Map<number, ErrorCode>(
  (Object.entries(errorStatus) as [ErrorCode, number][]).map(([code, status]) => [status, code]),
);

export function problemType(code: ErrorCode): string {
  return `urn:veilig-pad:problem:${code.replaceAll('_', '-')}`;
}

/** Zod issues as the contract's `errors: [{ path, message }]`, paths dotted from the input's root. */
export function issuesFrom(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: readonly (string | number)[] = [],
): ValidationIssue[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.'),
    message: i.message,
  }));
}

type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

/** Maps what Express's JSON parser throws to our codes: these are client faults, never 5xx. */
function fromBodyParser(err: BodyParserError): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('validation', 'The body is not valid JSON', {
        errors: [{ path: '', message: 'Malformed JSON / ongeldige JSON' }],
      });
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The body exceeds 64 KiB');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Send JSON as UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'entity.verify.failed':
      return new AppError('validation', 'The body could not be read', {
        errors: [{ path: '', message: err.type }],
      });
    case undefined:
    default:
      break;
  }
  // The router's own 400 for a path whose percent-encoding is broken (`/families/%E0%A4%A`): it
  // sets status but not expose, so without this it would leave as a 500.
  if (err instanceof URIError && err.status === 400) {
    return new AppError('validation', 'The path is not valid', {
      errors: [{ path: 'path', message: 'Malformed percent-encoding / ongeldige codering in het pad' }],
    });
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
    const code = codeByStatus.get(err.status) ?? 'validation';
    return new AppError(code, err.message);
  }
  return null;
}

export type ProblemResponse = { status: number; body: Problem; headers: Record<string, string> };

export function toProblem(err: unknown, req: Request, logger: Logger): ProblemResponse {
  const app = isAppError(err) ? err : err instanceof Error ? fromBodyParser(err) : null;
  const instance = req.originalUrl.split('?')[0] ?? '/';
  if (!app || app.code === 'internal' || app.status >= 500) {
    const errorId = req.requestId ?? randomUUID();
    // The full error (with stack) goes to the log only; the client gets an id to quote.
    logger.error({ err, errorId, method: req.method, path: instance }, 'request failed');
    const code: ErrorCode = app?.code === 'unavailable' ? 'unavailable' : 'internal';
    return {
      status: errorStatus[code],
      headers: {},
      body: {
        type: problemType(code),
        title: titles[code],
        status: errorStatus[code],
        detail: 'Something went wrong on our side. Quote the errorId when reporting it.',
        instance,
        errorId,
      },
    };
  }
  const body: Problem = {
    type: problemType(app.code),
    title: titles[app.code],
    status: app.status,
    detail: app.message,
    instance,
  };
  const d = app.details;
  if (d.errors) body.errors = d.errors;
  if (d.currentVersion !== undefined) body.currentVersion = d.currentVersion;
  if (d.guard !== undefined) body.guard = d.guard;
  if (d.state !== undefined) body.state = d.state;
  if (d.explanation) body.explanation = d.explanation;
  const headers: Record<string, string> = {};
  if (d.retryAfterSeconds !== undefined) {
    body.retryAfter = d.retryAfterSeconds;
    headers['Retry-After'] = String(d.retryAfterSeconds);
  }
  if (app.code === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer realm="veilig-pad"';
  if (app.code === 'validation' && !body.errors) body.errors = [];
  return { status: app.status, body, headers };
}

export function sendProblem(res: Response, problem: ProblemResponse): void {
  res.status(problem.status);
  for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.send(JSON.stringify(problem.body));
}
