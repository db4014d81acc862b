import type { MyFamilyAccessLog } from '../../contract/index.ts';
import { shieldedFrom, type FamilyContextV2 } from '../../machines/index.ts';
import { memberPrincipalId } from '../auth/policy.ts';
import { accessLogPage } from '../db/accessLog.ts';
import type { CaseDeps, Caller } from './context.ts';
import { readOwnFamily } from './memberFamily.ts';
import { actionText, nobodyWords, roleText, type Language } from './memberWords.ts';

/**
 * GET /my-family/access-log: who read or changed the family's file and when (NEN 7513 gives a client
 * the right to know), in words, without addresses: the auditor's rows for this family (the same query,
 * newest first), each with role and name. A member appears by alias, except to a member from whom a
 * `member.shielded` event hides them ("a family member"). Reading it is itself logged (`access-log`).
 */
export async function myFamilyAccessLog(
  deps: CaseDeps,
  input: Caller & { lang: Language; page: number; pageSize: number },
): Promise<MyFamilyAccessLog> {
  const { lang } = input;
  return readOwnFamily(deps, input, 'access-log', async (tx, own) => {
    const c = own.record.snapshot.context as FamilyContextV2;
    const memberByPrincipal = new Map(c.members.map((m) => [memberPrincipalId(own.record.id, m.id), m]));
    const page = await accessLogPage(tx, { familyId: own.record.id, page: input.page, pageSize: input.pageSize });
    return page.items.map((r) => {
      const member = r.userId ? memberByPrincipal.get(r.userId) : undefined;
      const hidden = member !== undefined && member.id !== own.memberId && shieldedFrom(c, member.id).includes(own.memberId);
      const name = hidden
        ? nobodyWords.shieldedMember[lang]
        : (member?.alias ?? r.displayName ?? r.username ?? nobodyWords.name[lang]);
      return {
        at: r.at,
        role: r.role,
        roleText: roleText(r.role, lang),
        displayName: name,
        action: r.action,
        actionText: actionText(r.action, r.result, lang),
        result: r.result,
      };
    });
  });
}
