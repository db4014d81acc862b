import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';

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

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
