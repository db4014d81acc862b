/**
 * The MemberAccessCode table (issue 15): one-time codes with which a household member signs in to
 * their family's own view (the rules of every one-time code: server/db/oneTimeCodes.ts; the caller
 * hashes the code: server/auth/tokens.ts).
 */
import type { SqlRunner } from './direct.ts';
import { oneTimeCodes, type OneTimeCodeRow } from './oneTimeCodes.ts';

export type MemberAccessCodeRow = OneTimeCodeRow & { familyId: string; memberId: string };

const codes = oneTimeCodes<MemberAccessCodeRow>('MemberAccessCode', ['familyId', 'memberId']);

export const insertMemberAccessCode = codes.insert;
export const findMemberAccessCode = codes.find;
export const useMemberAccessCode = codes.use;

/** Every unused code of the member stops opening (a newer code, a revocation, the case closed). */
export function revokeMemberAccessCodes(q: SqlRunner, familyId: string, memberId: string, at: Date): Promise<number> {
  return codes.revoke(q, { familyId, memberId }, at);
}
