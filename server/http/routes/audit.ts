import { familyExportSchema, familyIdParams } from '../../../contract/index.ts';
import { EXPORT_ROLES, exportFamily } from '../../cases/exportFamily.ts';
import { defineRoute, requirePrincipal } from '../define.ts';

// The auditor's routes beyond a family's history and replay (API.md "Audit"): each parses, calls one
// use case (server/cases) and answers.

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/families/{id}/export',
    operationId: 'exportFamily',
    summary: "The family's history with its hash chain, for offline verification",
    description:
      'Auditor only (others 403; a family that does not exist 404); access-logged as `export`. Every event carries ' +
      'every hashed field and both hashes: `npm run verify-export -- FILE` recomputes the chain offline, with no ' +
      'server and no database, and names the first broken seq.',
    tag: 'Audit',
    access: 'session',
    roles: EXPORT_ROLES,
    auditDenied: 'export',
    params: familyIdParams,
    success: { status: 200, description: 'The export', schema: familyExportSchema },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params }) =>
      exportFamily(deps, { principal: requirePrincipal(principal), ip, familyId: params.id }),
  }),
];
