import { z } from 'zod';
import {
  anonymisedReviewSchema,
  exportQuerySchema,
  familyExportSchema,
  familyIdParams,
  verificationParams,
  verificationSchema,
  verificationStartedSchema,
} from '../../../contract/index.ts';
import { EXPORT_ROLES, exportAnonymisedReview, exportFamily } from '../../cases/exportFamily.ts';
import { startVerification, VERIFY_ALL_ROLES, verificationStatus } from '../../cases/verifyAllFamilies.ts';
import { defineRoute, requirePrincipal } from '../define.ts';

// The auditor's routes beyond a family's history and replay (API.md "Audit"): each parses, calls one
// use case (server/cases) and answers.

/** The auditor's routes: tag, session, the roles allowed, the access-log action of a refusal, its problems. */
const auditorRoute = (roles: typeof EXPORT_ROLES, action: 'export' | 'verify', problems: readonly number[]) =>
  ({ tag: 'Audit', access: 'session', roles, auditDenied: action, problems: [...problems] }) as const;

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/families/{id}/export',
    operationId: 'exportFamily',
    summary: "The family's history with its hash chain, for offline verification",
    description:
      'Auditor only (others 403; a family that does not exist 404); access-logged as `export`. Every event carries ' +
      'every hashed field and both hashes: `npm run verify-export -- FILE` recomputes the chain offline, with no ' +
      'server and no database, and names the first broken seq. With `anonymised=true`: the anonymised learning ' +
      'review (`veilig-pad-review/1`) for case reflection — aliases replaced (`Kind 1`, `Ouder 1`), users by role and ' +
      'number, instants as days since the report, free texts by kind and length; no id, reference or municipality.',
    ...auditorRoute(EXPORT_ROLES, 'export', [400, 401, 403, 404]),
    params: familyIdParams,
    query: exportQuerySchema,
    success: {
      status: 200,
      description: 'The export, or with anonymised=true the anonymised review',
      schema: z.union([familyExportSchema, anonymisedReviewSchema]),
    },
    handler: ({ deps, principal, ip, params, query }) =>
      (query.anonymised === 'true' ? exportAnonymisedReview : exportFamily)(deps, {
        principal: requirePrincipal(principal),
        ip,
        familyId: params.id,
      }),
  }),
  defineRoute({
    method: 'post',
    path: '/verifications',
    operationId: 'startVerification',
    summary: "Start checking every family's hash chain",
    description:
      'Auditor only. Answers 202 at once; the check runs in the server in small batches and never blocks other ' +
      'requests. Each family checked is access-logged as `verify`. Follow it with GET /verifications/{verificationId}.',
    ...auditorRoute(VERIFY_ALL_ROLES, 'verify', [401, 403]),
    success: { status: 202, description: 'The check started', schema: verificationStartedSchema },
    handler: async ({ deps, principal, ip, res }) => {
      const started = await startVerification(deps, { principal: requirePrincipal(principal), ip });
      res.setHeader('Location', `/api/v1/verifications/${started.id}`);
      return started;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/verifications/{verificationId}',
    operationId: 'getVerification',
    summary: 'The progress of a check of every family',
    description:
      'Auditor only. `checked` of `total` families so far; `broken` names each family whose chain is broken with ' +
      'the first broken seq. Jobs live in the server process: after a restart an id is unknown (404).',
    ...auditorRoute(VERIFY_ALL_ROLES, 'verify', [400, 401, 403, 404]),
    params: verificationParams,
    success: { status: 200, description: 'The progress', schema: verificationSchema },
    handler: ({ deps, principal, ip, params }) =>
      verificationStatus(deps, { principal: requirePrincipal(principal), ip }, params.verificationId),
  }),
];
