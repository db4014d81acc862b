import { CURRENT_VERSION } from '../../machines/index.ts';
import type { StartUpgrade, Upgrade } from '../../contract/index.ts';
import { writeAdminLog } from '../db/adminLog.ts';
import { countOlderFamilies, existingFamilyIds, familiesByReferences, findFamilyForAppend, olderFamiliesAfter } from '../db/families.ts';
import { dispatch } from '../engine/store.ts';
import { AppError, isAppError } from '../errors.ts';
import { ADMIN_ROLES } from './admin.ts';
import { actorOf, requireRole, type CaseDeps, type Caller } from './context.ts';
import { followJob, jobStore, yieldToEventLoop } from './jobs.ts';

// The bulk upgrade (POST /upgrades, GET /upgrades/{id}; API.md "Version 2 events"): an administrator
// moves families to the newest machine version, each with a real `case.upgraded` event carrying the
// given reason. Built like the check of every family (verifyAllFamilies.ts): a job in the server's
// memory, one transaction per family (the engine's append: the event, its access-log row `write`
// and the admin-log row `family.upgraded`), a turn for the event loop between families.

type Words = { nl: string; en: string };
type Job = Omit<Upgrade, 'failed'> & { failed: { reference: string; message: Words }[]; error?: string };

const jobs = jobStore<Job>();

/** Family ids read per query when the upgrade covers all families. */
const PAGE = 100;

const unknownFamilies = (path: 'familyIds' | 'references', names: string[], ambiguous: string[] = []) =>
  new AppError('validation', 'Unknown families in the list', {
    errors: [
      ...names.map((n) => ({ path, message: `Unknown family / onbekend gezin: ${n}` })),
      ...ambiguous.map((n) => ({ path, message: `Reference in several regions / kenmerk in meer regio's: ${n}` })),
    ],
    explanation: {
      nl: 'De lijst noemt gezinnen die niet (eenduidig) bestaan; er is niets gewijzigd.',
      en: 'The list names families that do not exist (or not uniquely); nothing was changed.',
    },
  });

/** The ids of the listed families (`familyIds` or `references`); null for all. Unknown ones: 400. */
async function listedIds(deps: CaseDeps, input: StartUpgrade): Promise<string[] | null> {
  if (input.familyIds) {
    const ids = [...new Set(input.familyIds)];
    const known = new Set(await existingFamilyIds(deps.db.direct, ids));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw unknownFamilies('familyIds', unknown);
    return ids;
  }
  if (input.references) {
    const refs = [...new Set(input.references)];
    const found = await familiesByReferences(deps.db.direct, refs);
    const held = (r: string) => found.filter((f) => f.reference === r).length;
    const unknown = refs.filter((r) => held(r) === 0);
    const ambiguous = refs.filter((r) => held(r) > 1);
    if (unknown.length + ambiguous.length > 0) throw unknownFamilies('references', unknown, ambiguous);
    return found.map((f) => f.id);
  }
  return null;
}

/** Starts the upgrade; answers at once with the job's id (202). Unknown ids are refused first (400). */
export async function startUpgrade(deps: CaseDeps, caller: Caller, input: StartUpgrade): Promise<{ id: string }> {
  await requireRole(deps, caller, ADMIN_ROLES, { action: 'write', familyId: null });
  const ids = await listedIds(deps, input);
  const job = jobs.add(deps.db, {
    status: 'running',
    toVersion: CURRENT_VERSION,
    done: 0,
    total: ids ? ids.length : await countOlderFamilies(deps.db.direct, CURRENT_VERSION),
    upgraded: 0,
    skipped: { alreadyCurrent: 0, closed: 0 },
    failed: [],
  });
  void run(deps, caller, job, ids, input.reason);
  return { id: job.id };
}

async function* familyIds(deps: CaseDeps, ids: string[] | null): AsyncGenerator<string> {
  if (ids) return yield* ids;
  let after = '';
  for (;;) {
    const page = await olderFamiliesAfter(deps.db.direct, CURRENT_VERSION, after, PAGE);
    if (page.length === 0) return;
    yield* page;
    after = page.at(-1)!;
  }
}

async function run(deps: CaseDeps, caller: Caller, job: Job, ids: string[] | null, reason: string): Promise<void> {
  try {
    for await (const id of familyIds(deps, ids)) {
      await upgradeOne(deps, caller, job, id, reason);
      job.done += 1;
      await yieldToEventLoop();
    }
    // Families moved back to an older version cannot happen; families registered meanwhile start new.
    job.total = Math.max(job.total, job.done);
    job.status = 'done';
  } catch (e) {
    job.status = 'failed';
    job.error = e instanceof Error ? e.message : String(e);
  }
}

/** One family in its own transaction; a concurrent change to it (409) is read again once. */
async function upgradeOne(deps: CaseDeps, caller: Caller, job: Job, id: string, reason: string, retry = true): Promise<void> {
  const row = await findFamilyForAppend(deps.db.direct, id);
  if (!row) return; // deleted meanwhile: nothing to move
  if (row.machineVersion >= CURRENT_VERSION) return void (job.skipped.alreadyCurrent += 1);
  if (row.closedAt !== null) return void (job.skipped.closed += 1);
  const me = caller.principal;
  try {
    await dispatch(
      deps.db,
      {
        familyId: id,
        type: 'case.upgraded',
        payload: { toVersion: CURRENT_VERSION },
        reason,
        expectedVersion: row.version,
        actor: { id: me.id, role: 'admin' },
        family: row,
      },
      { clock: deps.clock, audit: actorOf(caller, 'admin') },
      async (tx) => {
        await writeAdminLog(tx, {
          at: deps.clock.now(),
          actorId: me.id,
          actorUsername: me.username,
          action: 'family.upgraded',
          targetType: 'family',
          targetId: id,
          targetName: row.reference,
          before: { machineVersion: row.machineVersion },
          after: { machineVersion: CURRENT_VERSION },
          reason,
        });
      },
    );
    job.upgraded += 1;
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'conflict' && retry) return upgradeOne(deps, caller, job, id, reason, false);
    job.failed.push({ reference: row.reference, message: e.details.explanation ?? { nl: e.message, en: e.message } });
  }
}

/** A job's progress and result, failures in `lang`. Any administrator may follow any upgrade. */
export async function upgradeStatus(deps: CaseDeps, caller: Caller, id: string, lang: 'nl' | 'en'): Promise<Upgrade> {
  // The answer names families (references of those that failed): a read of family data, on record.
  const job = await followJob(deps, caller, jobs, id, { roles: ADMIN_ROLES, action: 'list', role: 'admin', notFound: 'No such upgrade' });
  return {
    status: job.status,
    toVersion: job.toVersion,
    done: job.done,
    total: job.total,
    upgraded: job.upgraded,
    skipped: { ...job.skipped },
    failed: job.failed.map((f) => ({ reference: f.reference, message: f.message[lang] })),
  };
}
