import { clockRequestSchema, clockSchema, directorsSchema, healthSchema } from '../../../contract/index.ts';
import { instantInRange } from '../../../machines/schemas/common.ts';
import { ManualClock } from '../../clock.ts';
import { logClockMove } from '../../cases/logClockMove.ts';
import { checkHealth } from '../../cases/checkHealth.ts';
import { DIRECTORS_ROLES, listDirectors } from '../../cases/listDirectors.ts';
import { AppError } from '../../errors.ts';
import type { ResolvedDeps } from '../context.ts';
import { defineRoute } from '../define.ts';

const DAY_MS = 86_400_000;

function manualClock(deps: ResolvedDeps): ManualClock {
  // Without CLOCK=manual the route does not exist (the contract's 404), whatever clock was injected.
  if (deps.config.clock === 'system' || !(deps.clock instanceof ManualClock)) {
    throw new AppError('not_found', 'No such route');
  }
  return deps.clock;
}

export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness and database reachability',
    tag: 'Operations',
    access: 'public',
    success: { status: 200, description: 'Up', schema: healthSchema },
    problems: [503],
    handler: ({ deps }) => checkHealth(deps),
  }),
  defineRoute({
    method: 'get',
    path: '/clock',
    operationId: 'getClock',
    summary: 'The manual clock (CLOCK=manual only; 404 otherwise)',
    tag: 'Operations',
    access: 'public',
    success: { status: 200, description: 'Now', schema: clockSchema },
    problems: [404],
    handler: ({ deps }) => ({ now: manualClock(deps).now().toISOString() }),
  }),
  defineRoute({
    method: 'post',
    path: '/clock',
    operationId: 'moveClock',
    summary: 'Move the manual clock forward; due timers fire before the answer (CLOCK=manual only)',
    description:
      'Signed-in users only; forward only (`set` to an earlier instant is a 422, beyond 2100-01-01 a 400); ' +
      'every move is an access-log row (action `clock`). Sessions run on the wall clock, so a move signs no one out.',
    tag: 'Operations',
    access: 'session',
    // A refused move (a household member's session) is on record too.
    auditDenied: 'clock',
    body: clockRequestSchema,
    success: { status: 200, description: 'Now, after the move', schema: clockSchema },
    problems: [400, 401, 403, 404, 413, 415, 422],
    handler: async ({ deps, body, principal, ip }) => {
      const clock = manualClock(deps);
      const now = clock.now().getTime();
      const target =
        'set' in body
          ? new Date(body.set)
          : new Date(now + ('advanceDays' in body ? body.advanceDays * DAY_MS : body.advanceMinutes * 60_000));
      // Backwards would record later events before earlier ones (seq 2 a year before seq 1).
      if (target.getTime() < now)
        throw new AppError('unprocessable', 'The clock only moves forward', { guard: 'clockForwardOnly' });
      if (!instantInRange(target)) {
        const path = 'set' in body ? 'set' : 'advanceDays' in body ? 'advanceDays' : 'advanceMinutes';
        throw new AppError('validation', 'The clock cannot move past 2100-01-01', {
          errors: [{ path, message: 'Must stay before 2100-01-01 / moet voor 2100-01-01 blijven' }],
        });
      }
      // Moving the clock changes every family's deadlines: who did it is logged (no family of its own).
      await logClockMove(deps, { principal: principal!, ip });
      // Each due timer fires at its own due time on the way.
      if (deps.scheduler) await deps.scheduler.advanceTo(clock, target);
      else clock.set(target);
      return { now: clock.now().toISOString() };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/directors',
    operationId: 'directors',
    summary: 'Active users a handover or follow-up decision can name as case director',
    description: 'Extension. Users with the director role, and VT workers (who direct while VT keeps a case).',
    tag: 'Session',
    access: 'session',
    roles: DIRECTORS_ROLES,
    success: { status: 200, description: 'Possible directors', schema: directorsSchema },
    problems: [401, 403],
    handler: ({ deps }) => listDirectors(deps),
  }),
];
