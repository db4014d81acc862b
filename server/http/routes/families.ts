import { allowedEvents, stateOf, type PersistedFamily, type UserEventType } from '../../../machines/index.ts';
import {
  createFamilySchema,
  eventRequestSchema,
  familyIdParams,
  familyListQuerySchema,
  familyListSchema,
  familyViewSchema,
  historySchema,
  replayQuerySchema,
  replaySchema,
  verifySchema,
  type HistoryEvent,
} from '../../../contract/index.ts';
import { roleSchema, type Role } from '../../../machines/schemas/common.ts';
import { regionOf } from '../../../machines/schemas/regions.ts';
import { actingRoles, visibleAs, type Principal } from '../../auth/policy.ts';
import type { AccessAction } from '../../db/accessLog.ts';
import {
  eventsWithActors,
  listFamilies,
  logDenied,
  readFamily,
  txDb,
  userRefsTx,
  type Viewer,
} from '../../db/queries.ts';
import { userRefs } from '../../db/users.ts';
import {
  createFamily,
  dispatch,
  fold,
  listEvents,
  loadNorms,
  verifyEvents,
  type FamilyRecord,
} from '../../engine/index.ts';
import { AppError } from '../../errors.ts';
import type { ResolvedDeps } from '../context.ts';
import { defineRoute, requirePrincipal } from '../define.ts';
import { allowedFor, familySummary, familyView, overdueDeadlines } from '../views.ts';

const READERS: readonly Role[] = ['vt', 'director', 'auditor'];

function viewer(deps: ResolvedDeps, principal: Principal | null, ip: string | null): Viewer {
  return { principal: requirePrincipal(principal), ip, at: deps.clock.now() };
}

const notFound = () => new AppError('not_found', 'No such family');

/** The view after a write: the writer's own log row is the engine's, written with the event. */
async function viewAfterWrite(deps: ResolvedDeps, principal: Principal, family: FamilyRecord) {
  const [refs, norms] = await Promise.all([
    userRefs(deps.db, [family.snapshot.context.caseDirectorId, family.pendingDirectorId]),
    loadNorms(deps.db),
  ]);
  return familyView(family, {
    refs,
    norms,
    now: deps.clock.now(),
    userId: principal.id,
    actingRoles: actingRoles(principal, family),
  });
}

/**
 * The role a multi-role user acts in for this event: the first under which the machine would
 * accept it, else the first they hold here (the machine then explains the refusal).
 */
function roleFor(snapshot: PersistedFamily, userId: string, roles: readonly Role[], type: string): Role {
  return (
    roles.find((role) => (allowedEvents(snapshot, { id: userId, role }) as string[]).includes(type)) ??
    roles[0]!
  );
}

function historyActor(
  actor: { id: string; role: string },
  refs: Map<string, { username: string }>,
): HistoryEvent['actor'] {
  const role = roleSchema.safeParse(actor.role);
  if (!role.success) return { role: 'system' };
  return { id: actor.id, username: refs.get(actor.id)?.username ?? null, role: role.data };
}

const familyDenied = (action: AccessAction) => ({ roles: READERS, auditDenied: action }) as const;

export const familyRoutes = [
  defineRoute({
    method: 'post',
    path: '/families',
    operationId: 'createFamily',
    summary: 'Register a report and create the case',
    description: 'Veilig Thuis only. The history starts with `report.received` at seq 1.',
    tag: 'Families',
    access: 'session',
    roles: ['vt'],
    auditDenied: 'create',
    body: createFamilySchema,
    success: { status: 201, description: 'The new family', schema: familyViewSchema },
    // 422: the report lies in the future (reportNotInFuture).
    problems: [400, 401, 403, 413, 415, 422],
    handler: async ({ deps, principal, ip, body, res }) => {
      const me = requirePrincipal(principal);
      // A VT worker registers reports for their own region only: they could not read the case otherwise.
      if (regionOf(body.municipality) !== me.region) {
        await logDenied(deps.db, viewer(deps, me, ip), null, 'create', 'denied');
        throw new AppError('forbidden', 'The municipality lies outside your region', {
          explanation: {
            nl: 'Deze gemeente valt buiten uw regio.',
            en: 'This municipality lies outside your region.',
          },
        });
      }
      const family = await createFamily(deps.db, body, {
        actor: { id: me.id, role: 'vt' },
        clock: deps.clock,
        audit: { userId: me.id, username: me.username, role: 'vt', ip },
      });
      res.setHeader('Location', `/api/v1/families/${family.id}`);
      return viewAfterWrite(deps, me, family);
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
    handler: async ({ deps, principal, ip, query }) => {
      const v = viewer(deps, principal, ip);
      const norms = await loadNorms(deps.db);
      const overdue = query.overdue === undefined ? undefined : query.overdue === 'true';
      const result = await listFamilies(
        deps.db,
        v,
        {
          phase: query.phase,
          municipality: query.municipality,
          directorId: query.director === 'me' ? v.principal.id : undefined,
          q: query.q,
          openOnly: overdue === true,
        },
        { page: query.page, pageSize: query.pageSize },
        overdue === undefined
          ? undefined
          : (f) => overdueDeadlines(f.snapshot, norms, v.at).length > 0 === overdue,
      );
      return {
        items: result.families.map((f) => familySummary(f, result.refs, norms, v.at)),
        total: result.total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },
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
    handler: async ({ deps, principal, ip, params }) => {
      const v = viewer(deps, principal, ip);
      const norms = await loadNorms(deps.db);
      const read = await readFamily(deps.db, v, params.id, 'read', async (tx, { family }) => {
        const refs = await userRefsTx(tx, [family.snapshot.context.caseDirectorId, family.pendingDirectorId]);
        return familyView(family, {
          refs,
          norms,
          now: v.at,
          userId: v.principal.id,
          actingRoles: actingRoles(v.principal, family),
        });
      });
      if (!read) throw notFound();
      return read.value;
    },
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
    },
    problems: [400, 401, 403, 404, 409, 413, 415, 422],
    handler: async ({ deps, principal, ip, params, body }) => {
      const me = viewer(deps, principal, ip).principal;
      // Authorisation runs inside dispatch on the row it reads for the write (one read, no gap);
      // a refusal there is access-logged as 'not_found' or 'denied'.
      const actor = (family: FamilyRecord) => {
        const roles = visibleAs(me, family);
        if (roles.length === 0) throw notFound();
        const acting = roles.filter((r): r is 'vt' | 'director' => r === 'vt' || r === 'director');
        if (acting.length === 0) {
          throw new AppError('forbidden', 'Your role sends no events', {
            guard: 'roleMaySend',
            explanation: {
              nl: 'Uw rol mag geen gebeurtenissen vastleggen.',
              en: 'Your role may not record events.',
            },
          });
        }
        const role: Role =
          acting.length > 1 ? roleFor(family.snapshot, me.id, acting, body.type) : acting[0]!;
        return { id: me.id, role };
      };
      const family = await dispatch(
        deps.db,
        {
          familyId: params.id,
          type: body.type,
          payload: body.payload,
          reason: body.reason ?? null,
          expectedVersion: body.expectedVersion,
          actor,
        },
        { clock: deps.clock, audit: { userId: me.id, username: me.username, role: me.roles.join(','), ip } },
      );
      return viewAfterWrite(deps, me, family);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/families/{id}/history',
    operationId: 'getHistory',
    summary: 'Every event of the family, with its hash chain',
    tag: 'Audit',
    access: 'session',
    ...familyDenied('history'),
    params: familyIdParams,
    success: { status: 200, description: 'The history', schema: historySchema },
    problems: [400, 401, 403, 404],
    handler: async ({ deps, principal, ip, params }) => {
      const v = viewer(deps, principal, ip);
      const read = await readFamily(deps.db, v, params.id, 'history', (tx) =>
        eventsWithActors(tx, params.id),
      );
      if (!read) throw notFound();
      const { events, refs } = read.value;
      return {
        events: events.map((e): HistoryEvent => ({
          seq: e.seq,
          type: e.type as HistoryEvent['type'],
          payload: e.payload as HistoryEvent['payload'],
          reason: e.reason,
          actor: historyActor(e.actor, refs),
          named: e.named,
          recordedAt: e.recordedAt,
          occurredAt: e.occurredAt,
          machineVersion: e.machineVersion,
          stateAfter: e.stateAfter,
          prevHash: e.prevHash,
          hash: e.hash,
        })),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/families/{id}/replay',
    operationId: 'replayFamily',
    summary: 'The state after events 1..seq, recomputed through the machine',
    description:
      'Not read from a stored snapshot. `allowedEvents` are the alternatives open at that point to the person who ' +
      'took the next decision (or, at the last event, to the one who took it): `allowedFor` names them. ' +
      'Without `seq`: the whole history.',
    tag: 'Audit',
    access: 'session',
    ...familyDenied('replay'),
    params: familyIdParams,
    query: replayQuerySchema,
    success: { status: 200, description: 'The replayed state', schema: replaySchema },
    problems: [400, 401, 403, 404],
    handler: async ({ deps, principal, ip, params, query }) => {
      const v = viewer(deps, principal, ip);
      const read = await readFamily(deps.db, v, params.id, 'replay', async (tx, { family }) => {
        const seq = query.seq ?? family.version;
        if (seq > family.version) {
          return { ok: false as const, error: `seq ${seq} is beyond the history (${family.version} events)` };
        }
        const { events } = await eventsWithActors(tx, params.id, seq + 1);
        return { ok: true as const, seq, events };
      });
      if (!read) throw notFound();
      const result = read.value;
      if (!result.ok) {
        throw new AppError('validation', result.error, {
          errors: [{ path: 'query.seq', message: result.error }],
        });
      }
      const { seq, events } = result;
      const upto = events.filter((e) => e.seq <= seq);
      const { snapshot } = fold(upto);
      const decider = [events.find((e) => e.seq === seq + 1), events.find((e) => e.seq === seq)]
        .map((e) => e?.actor)
        .find((a): a is { id: string; role: string } => !!a && roleSchema.safeParse(a.role).success);
      const allowed: UserEventType[] = decider
        ? allowedFor(snapshot, decider.id, [decider.role as Role])
        : [];
      return {
        seq,
        state: stateOf(snapshot),
        allowedEvents: allowed,
        allowedFor: decider ? { id: decider.id, role: decider.role } : null,
        context: snapshot.context as unknown as Record<string, unknown>,
      };
    },
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
    handler: async ({ deps, principal, ip, params }) => {
      const v = viewer(deps, principal, ip);
      // Read (and log) in the transaction; re-run the chain after it, so no lock is held meanwhile.
      const read = await readFamily(deps.db, v, params.id, 'verify', async (tx, { family }) => ({
        version: family.version,
        events: await listEvents(txDb(deps.db, tx), params.id),
      }));
      if (!read) throw notFound();
      return verifyEvents(params.id, read.value.version, read.value.events);
    },
  }),
];
