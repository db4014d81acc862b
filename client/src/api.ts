// The client's only way to the server: same-origin fetch to /api/v1, cookie session, CSRF header on
// unsafe requests, problem+json errors turned into ApiError. Every answer is parsed with the contract's
// own zod schema (contract/): the types the screens use are what the server promised, never a cast, and
// an answer that does not match fails loudly here instead of somewhere deep in a screen.
import type { z } from 'zod';
import { currentLanguage } from './i18n/index.ts';

export type LocalizedText = { nl: string; en: string };

export type FieldIssue = { path: string; message: string };

export type Problem = {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldIssue[];
  currentVersion?: number;
  /** On a 409 of POST /families: the family that already has this reference in the caller's region. */
  existingFamilyId?: string;
  guard?: string | null;
  state?: string;
  explanation?: LocalizedText;
  retryAfter?: number;
  errorId?: string;
};

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

// Kept in memory only: a reload asks /me again, which hands it out anew when the server supports it.
let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Called when a request comes back 401 (session ended elsewhere or expired). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function parseProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      const body = JSON.parse(text) as Partial<Problem>;
      if (body && typeof body === 'object') return { ...body, status: res.status };
    } catch {
      // Not JSON (a proxy error page, say): fall through to a bare problem.
    }
  }
  return { status: res.status, title: res.statusText };
}

export async function request<T>(
  method: Method,
  path: string,
  options: { body?: unknown; query?: Query; signal?: AbortSignal } = {},
): Promise<T> {
  // The server answers problems in the UI's language (API.md: Accept-Language, nl by default).
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': currentLanguage(),
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      mode: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, title: 'network' });
  }
  if (!res.ok) {
    const problem = await parseProblem(res);
    if (res.status === 401 && path !== '/session' && onUnauthenticated) onUnauthenticated();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The title of the ApiError thrown when an answer does not match the contract. */
export const UNEXPECTED_RESPONSE = 'unexpectedResponse';

function parsedBy<S extends z.ZodType>(schema: S, path: string) {
  return (body: unknown): z.infer<S> => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    // Paths only, never values: an answer holds family data.
    console.error(
      `answer of ${path.replace(/\/[A-Za-z0-9_-]{12,}/g, '/…')} does not match the contract:`,
      result.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; '),
    );
    throw new ApiError({ status: 0, title: UNEXPECTED_RESPONSE });
  };
}

export const api = {
  get: <S extends z.ZodType>(schema: S, path: string, query?: Query, signal?: AbortSignal) =>
    request<unknown>('GET', path, { query, signal }).then(parsedBy(schema, path)),
  post: <S extends z.ZodType>(schema: S, path: string, body: unknown) =>
    request<unknown>('POST', path, { body }).then(parsedBy(schema, path)),
  patch: <S extends z.ZodType>(schema: S, path: string, body: unknown) =>
    request<unknown>('PATCH', path, { body }).then(parsedBy(schema, path)),
  put: <S extends z.ZodType>(schema: S, path: string, body: unknown) =>
    request<unknown>('PUT', path, { body }).then(parsedBy(schema, path)),
  /** A write whose answer is 204 No Content. */
  send: (path: string, body: unknown) => request<void>('POST', path, { body }),
  del: (path: string) => request<void>('DELETE', path),
  /** A DELETE that answers with a body (the family after the change). */
  delete: <S extends z.ZodType>(schema: S, path: string) =>
    request<unknown>('DELETE', path).then(parsedBy(schema, path)),
};
