import { activeAccess, type FamilyContextV2 } from '../../machines/index.ts';
import { isDemoMemberCode } from '../auth/demoPasswords.ts';
import { endSession, startSession } from '../auth/sessions.ts';
import { openLoginAttempt } from '../auth/throttle.ts';
import { memberAccessCodeHash } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import { findFamily } from '../db/families.ts';
import { findMemberAccessCode, useMemberAccessCode } from '../db/memberAccessCodes.ts';
import { toFamilyRecord } from '../engine/records.ts';
import { AppError } from '../errors.ts';
import { loginFailures } from '../metrics.ts';
import { memberPrincipalId } from '../auth/policy.ts';
import type { CaseDeps } from './context.ts';
import type { SignedIn } from './signIn.ts';

/** One answer for an unknown, used, expired or revoked code, as for a wrong password. */
const wrongCode = () => new AppError('unauthenticated', 'Unknown, used or expired access code');

/**
 * A household member signs in with the one-time code their family's director gave them (POST /session
 * { accessCode }, issue 15): a session of role `member` bound to that family and member. Throttled as
 * password sign-ins are (the address's own count stands in for the account's: a code names no account),
 * counted before the code is looked up. The code opens once, until its expiry on the engine's clock (the
 * clock its event was recorded on), while the member's access lasts (not revoked, the case not closed).
 */
export async function signInWithCode(
  deps: CaseDeps & { engineClock: Clock; production: boolean },
  input: { accessCode: string; ip: string; replacesSessionId: string | null },
): Promise<SignedIn> {
  const { db, clock } = deps;
  const attempt = await openLoginAttempt(db, `#access-code@${input.ip}`, input.ip, clock.now());
  const now = deps.engineClock.now();
  // The demo's code opens nothing in production, as the demo passwords do not (server/main.ts).
  const code = deps.production && isDemoMemberCode(input.accessCode) ? undefined : await findMemberAccessCode(db.direct, memberAccessCodeHash(input.accessCode));
  const row = code ? await findFamily(db.direct, code.familyId) : undefined;
  const snapshot = row ? toFamilyRecord(row).snapshot : null;
  const context = snapshot && snapshot.version >= 2 ? (snapshot.context as FamilyContextV2) : null;
  const member = code && context?.members.find((m) => m.id === code.memberId);
  const open = code && !code.usedAt && !code.revokedAt && code.expiresAt.getTime() > now.getTime();
  if (!code || !member || !open || !activeAccess(context!, code.memberId)) {
    loginFailures.inc({ reason: 'access-code' });
    await attempt.failed();
    throw wrongCode();
  }
  // Of two sign-ins with one code at once, one wins.
  if (!(await useMemberAccessCode(db.direct, code.id, now))) {
    await attempt.failed();
    throw wrongCode();
  }
  await attempt.succeeded();
  if (input.replacesSessionId) await endSession(db, input.replacesSessionId, clock);
  const started = await startSession(db, { familyId: code.familyId, memberId: code.memberId, alias: member.alias }, clock);
  return {
    token: started.token,
    csrfToken: started.csrfToken,
    expiresAt: started.expiresAt,
    user: {
      id: memberPrincipalId(code.familyId, code.memberId),
      username: member.alias,
      displayName: member.alias,
      roles: ['member'],
      region: null,
      familyId: code.familyId,
      memberId: code.memberId,
    },
  };
}
