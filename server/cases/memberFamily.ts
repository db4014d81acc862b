import { activeAccess, type FamilyContextV2 } from '../../machines/index.ts';
import { accessEntry, writeAccessLog } from '../db/accessLog.ts';
import { findFamily, type FamilyRecordRow } from '../db/families.ts';
import type { SqlRunner } from '../db/index.ts';
import { revokeMemberSessions } from '../db/sessions.ts';
import { userRefs } from '../db/users.ts';
import { toFamilyRecord, type FamilyRecord } from '../engine/records.ts';
import { AppError } from '../errors.ts';
import { actorOf, requireRole, type AccessAction, type CaseDeps, type Caller } from './context.ts';
import type { Language } from './memberWords.ts';

// What every use case of a household member's own view shares (issue 15): the member's one family,
// read in one transaction with the member's access checked on it and the access-log row written.

export const MEMBER_ROLES = ['member'] as const;

export type MemberCaller = Caller & { lang: Language };
export type OwnFamily = { record: FamilyRecord; row: FamilyRecordRow; memberId: string; at: Date };

/** The access ended (revoked, or the case closed): the member's sessions end with it. */
const accessEnded = () => new AppError('unauthenticated', 'Your access to this family’s safety plan has ended');

/** The member's family, the member and the moment, from a caller the route let through as `member`. */
export function memberOf(caller: Caller): { familyId: string; memberId: string } {
  const member = caller.principal.member;
  if (!member) throw new AppError('forbidden', 'Only a family member signed in with an access code may use this route');
  return member;
}

/**
 * Reads the member's own family in one transaction: the member's access must still be active (else
 * their sessions end and the answer is 401, logged `denied`), `read` runs, and the access-log row
 * (`action`, role `member`) is written before the commit.
 */
export async function readOwnFamily<T>(
  deps: CaseDeps,
  caller: Caller,
  action: AccessAction,
  read: (tx: SqlRunner, own: OwnFamily) => Promise<T>,
): Promise<T> {
  await requireRole(deps, caller, MEMBER_ROLES);
  const { familyId, memberId } = memberOf(caller);
  const at = deps.clock.now();
  const result = await deps.db.direct.transaction(async (tx) => {
    const row = await findFamily(tx, familyId);
    const record = row ? toFamilyRecord(row) : null;
    if (!row || !record || record.snapshot.version < 2 || !activeAccess(record.snapshot.context as FamilyContextV2, memberId)) {
      await writeAccessLog(tx, accessEntry(actorOf(caller), at, familyId, action, 'denied', true));
      await revokeMemberSessions(tx, familyId, memberId, at);
      return { open: false as const };
    }
    const value = await read(tx, { record, row, memberId, at });
    await writeAccessLog(tx, accessEntry(actorOf(caller), at, familyId, action, 'ok', true));
    return { open: true as const, value };
  });
  if (!result.open) throw accessEnded();
  return result.value;
}

/** The director's display name, as the member sees who is involved. */
export async function directorName(tx: SqlRunner, record: FamilyRecord): Promise<string | null> {
  const id = record.snapshot.context.caseDirectorId;
  if (!id) return null;
  return (await userRefs(tx, [id])).get(id)?.displayName ?? null;
}
