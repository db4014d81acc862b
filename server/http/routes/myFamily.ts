import {
  familyViewSchema,
  memberAccessIssuedSchema,
  memberAccessParams,
  memberAccessRequestSchema,
  myFamilyAccessLogQuery,
  myFamilyAccessLogSchema,
  myFamilySchema,
  planResponseRequestSchema,
  familyIdParams,
} from '../../../contract/index.ts';
import { grantMemberAccess, revokeMemberAccess } from '../../cases/grantMemberAccess.ts';
import { MEMBER_ROLES } from '../../cases/memberFamily.ts';
import { myFamilyAccessLog } from '../../cases/myFamilyAccessLog.ts';
import { respondToPlan } from '../../cases/respondToPlan.ts';
import { viewMyFamily } from '../../cases/viewMyFamily.ts';
import { defineRoute, requirePrincipal } from '../define.ts';
import { languageOf } from '../problem.ts';

// "Ons veiligheidsplan" (issue 15; API.md "Version 2 events and the family's view"): the director's
// access codes on the family's routes, and the household member's own routes. A member calls nothing
// else (define.ts: 404 on a family's route, 403 elsewhere).

const DIRECTOR_ROLES = ['vt', 'director'] as const;
const family = { tag: 'Family view', access: 'session', roles: DIRECTOR_ROLES, auditDenied: 'write' } as const;
const member = { tag: 'Family view', access: 'session', roles: MEMBER_ROLES, members: true } as const;
// A professional's attempt at a member's route is logged too (as for family data; no family to name).

export const myFamilyRoutes = [
  defineRoute({
    ...family,
    method: 'post',
    path: '/families/{id}/member-access',
    operationId: 'grantMemberAccess',
    summary: 'Give a household member a one-time access code to the family’s own view',
    description:
      "The family's case director only (familyCase@2; a v1 family answers 422 `upgradeRequired`). For an adult, or a child " +
      'of 12 or older (by birth year). Records `member-access.granted` { memberId, expiresAt }; the code is in the answer ' +
      'only, shown once: the server keeps its hash. It opens once, for 14 days; a new code replaces an unused earlier one.',
    params: familyIdParams,
    body: memberAccessRequestSchema,
    success: { status: 201, description: 'The code (shown once) and the family after the event', schema: memberAccessIssuedSchema },
    problems: [400, 401, 403, 404, 409, 413, 415, 422],
    problemNotes: {
      403: "Not this family's case director (`guard`: `familyDirectorActs`), or a role that records nothing.",
      422: 'A child under 12, an unborn member (`accessForAdultOrChildOf12`), an unknown member (`unknownMember`), a closed case, or a v1 family (`upgradeRequired`).',
    },
    handler: async ({ deps, principal, ip, params, body, res }) => {
      const issued = await grantMemberAccess(deps, { principal: requirePrincipal(principal), ip, familyId: params.id, memberId: body.memberId });
      res.setHeader('Cache-Control', 'no-store');
      return issued;
    },
  }),
  defineRoute({
    ...family,
    method: 'delete',
    path: '/families/{id}/member-access/{memberId}',
    operationId: 'revokeMemberAccess',
    summary: 'End a household member’s access to the family’s own view',
    description:
      "The family's case director only. Records `member-access.revoked` { memberId }; the member's unused code and open " +
      'sessions end with it.',
    params: memberAccessParams,
    success: { status: 200, description: 'The family after the event', schema: familyViewSchema },
    problems: [400, 401, 403, 404, 409, 422],
    problemNotes: { 422: 'The member has no access to revoke (`accessToRevoke`).' },
    handler: ({ deps, principal, ip, params }) =>
      revokeMemberAccess(deps, { principal: requirePrincipal(principal), ip, familyId: params.id, memberId: params.memberId }),
  }),
  defineRoute({
    ...member,
    method: 'get',
    path: '/my-family',
    operationId: 'getMyFamily',
    auditDenied: 'read',
    summary: "The family's own view, for a signed-in household member",
    description:
      "In the request's language (Accept-Language: Dutch at B1 level by default, English); `audience: child` for a member " +
      'under 18, with simpler texts. Left out: what the director marked `visibleToFamily: false`, what a `member.shielded` ' +
      "event hides from this member, and everything of Veilig Thuis's assessment beyond the conditions. Logged as `read`. " +
      '401 when the access has ended (revoked, or the case closed).',
    success: { status: 200, description: 'The view', schema: myFamilySchema },
    problems: [401, 403],
    handler: ({ deps, principal, ip, req }) => viewMyFamily(deps, { principal: requirePrincipal(principal), ip, lang: languageOf(req) }),
  }),
  defineRoute({
    ...member,
    method: 'post',
    path: '/my-family/responses',
    operationId: 'respondToPlan',
    auditDenied: 'write',
    summary: 'Agree or disagree with the current safety plan',
    description:
      'Records `plan.responded` { planVersion, response, comment? } (actor role `member`) through the one append path ' +
      '(hash chain, access log). A disagreement is a signal on the director’s list (`planDisagreement`); it never blocks the plan. ' +
      'A later answer replaces the member’s earlier one.',
    body: planResponseRequestSchema,
    success: { status: 201, description: "The member's view after the answer", schema: myFamilySchema },
    problems: [400, 401, 403, 409, 413, 415, 422],
    problemNotes: {
      403: 'The member has no access (any more): `memberHasAccess`.',
      422: 'Not the current plan version (`planVersionCurrent`), no plan yet (`planToAnswer`), or the case is closed.',
    },
    handler: ({ deps, principal, ip, req, body }) =>
      respondToPlan(deps, { principal: requirePrincipal(principal), ip, lang: languageOf(req), response: body }),
  }),
  defineRoute({
    ...member,
    method: 'get',
    path: '/my-family/access-log',
    operationId: 'getMyFamilyAccessLog',
    auditDenied: 'access-log',
    summary: "Who read or changed the family's file",
    description:
      "The family's access log (NEN 7513), newest first, in words (role and name, when, what), without addresses: the rows " +
      'the auditor sees for this family. A member shielded from you is named "a family member". Logged as `access-log`.',
    query: myFamilyAccessLogQuery,
    success: { status: 200, description: 'One page of the log', schema: myFamilyAccessLogSchema },
    problems: [400, 401, 403],
    handler: ({ deps, principal, ip, req, query }) =>
      myFamilyAccessLog(deps, {
        principal: requirePrincipal(principal),
        ip,
        lang: languageOf(req),
        page: query.page,
        pageSize: query.pageSize,
      }),
  }),
];
