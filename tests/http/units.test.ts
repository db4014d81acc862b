import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { eventRequestSchema, familyListQuerySchema } from '../../contract/index.ts';
import { originVerdict } from '../../server/auth/csrf.ts';
import { visibleAs, visibleFamiliesWhere, type Principal } from '../../server/auth/policy.ts';
import { safeEqual } from '../../server/auth/tokens.ts';
import { AppError } from '../../server/errors.ts';
import { median, percentile } from '../../server/cases/kpiFigures.ts';
import { toProblem } from '../../server/http/problem.ts';
import { createLogger } from '../../server/logger.ts';

// Pure rules close to where they live: problem mapping, figures' statistics, visibility, CSRF origin.

const req = (headers: Record<string, string> = {}, protocol = 'http') =>
  ({
    originalUrl: '/api/v1/x?secret=1',
    method: 'GET',
    requestId: '00000000-0000-4000-8000-000000000000',
    protocol,
    get: (name: string) => headers[name.toLowerCase()],
  }) as unknown as Request;

describe('problem details', () => {
  const logs: string[] = [];
  const logger = createLogger({ level: 'info' }, { write: (l: string) => void logs.push(l) });

  it('maps AppError members onto the problem', () => {
    const p = toProblem(
      new AppError('unprocessable', 'Refused', { guard: 'g', state: 's', explanation: { nl: 'n', en: 'e' } }),
      req(),
      logger,
    );
    expect(p.status).toBe(422);
    expect(p.body).toMatchObject({ status: 422, guard: 'g', state: 's', explanation: { nl: 'n', en: 'e' }, instance: '/api/v1/x' });
    const conflict = toProblem(new AppError('conflict', 'Moved', { currentVersion: 7 }), req(), logger);
    expect(conflict.body.currentVersion).toBe(7);
    const throttled = toProblem(new AppError('too_many_requests', 'Wait', { retryAfterSeconds: 30 }), req(), logger);
    expect(throttled.headers['Retry-After']).toBe('30');
  });

  it('hides unknown errors behind an errorId that the log carries', () => {
    const p = toProblem(new Error('SELECT secret FROM x'), req(), logger);
    expect(p.status).toBe(500);
    expect(JSON.stringify(p.body)).not.toContain('SELECT');
    expect(logs.some((l) => l.includes(p.body.errorId!) && l.includes('SELECT secret'))).toBe(true);
  });

  it('treats body-parser failures as client errors', () => {
    const parse = Object.assign(new Error('Unexpected end'), { type: 'entity.parse.failed', status: 400, expose: true });
    expect(toProblem(parse, req(), logger).status).toBe(400);
    const large = Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, expose: true });
    expect(toProblem(large, req(), logger).status).toBe(413);
    const charset = Object.assign(new Error('charset'), { type: 'charset.unsupported', status: 415, expose: true });
    expect(toProblem(charset, req(), logger).status).toBe(415);
  });
});

describe('statistics', () => {
  it('computes medians and nearest-rank percentiles', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([], 90)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
  });
});

describe('visibility', () => {
  const user = (roles: Principal['roles'], region: string | null = null): Principal => ({
    id: 'u1',
    username: 'u',
    displayName: 'U',
    roles,
    region,
  });
  const family = { region: 'zuid-limburg', directorId: 'd1', pendingDirectorId: 'd2' };

  it('lets VT see its region, directors what they direct or are offered, auditors everything, admins nothing', () => {
    expect(visibleAs(user(['vt'], 'zuid-limburg'), family)).toEqual(['vt']);
    expect(visibleAs(user(['vt'], 'elders'), family)).toEqual([]);
    expect(visibleAs({ ...user(['director']), id: 'd1' }, family)).toEqual(['director']);
    expect(visibleAs({ ...user(['director']), id: 'd2' }, family)).toEqual(['director']);
    expect(visibleAs(user(['director']), family)).toEqual([]);
    expect(visibleAs(user(['auditor']), family)).toEqual(['auditor']);
    expect(visibleAs(user(['admin']), family)).toEqual([]);
    expect(visibleFamiliesWhere(user(['admin']))).toBeNull();
    expect(visibleFamiliesWhere(user(['auditor']))).toEqual({});
  });
});

describe('CSRF origin verdict', () => {
  it('recognises same-origin and cross-origin signals', () => {
    expect(originVerdict(req({ origin: 'http://app.test', host: 'app.test' }))).toBe('same');
    expect(originVerdict(req({ origin: 'https://evil.test', host: 'app.test' }))).toBe('cross');
    expect(originVerdict(req({ origin: 'http://app.test', host: 'app.test' }, 'https'))).toBe('cross');
    expect(originVerdict(req({ origin: 'null', host: 'app.test' }))).toBe('cross');
    expect(originVerdict(req({ 'sec-fetch-site': 'same-origin' }))).toBe('same');
    expect(originVerdict(req({ 'sec-fetch-site': 'same-site' }))).toBe('cross');
    expect(originVerdict(req({}))).toBe('unknown');
  });

  it('compares secrets exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('request schemas', () => {
  it('requires a motivation for decision events and checks the payload by type', () => {
    const missing = eventRequestSchema.safeParse({ type: 'case.closed', expectedVersion: 3, payload: { reasonCode: 'movedAway' } });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path.join('.'))).toContain('reason');
    const bad = eventRequestSchema.safeParse({ type: 'escalation.raised', expectedVersion: 1, payload: { to: 'police' }, reason: 'r' });
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toContain('payload.to');
    expect(eventRequestSchema.safeParse({ type: 'assessment.started', expectedVersion: 1, payload: {} }).success).toBe(true);
  });

  it('coerces and bounds list query parameters', () => {
    expect(familyListQuerySchema.parse({ page: '2', pageSize: '50' })).toMatchObject({ page: 2, pageSize: 50 });
    expect(familyListQuerySchema.safeParse({ pageSize: '101' }).success).toBe(false);
    expect(familyListQuerySchema.safeParse({ extra: 'x' }).success).toBe(false);
  });
});
