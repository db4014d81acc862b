import type { Role } from '../../machines/schemas/common.ts';
import type { Verification } from '../../contract/index.ts';
import { writeAccessLog } from '../db/accessLog.ts';
import { eventsOf } from '../db/events.ts';
import { countFamilies, familiesAfter } from '../db/families.ts';
import { verifyEvents } from '../engine/chain.ts';
import { toEventRecord, type EventRecord } from '../engine/records.ts';
import { followJob, jobStore, yieldToEventLoop } from './jobs.ts';
import { entryFor, requireRole, type CaseDeps, type Caller } from './context.ts';

// The check of every family's chain (POST /verifications, GET /verifications/{id}). Jobs live in the
// server process's memory (ARCHITECTURE.md): a restart forgets them, and a new check is cheap to
// start. A job reads the families in small batches by id, one read transaction per batch (which
// also writes each family's `verify` access-log row), and checks each chain after the transaction,
// giving the event loop a turn between families, so other requests are answered while it runs.

export const VERIFY_ALL_ROLES: readonly Role[] = ['auditor'];

/** Families read per transaction. */
const BATCH = 25;
type Job = Verification & { id: string; startedBy: string };

const jobs = jobStore<Job>();

/** Starts checking every family; answers at once with the job's id (202). */
export async function startVerification(deps: CaseDeps, caller: Caller): Promise<{ id: string }> {
  await requireRole(deps, caller, VERIFY_ALL_ROLES, { action: 'verify', familyId: null });
  const job = jobs.add(deps.db, {
    startedBy: caller.principal.id,
    status: 'running',
    checked: 0,
    total: await countFamilies(deps.db.direct),
    broken: [],
  });
  // The start is on record at once; each family checked gets its own row as the job reads it.
  await writeAccessLog(deps.db.direct, entryFor(caller, deps.clock.now(), null, 'verify', 'ok', 'auditor'));
  void run(deps, caller, job);
  return { id: job.id };
}

async function run(deps: CaseDeps, caller: Caller, job: Job): Promise<void> {
  try {
    let after = '';
    for (;;) {
      const at = deps.clock.now();
      const batch = await deps.db.direct.transaction(async (tx) => {
        const families = await familiesAfter(tx, after, BATCH);
        const events = await eventsOf(tx, families.map((f) => f.id));
        if (families.length > 0)
          await writeAccessLog(tx, families.map((f) => entryFor(caller, at, f.id, 'verify', 'ok', 'auditor')));
        return { families, events };
      });
      if (batch.families.length === 0) break;
      const byFamily = new Map<string, EventRecord[]>();
      for (const row of batch.events) {
        const list = byFamily.get(row.familyId) ?? [];
        list.push(toEventRecord(row));
        byFamily.set(row.familyId, list);
      }
      for (const f of batch.families) {
        const result = await verifyEvents(f.id, f.version, byFamily.get(f.id) ?? []);
        if (!result.valid) job.broken.push({ familyId: f.id, reference: f.reference, brokenAt: result.brokenAt ?? 1 });
        job.checked += 1;
        await yieldToEventLoop();
      }
      after = batch.families.at(-1)!.id;
    }
    // Families registered while the job ran are checked too: the total follows what was checked.
    job.total = Math.max(job.total, job.checked);
    job.status = 'done';
  } catch (e) {
    job.status = 'failed';
    job.error = e instanceof Error ? e.message : String(e);
  }
}

/** A job's progress and the broken chains found so far. Any auditor may follow any job. */
export async function verificationStatus(deps: CaseDeps, caller: Caller, id: string): Promise<Verification> {
  // The answer names broken families (reference): a read of family data, on record.
  const job = await followJob(deps, caller, jobs, id, { roles: VERIFY_ALL_ROLES, action: 'verify', role: 'auditor', notFound: 'No such verification' });
  return {
    status: job.status,
    checked: job.checked,
    total: job.total,
    broken: [...job.broken],
    ...(job.error ? { error: job.error } : {}),
  };
}
