import { randomUUID } from 'node:crypto';
import type { FamilyView, MemberAccessIssued } from '../../contract/index.ts';
import { MEMBER_CODE_VALID_MS, memberAccessCodeHash, newMemberAccessCode } from '../auth/tokens.ts';
import { insertMemberAccessCode, revokeMemberAccessCodes } from '../db/memberAccessCodes.ts';
import { revokeMemberSessions } from '../db/sessions.ts';
import type { CaseDeps, Caller } from './context.ts';
import { recordEvent } from './recordEvent.ts';

// Issue 15: the family's director gives a household member a one-time access code to the family's own
// view, or ends that access. Both are events in the history (member-access.granted / .revoked, decided
// by the machine: the family's director, an adult or a child of 12 or older); the code itself is never
// in the history, only its hash in MemberAccessCode, written in the event's own transaction.

/**
 * POST /families/{id}/member-access: a new code for the member (shown once, valid 14 days on the
 * engine's clock, one use); an earlier unused code of the member stops opening.
 */
export async function grantMemberAccess(
  deps: CaseDeps,
  input: Caller & { familyId: string; memberId: string },
): Promise<MemberAccessIssued> {
  const code = newMemberAccessCode();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + MEMBER_CODE_VALID_MS);
  const family = await recordEvent(deps, {
    ...input,
    type: 'member-access.granted',
    payload: { memberId: input.memberId, expiresAt: expiresAt.toISOString() },
    reason: null,
    expectedVersion: null,
    alsoWrite: async (tx) => {
      await revokeMemberAccessCodes(tx, input.familyId, input.memberId, now);
      await insertMemberAccessCode(tx, {
        id: randomUUID(),
        familyId: input.familyId,
        memberId: input.memberId,
        codeHash: memberAccessCodeHash(code),
        createdAt: now,
        expiresAt,
      });
    },
  });
  return { code, expiresAt: expiresAt.toISOString(), memberId: input.memberId, family };
}

/** DELETE /families/{id}/member-access/{memberId}: the member's access ends, their unused code and open sessions with it. */
export async function revokeMemberAccess(
  deps: CaseDeps,
  input: Caller & { familyId: string; memberId: string },
): Promise<FamilyView> {
  const now = deps.clock.now();
  return recordEvent(deps, {
    ...input,
    type: 'member-access.revoked',
    payload: { memberId: input.memberId },
    reason: null,
    expectedVersion: null,
    alsoWrite: async (tx) => {
      await revokeMemberAccessCodes(tx, input.familyId, input.memberId, now);
      await revokeMemberSessions(tx, input.familyId, input.memberId, now);
    },
  });
}
