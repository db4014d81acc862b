/**
 * The one application error. A closed set of codes, one table from code to HTTP status; the
 * HTTP layer turns it into application/problem+json. Anything else thrown is an internal error.
 */
export const errorStatus = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ValidationIssue = { path: string; message: string };

/** Extra problem members per code, as the HTTP contract names them. */
export type ErrorDetails = {
  errors?: ValidationIssue[];
  currentVersion?: number;
  /** 409 on registering a report: the family that already holds the reference in this region. */
  existingFamilyId?: string;
  guard?: string | null;
  state?: string;
  explanation?: { nl: string; en: string };
  retryAfterSeconds?: number;
  errorId?: string;
  /** 405: the methods the path does answer (the Allow header). */
  allow?: readonly string[];
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
