import { randomUUID } from 'node:crypto';
import type { Role } from '../../machines/index.ts';
import { writeAccessLog, type AccessAction } from '../db/accessLog.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { entryFor, logRefused, requireRole, type CaseDeps, type Caller } from './context.ts';

// Background jobs of the server process (the check of every family, the bulk upgrade): kept in
// memory per database (ARCHITECTURE.md), so a restart forgets them; a job runs family by family and
// gives the event loop a turn in between, so other requests are answered while it runs.

/** Jobs kept per database and kind (the oldest finished ones are forgotten first). */
const KEPT = 20;

export type JobStatus = 'running' | 'done' | 'failed';

/** A store of one kind of job: `add` registers a new one (and forgets old finished ones), `get` finds one. */
export function jobStore<J extends { status: JobStatus }>() {
  const byDb = new WeakMap<Db, Map<string, J>>();
  const jobsOf = (db: Db) => {
    let jobs = byDb.get(db);
    if (!jobs) byDb.set(db, (jobs = new Map()));
    return jobs;
  };
  return {
    add(db: Db, job: Omit<J, 'id'>): J & { id: string } {
      const jobs = jobsOf(db);
      const added = { ...job, id: randomUUID() } as unknown as J & { id: string };
      jobs.set(added.id, added);
      for (const [id, old] of jobs) if (jobs.size > KEPT && old.status !== 'running') jobs.delete(id);
      return added;
    },
    get: (db: Db, id: string): J | undefined => jobsOf(db).get(id),
  };
}

export type JobStore<J extends { status: JobStatus }> = ReturnType<typeof jobStore<J>>;

/**
 * The job `id` for a caller who follows it: the role check, an unknown id (404) and the answer —
 * which names families — each access-logged under `how.action`.
 */
export async function followJob<J extends { status: JobStatus }>(
  deps: CaseDeps,
  caller: Caller,
  store: JobStore<J>,
  id: string,
  how: { roles: readonly Role[]; action: AccessAction; role: Role; notFound: string },
): Promise<J> {
  await requireRole(deps, caller, how.roles, { action: how.action, familyId: null });
  const job = store.get(deps.db, id);
  if (!job) {
    await logRefused(deps, caller, null, how.action, 'not_found');
    throw new AppError('not_found', how.notFound);
  }
  await writeAccessLog(deps.db.direct, entryFor(caller, deps.clock.now(), null, how.action, 'ok', how.role));
  return job;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
