/**
 * One-time code tables: a code that opens something once, before it expires, unless revoked. Only
 * the code's SHA-256 is stored (the caller hashes it: server/auth/tokens.ts). Two tables share these
 * rules and differ only in whom a code belongs to: ActivationCode (a user sets their own password)
 * and MemberAccessCode (a household member signs in to their family's own view, issue 15).
 */
import { insertRows, type SqlRunner, type SqlValue } from './direct.ts';

/** The columns every code table has besides its owner's. */
export type OneTimeCodeRow = {
  id: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
};

type Owner<Row> = Exclude<keyof Row, keyof OneTimeCodeRow> & string;

export type OneTimeCodes<Row extends OneTimeCodeRow> = {
  insert(q: SqlRunner, row: Omit<Row, 'usedAt' | 'revokedAt'>): Promise<void>;
  /** Every unused code of the owner stops opening (a newer code, a revocation); the number revoked. */
  revoke(q: SqlRunner, owner: Pick<Row, Owner<Row>>, at: Date): Promise<number>;
  find(q: SqlRunner, codeHash: string): Promise<Row | undefined>;
  /** Marks the code used, only if it still opens at `at`: true when this call used it (once, under races too). */
  use(q: SqlRunner, id: string, at: Date): Promise<boolean>;
};

export function oneTimeCodes<Row extends OneTimeCodeRow>(table: 'ActivationCode' | 'MemberAccessCode', owner: readonly Owner<Row>[]): OneTimeCodes<Row> {
  const columns = ['id', ...owner, 'codeHash', 'createdAt', 'expiresAt', 'usedAt', 'revokedAt'].map((c) => `"${c}"`).join(', ');
  const ownerIs = owner.map((c) => `"${c}" = ?`).join(' AND ');
  return {
    async insert(q, row) {
      await insertRows(q, table, [{ ...row, usedAt: null, revokedAt: null }]);
    },
    revoke: (q, who, at) =>
      q.run(`UPDATE "${table}" SET "revokedAt" = ? WHERE ${ownerIs} AND "usedAt" IS NULL AND "revokedAt" IS NULL`, [
        at,
        ...owner.map((c) => who[c] as SqlValue),
      ]),
    find: (q, codeHash) => q.get<Row>(`SELECT ${columns} FROM "${table}" WHERE "codeHash" = ?`, [codeHash]),
    async use(q, id, at) {
      const changed = await q.run(
        `UPDATE "${table}" SET "usedAt" = ? WHERE "id" = ? AND "usedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ?`,
        [at, id, at],
      );
      return changed === 1;
    },
  };
}
