/**
 * The MemberAccessCode table (issue 15): one-time codes with which a household member signs in to
 * their family's own view. Only the code's SHA-256 is stored (the caller hashes it:
 * server/auth/tokens.ts); this file reads and writes rows.
 */
import { insertRows, type SqlRunner } from './direct.ts';

export type MemberAccessCodeRow = {
  id: string;
  familyId: string;
  memberId: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
};

export async function insertMemberAccessCode(q: SqlRunner, row: Omit<MemberAccessCodeRow, 'usedAt' | 'revokedAt'>): Promise<void> {
  await insertRows(q, 'MemberAccessCode', [{ ...row, usedAt: null, revokedAt: null }]);
}

/** Every unused code of the member stops opening (a newer code, a revocation, the case closed). */
export async function revokeMemberAccessCodes(q: SqlRunner, familyId: string, memberId: string, at: Date): Promise<number> {
  return q.run(
    'UPDATE "MemberAccessCode" SET "revokedAt" = ? WHERE "familyId" = ? AND "memberId" = ? AND "usedAt" IS NULL AND "revokedAt" IS NULL',
    [at, familyId, memberId],
  );
}

export async function findMemberAccessCode(q: SqlRunner, codeHash: string): Promise<MemberAccessCodeRow | undefined> {
  return q.get<MemberAccessCodeRow>(
    'SELECT "id", "familyId", "memberId", "codeHash", "createdAt", "expiresAt", "usedAt", "revokedAt" FROM "MemberAccessCode" WHERE "codeHash" = ?',
    [codeHash],
  );
}

/** Marks the code used, only if it still opens at `at`: true when this call used it (once, under races too). */
export async function useMemberAccessCode(q: SqlRunner, id: string, at: Date): Promise<boolean> {
  const changed = await q.run(
    'UPDATE "MemberAccessCode" SET "usedAt" = ? WHERE "id" = ? AND "usedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ?',
    [at, id, at],
  );
  return changed === 1;
}
