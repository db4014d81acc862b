import { clockRequestSchema, clockSchema, directorsSchema, healthSchema } from '../../../contract/index.ts';
import { ManualClock } from '../../clock.ts';
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
    summary: 'Move the manual clock; due timers fire before the answer (CLOCK=manual only)',
    tag: 'Operations',
    access: 'origin',
    body: clockRequestSchema,
    success: { status: 200, description: 'Now, after the move', schema: clockSchema },
    problems: [400, 403, 404, 413, 415],
    handler: async ({ deps, body }) => {
      const clock = manualClock(deps);
      const now = clock.now().getTime();
      const target =
        'set' in body
          ? new Date(body.set)
          : new Date(now + ('advanceDays' in body ? body.advanceDays * DAY_MS : body.advanceMinutes * 60_000));
      // Going forward fires each due timer at its own due time; going back only sets the clock.
      if (deps.scheduler && target.getTime() >= now) await deps.scheduler.advanceTo(clock, target);
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
