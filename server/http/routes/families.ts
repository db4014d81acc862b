import {
  createFamilySchema,
  eventRequestSchema,
  familyIdParams,
  familyListQuerySchema,
  familyListSchema,
  familyReceiptSchema,
  familyViewSchema,
  historySchema,
  replayQuerySchema,
  replaySchema,
  verifySchema,
} from '../../../contract/index.ts';
import { FAMILY_READERS, type AccessAction } from '../../cases/context.ts';
import { familyHistory } from '../../cases/familyHistory.ts';
import { listFamilies } from '../../cases/listFamilies.ts';
import { recordEvent } from '../../cases/recordEvent.ts';
import { REGISTER_ROLES, registerReport } from '../../cases/registerReport.ts';
import { replayFamily } from '../../cases/replayFamily.ts';
import { verifyFamily } from '../../cases/verifyFamily.ts';
import { viewFamily } from '../../cases/viewFamily.ts';
import { defineRoute, requirePrincipal } from '../define.ts';
import { languageOf } from '../problem.ts';

// Each route parses (define.ts, from the schemas below), calls one use case (server/cases) and answers.

const familyDenied = (action: AccessAction) => ({ roles: FAMILY_READERS, auditDenied: action }) as const;

export const familyRoutes = [
  defineRoute({
    method: 'post',
    path: '/families',
    operationId: 'createFamily',
    summary: 'Register a report and create the case',
    description: 'Veilig Thuis only. The history starts with `report.received` at seq 1.',
    tag: 'Families',
    access: 'session',
    roles: REGISTER_ROLES,
    auditDenied: 'create',
    body: createFamilySchema,
    success: {
      status: 201,
      description: 'The new family',
      schema: familyViewSchema,
      minimal: { schema: familyReceiptSchema, description: 'with `Prefer: return=minimal`, only its version and state (FamilyReceipt)' },
    },
    problems: [400, 401, 403, 409, 413, 415, 422],
    problemNotes: {
      409:
        'A family with this reference already exists in your region (references are unique per region): ' +
        '`existingFamilyId` names it; record the new report there as `report.received`.',
      422: 'The report lies after the moment it is recorded (`guard`: `reportNotInFuture`).',
    },
    handler: async ({ deps, principal, ip, body, res, answer }) => {
      const { id, view } = await registerReport(deps, { principal: requirePrincipal(principal), ip, report: body, answer });
      res.setHeader('Location', `/api/v1/families/${id}`);
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/families',
    operationId: 'listFamilies',
    summary: 'Families the caller may see',
    description:
      '`phase` matches a phase and its sub-states (`directSafety` matches `directSafety.planning`).',
    tag: 'Families',
    access: 'session',
    ...familyDenied('list'),
    query: familyListQuerySchema,
    success: { status: 200, description: 'One page of families', schema: familyListSchema },
    problems: [400, 401, 403],
    handler: ({ deps, principal, ip, query }) =>
      listFamilies(deps, {
        principal: requirePrincipal(principal),
        ip,
        filter: {
          ...(query.phase ? { phase: query.phase } : {}),
          ...(query.municipality ? { municipality: query.municipality } : {}),
          ...(query.q ? { q: query.q } : {}),
          ...(query.director === 'me' ? { mine: true } : {}),
          ...(query.overdue === undefined ? {} : { overdue: query.overdue === 'true' }),
          ...(query.handover ? { handover: query.handover } : {}),
          ...(query.escalated ? { escalated: true } : {}),
        },
        sort: query.sort,
        page: query.page,
        pageSize: query.pageSize,
      }),
  }),
  defineRoute({
    method: 'get',
    path: '/families/{id}',
    operationId: 'getFamily',
    summary: 'One family (FamilyView)',
    tag: 'Families',
    access: 'session',
    ...familyDenied('read'),
    params: familyIdParams,
    success: { status: 200, description: 'The family', schema: familyViewSchema },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params }) =>
      viewFamily(deps, { principal: requirePrincipal(principal), ip, familyId: params.id }),
  }),
  defineRoute({
    method: 'post',
    path: '/families/{id}/events',
    operationId: 'sendEvent',
    summary: 'Send an event to the family',
    description:
      '400 payload or motivation invalid; 403 role or assignment may not send it; 409 expectedVersion is stale ' +
      '(`currentVersion`); 422 not allowed now or a guard refused (`guard`, `state`, `explanation`).',
    tag: 'Families',
    access: 'session',
    ...familyDenied('write'),
    params: familyIdParams,
    body: eventRequestSchema,
    success: {
      status: 200,
      description: 'The family after the event (version + 1)',
      schema: familyViewSchema,
      minimal: {
        schema: familyReceiptSchema,
        description: 'with `Prefer: return=minimal`, only its new version and state (FamilyReceipt)',
      },
    },
    problems: [400, 401, 403, 404, 409, 413, 415, 422],
    handler: ({ deps, principal, ip, params, body, answer }) =>
      recordEvent(deps, {
        principal: requirePrincipal(principal),
        ip,
        familyId: params.id,
        type: body.type,
        payload: body.payload,
        reason: body.reason ?? null,
        expectedVersion: body.expectedVersion,
        answer,
      }),
  }),
  defineRoute({
    method: 'get',
    path: '/families/{id}/history',
    operationId: 'getHistory',
    summary: 'Every event of the family, with its hash chain',
    description:
      '`people` names every user the events mention (actors, named users, directors in payloads) with their ' +
      'display name and roles, so that a client shows names, never ids.',
    tag: 'Audit',
    access: 'session',
    ...familyDenied('history'),
    params: familyIdParams,
    success: { status: 200, description: 'The history', schema: historySchema },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params }) =>
      familyHistory(deps, { principal: requirePrincipal(principal), ip, familyId: params.id }),
  }),
  defineRoute({
    method: 'get',
    path: '/families/{id}/replay',
    operationId: 'replayFamily',
    summary: 'The state after events 1..seq, recomputed through the machine',
    description:
      'Not read from a stored snapshot. `allowedEvents` are the alternatives open at that point to the person who ' +
      'took the next decision (or, at the last event, to the one who took it): `allowedFor` names them. ' +
      'Without `seq`: the whole history. `event` is event seq as the history lists it and `previousState` the state ' +
      'before it (what the event changed); `people` names every user the answer mentions (event, context, ' +
      '`allowedFor`) with display name and roles. With `rules=current`, `currentRules` says whether the machine ' +
      'version in force today would still allow event seq in the state before it (upgraded to that version when ' +
      'recorded under an older one) and, if not, which rule refuses it (`guard`) and why (`message`, in the ' +
      "request's language).",
    tag: 'Audit',
    access: 'session',
    ...familyDenied('replay'),
    params: familyIdParams,
    query: replayQuerySchema,
    success: { status: 200, description: 'The replayed state', schema: replaySchema },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params, query, req }) =>
      replayFamily(deps, {
        principal: requirePrincipal(principal),
        ip,
        familyId: params.id,
        ...(query.seq !== undefined ? { seq: query.seq } : {}),
        ...(query.rules === 'current' ? { currentRules: { lang: languageOf(req) } } : {}),
      }),
  }),
  defineRoute({
    method: 'get',
    path: '/families/{id}/verify',
    operationId: 'verifyFamily',
    summary: "Check the family's tamper-evident hash chain",
    tag: 'Audit',
    access: 'session',
    ...familyDenied('verify'),
    params: familyIdParams,
    success: {
      status: 200,
      description: 'Whether the chain holds; brokenAt names the first bad seq',
      schema: verifySchema,
    },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params }) =>
      verifyFamily(deps, { principal: requirePrincipal(principal), ip, familyId: params.id }),
  }),
];
