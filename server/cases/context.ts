/**
 * What every use case is given. A use case is one thing a user does (`recordEvent`, `viewFamily`…):
 * it takes `{ principal, ip, … }`, owns the visibility and role check, its one transaction, the
 * access-log row and the view it returns. Routes parse, call one use case and answer; nothing here
 * knows HTTP.
 */
import type { Role, SessionRole } from '../../machines/schemas/common.ts';
import { visibleAs, visibleFamiliesWhere, type FamilyAccessFacts as FamilyScopeFacts, type Principal } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import type { MachineRules } from '../engine/currentRules.ts';
import { accessEntry, writeAccessLog, writeAccessLogDurably, type AccessAction, type AccessActor, type AccessEntry, type AccessResult } from '../db/accessLog.ts';
import { findFamily, type FamilyRecordRow, type FamilyScope } from '../db/families.ts';
import type { Db, DirectSql, SqlRunner } from '../db/index.ts';
import { AppError } from '../errors.ts';

export type { AccessAction };

/**
 * `rules`: the machine versions in force (default: the machine's own registry and CURRENT_VERSION);
 * a test server may run under another registry, e.g. with a test-only version 2.
 */
export type CaseDeps = { db: Db; clock: Clock; rules?: MachineRules };

/** Who asks, and from which address (as the HTTP layer resolved it; null for local callers). */
export type Caller = { principal: Principal; ip: string | null };

/** Roles that read family data: every family use case but the write ones starts from these. */
export const FAMILY_READERS: readonly Role[] = ['vt', 'director', 'auditor'];

/** The log's view of the caller, acting in `role` (all their roles when the family gives none). */
export function actorOf(caller: Caller, role?: Role): AccessActor {
  return {
    userId: caller.principal.id,
    username: caller.principal.username,
    role: role ?? caller.principal.roles.join(','),
    ip: caller.ip,
  };
}

export function entryFor(
  caller: Caller,
  at: Date,
  familyId: string | null,
  action: AccessAction,
  result: AccessResult,
  role?: Role,
): AccessEntry {
  // A family seen as its director or as VT of its region (visibleAs) is one the user is assigned
  // to; for anyone else the access log decides it.
  const assigned = result === 'ok' && familyId !== null && (role === 'director' || role === 'vt') ? true : undefined;
  return accessEntry(actorOf(caller, role), at, familyId, action, result, assigned);
}

/** Logs an attempt refused before any family data was read (by role, by region, an unseen family). */
export async function logRefused(
  deps: CaseDeps,
  caller: Caller,
  familyId: string | null,
  action: AccessAction,
  result: 'denied' | 'not_found',
): Promise<void> {
  await writeAccessLog(deps.db.direct, entryFor(caller, deps.clock.now(), familyId, action, result));
}

/**
 * The role check of a use case: a caller holding none of `roles` is refused (403), and on family
 * data the attempt is logged. The HTTP layer runs it before parsing the request (route `roles`), so
 * that a refusal by role says nothing about the request's shape.
 */
export async function requireRole(
  deps: CaseDeps,
  caller: Caller,
  roles: readonly SessionRole[],
  audit?: { action: AccessAction; familyId: string | null },
): Promise<void> {
  if (caller.principal.roles.some((r) => roles.includes(r))) return;
  if (audit) await logRefused(deps, caller, audit.familyId, audit.action, 'denied');
  throw new AppError('forbidden', 'Your role may not use this route');
}

/**
 * An attempt on family data without a session (none sent, or one that has ended) is logged too,
 * `denied` with no user: the log holds every attempt, also those the HTTP layer answers 401.
 */
export async function logUnauthenticated(
  deps: CaseDeps,
  ip: string | null,
  audit: { action: AccessAction; familyId: string | null },
): Promise<void> {
  await writeAccessLog(deps.db.direct, {
    at: deps.clock.now(),
    userId: null,
    username: null,
    role: null,
    familyId: audit.familyId,
    action: audit.action,
    result: 'denied',
    ip,
  });
}

export const noSuchFamily = () => new AppError('not_found', 'No such family');

/**
 * A request on family data that does not match its schema (400) is an attempt too (issue 11 item 6),
 * logged `refused`. On one family's route the family decides the answer first: one the caller may
 * not see, or that does not exist, is `not_found` (404, logged), exactly as a valid request would be
 * answered, so a malformed request learns no more about a hidden family than a valid one.
 * Always throws: the 404, or `invalid`.
 */
export async function refuseInvalidRequest(
  deps: CaseDeps,
  caller: Caller,
  audit: { action: AccessAction; familyId: string | null },
  invalid: AppError,
): Promise<never> {
  let role: Role | undefined;
  if (audit.familyId !== null) {
    const row = await findFamily(deps.db.direct, audit.familyId);
    const roles = row ? visibleAs(caller.principal, row) : [];
    if (roles.length === 0) {
      await logRefused(deps, caller, audit.familyId, audit.action, 'not_found');
      throw noSuchFamily();
    }
    role = roles[0];
  }
  await writeAccessLog(deps.db.direct, entryFor(caller, deps.clock.now(), audit.familyId, audit.action, 'refused', role));
  throw invalid;
}

/** The families the caller may see, as data for the persistence module; null when none. */
export function scopeOf(caller: Caller): FamilyScope | null {
  return visibleFamiliesWhere(caller.principal);
}

export type FamilyAccess = { row: FamilyRecordRow; roles: Role[]; at: Date };

/**
 * Reads one family for a caller in one transaction: `load` reads the row, visibility is checked,
 * `read` runs, and the access-log row is written, all before the commit. A family that does not
 * exist or is not theirs to see is `not_found` (logged). The value `read` returns is the answer.
 */
export async function readFamily<T>(
  deps: CaseDeps,
  caller: Caller,
  familyId: string,
  action: AccessAction,
  load: (tx: SqlRunner, id: string) => Promise<FamilyRecordRow | undefined>,
  read: (tx: SqlRunner, access: FamilyAccess) => Promise<T>,
): Promise<T> {
  await requireRole(deps, caller, FAMILY_READERS, { action, familyId });
  const at = deps.clock.now();
  const result = await deps.db.direct.transaction(async (tx) => {
    const row = await load(tx, familyId);
    const roles = row ? visibleAs(caller.principal, row) : [];
    if (!row || roles.length === 0) {
      await writeAccessLog(tx, entryFor(caller, at, familyId, action, 'not_found'));
      return { found: false as const };
    }
    const value = await read(tx, { row, roles, at });
    await writeAccessLog(tx, entryFor(caller, at, familyId, action, 'ok', roles[0]));
    return { found: true as const, value };
  });
  if (!result.found) throw noSuchFamily();
  return result.value;
}

/**
 * The access-log rows of a list: one per family listed (under the role the caller sees it as), or
 * one without family when the page is empty, so that every look at a list is on record. Written on
 * their own and durable when this returns (one statement on PostgreSQL, the group commit on SQLite),
 * after the list was read and its answer built, and before it is given: rows that cannot be written
 * answer 5xx and show nothing (like the family page, viewFamily.ts).
 */
export async function logListed(
  db: DirectSql,
  caller: Caller,
  at: Date,
  action: AccessAction,
  families: readonly (FamilyScopeFacts & { id: string })[],
): Promise<void> {
  await writeAccessLogDurably(
    db,
    families.length > 0
      ? families.map((f) => entryFor(caller, at, f.id, action, 'ok', visibleAs(caller.principal, f)[0]))
      : [entryFor(caller, at, null, action, 'ok')],
  );
}
