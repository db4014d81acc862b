/**
 * The ActivationCode table: one-time codes with which a user sets their own password (the rules of
 * every one-time code: server/db/oneTimeCodes.ts; the caller hashes the code: server/auth/activation.ts).
 */
import type { SqlRunner } from './direct.ts';
import { oneTimeCodes, type OneTimeCodeRow } from './oneTimeCodes.ts';

export type ActivationCodeRow = OneTimeCodeRow & { userId: string };

const codes = oneTimeCodes<ActivationCodeRow>('ActivationCode', ['userId']);

export const insertActivationCode = codes.insert;
export const findActivationCode = codes.find;
export const useActivationCode = codes.use;

/** Every open code of the user stops working (a newer code, a disabled account). */
export function revokeActivationCodes(q: SqlRunner, userId: string, at: Date): Promise<number> {
  return codes.revoke(q, { userId }, at);
}
