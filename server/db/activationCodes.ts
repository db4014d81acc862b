/**
 * The ActivationCode table: one-time codes with which a user sets their own password. Only the
 * code's SHA-256 is stored (the caller hashes it: server/auth/activation.ts); this file reads and
 * writes rows.
 */
import { insertRows, type SqlRunner } from './direct.ts';

export type ActivationCodeRow = {
  id: string;
  userId: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
};

export async function insertActivationCode(q: SqlRunner, row: Omit<ActivationCodeRow, 'usedAt' | 'revokedAt'>): Promise<void> {
  await insertRows(q, 'ActivationCode', [{ ...row, usedAt: null, revokedAt: null }]);
}

/** Every open code of the user stops working (a newer code, a disabled account). */
export async function revokeActivationCodes(q: SqlRunner, userId: string, at: Date): Promise<number> {
  return q.run('UPDATE "ActivationCode" SET "revokedAt" = ? WHERE "userId" = ? AND "usedAt" IS NULL AND "revokedAt" IS NULL', [
    at,
    userId,
  ]);
}

export async function findActivationCode(q: SqlRunner, codeHash: string): Promise<ActivationCodeRow | undefined> {
  return q.get<ActivationCodeRow>(
    'SELECT "id", "userId", "codeHash", "createdAt", "expiresAt", "usedAt", "revokedAt" FROM "ActivationCode" WHERE "codeHash" = ?',
    [codeHash],
  );
}

/** Marks the code used, only if it still is open: true when this call used it (once, under races too). */
export async function useActivationCode(q: SqlRunner, id: string, at: Date): Promise<boolean> {
  const changed = await q.run(
    'UPDATE "ActivationCode" SET "usedAt" = ? WHERE "id" = ? AND "usedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ?',
    [at, id, at],
  );
  return changed === 1;
}
