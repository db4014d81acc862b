import {
  activateRequestSchema,
  adminLogQuerySchema,
  adminLogSchema,
  adminUserSchema,
  changeNormSchema,
  changePasswordSchema,
  createUserSchema,
  normKeyParams,
  normListSchema,
  normSchema,
  resetUserSchema,
  updateUserSchema,
  userActivationSchema,
  userIdParams,
  userListQuerySchema,
  userListSchema,
  startUpgradeSchema,
  upgradeParams,
  upgradeSchema,
  upgradeStartedSchema,
} from '../../../contract/index.ts';
import { startUpgrade, upgradeStatus } from '../../cases/upgradeFamilies.ts';
import { languageOf } from '../problem.ts';
import { sessionClock } from '../../auth/sessions.ts';
import { activateAccount } from '../../cases/activateAccount.ts';
import { ADMIN_LOG_ROLES, ADMIN_ROLES } from '../../cases/admin.ts';
import { adminLog } from '../../cases/adminLog.ts';
import { changeNorm } from '../../cases/changeNorm.ts';
import { changePassword } from '../../cases/changePassword.ts';
import { addUser } from '../../cases/createUser.ts';
import { listNorms } from '../../cases/listNorms.ts';
import { listUsers } from '../../cases/listUsers.ts';
import { resetUser } from '../../cases/resetUser.ts';
import { updateUser } from '../../cases/updateUser.ts';
import { viewUser } from '../../cases/viewUser.ts';
import type { ResolvedDeps } from '../context.ts';
import { defineRoute, requirePrincipal } from '../define.ts';

// Administration (API.md "Administration"): users, activation, norms and the admin log. The admin
// role sees no family data; these routes carry none.

const admin = { tag: 'Administration', access: 'session', roles: ADMIN_ROLES } as const;

/**
 * Administration runs on the wall clock, as sessions do: an activation code's 7 days and the admin
 * log's instants are real time, never the manual clock of a demo. A norm's change is the exception:
 * it applies to deadlines started after it, and those start on the engine's clock.
 */
const wall = (deps: ResolvedDeps) => ({ db: deps.db, clock: sessionClock(deps) });

export const adminRoutes = [
  defineRoute({
    ...admin,
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    summary: 'Users, with search and filters',
    description: 'Ordered by display name. `q` matches the username or display name literally, case-insensitively.',
    query: userListQuerySchema,
    success: { status: 200, description: 'One page of users', schema: userListSchema },
    problems: [400, 401, 403],
    handler: ({ deps, principal, ip, query }) => listUsers(wall(deps), { principal: requirePrincipal(principal), ip }, query),
  }),
  defineRoute({
    ...admin,
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    summary: 'Add a user; the answer holds their one-time activation code',
    description:
      'The user sets their own password with the code (`POST /session/activate`) within 7 days; the code is shown ' +
      'only in this answer and stored only as a hash. One admin-log row.',
    body: createUserSchema,
    success: { status: 201, description: 'The user and the activation code', schema: userActivationSchema },
    problems: [400, 401, 403, 409, 413, 415],
    handler: async ({ deps, principal, ip, body, res }) => {
      const added = await addUser(wall(deps), { principal: requirePrincipal(principal), ip }, body);
      res.setHeader('Location', `/api/v1/users/${added.user.id}`);
      return { user: added.user, activation: added.activation! };
    },
  }),
  defineRoute({
    ...admin,
    method: 'get',
    path: '/users/{id}',
    operationId: 'getUser',
    summary: 'One user',
    params: userIdParams,
    success: { status: 200, description: 'The user', schema: adminUserSchema },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params }) => viewUser(wall(deps), { principal: requirePrincipal(principal), ip }, params.id),
  }),
  defineRoute({
    ...admin,
    method: 'patch',
    path: '/users/{id}',
    operationId: 'updateUser',
    summary: 'Change a user’s display name, roles, region or disabled state',
    description:
      'Disabling or a role change ends the user’s sessions at once. An administrator cannot disable themselves or ' +
      'take away their own admin role (422, guard `selfLockout`). One admin-log row per change.',
    params: userIdParams,
    body: updateUserSchema,
    success: { status: 200, description: 'The user after the change', schema: adminUserSchema },
    problems: [400, 401, 403, 404, 413, 415, 422],
    handler: async ({ deps, principal, ip, params, body }) =>
      (await updateUser(wall(deps), { principal: requirePrincipal(principal), ip }, params.id, body)).user,
  }),
  defineRoute({
    ...admin,
    method: 'post',
    path: '/users/{id}/reset',
    operationId: 'resetUser',
    summary: 'Reset a user: their password stops working and a new activation code is issued',
    description: 'Ends the user’s sessions; the new code (7 days) is shown only in this answer. A disabled account is a 422.',
    params: userIdParams,
    body: resetUserSchema,
    success: { status: 200, description: 'The user and the new activation code', schema: userActivationSchema },
    problems: [400, 401, 403, 404, 413, 415, 422],
    handler: ({ deps, principal, ip, params, body }) =>
      resetUser(wall(deps), { principal: requirePrincipal(principal), ip }, params.id, body.reason),
  }),
  defineRoute({
    ...admin,
    method: 'get',
    path: '/norms',
    operationId: 'listNorms',
    summary: 'Every configurable norm with its default, unit, source and current value',
    success: { status: 200, description: 'The norms', schema: normListSchema },
    problems: [401, 403],
    handler: ({ deps, principal, ip }) => listNorms(wall(deps), { principal: requirePrincipal(principal), ip }),
  }),
  defineRoute({
    ...admin,
    method: 'put',
    path: '/norms/{key}',
    operationId: 'changeNorm',
    summary: 'Set a norm, with the reason',
    description:
      'Applies to deadlines started after the change; deadlines, timers and figures already recorded keep the norm ' +
      'they started with. One admin-log row with the value before and after.',
    params: normKeyParams,
    body: changeNormSchema,
    success: { status: 200, description: 'The norm after the change', schema: normSchema },
    problems: [400, 401, 403, 404, 413, 415],
    handler: ({ deps, principal, ip, params, body }) =>
      changeNorm(deps, { principal: requirePrincipal(principal), ip }, { key: params.key, value: body.value, reason: body.reason }),
  }),
  defineRoute({
    ...admin,
    tag: 'Audit',
    roles: ADMIN_LOG_ROLES,
    method: 'get',
    path: '/admin-log',
    query: adminLogQuerySchema,
    operationId: 'adminLog',
    summary: 'The admin log: every administrative change, newest first',
    description: 'Who, when, what, before, after and why; never a password or an activation code. Administrators and auditors.',
    problems: [400, 401, 403],
    success: { status: 200, description: 'One page of rows', schema: adminLogSchema },
    handler: ({ deps, principal, ip, query }) => adminLog(wall(deps), { principal: requirePrincipal(principal), ip }, query),
  }),
  defineRoute({
    method: 'post',
    path: '/session/activate',
    operationId: 'activate',
    summary: 'Set your own password with a one-time activation code',
    description:
      'The code works once, for its own account, for 7 days. The password: at least 12 characters and not a common ' +
      'one. Throttled like sign-in (429). Sign in afterwards with the new password.',
    tag: 'Session',
    access: 'origin',
    body: activateRequestSchema,
    success: { status: 204, description: 'The password is set' },
    problems: [400, 403, 413, 415, 429],
    handler: async ({ req, deps, body }) => {
      await activateAccount(wall(deps), { ...body, ip: req.ip ?? 'unknown' });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/me/password',
    operationId: 'changePassword',
    summary: 'Change your own password',
    description: 'Needs the current password; the new one follows the password rules. Ends every other session of the account.',
    tag: 'Session',
    access: 'session',
    body: changePasswordSchema,
    success: { status: 204, description: 'The password is changed' },
    problems: [400, 401, 403, 413, 415, 429],
    handler: async ({ req, deps, principal, session, body }) => {
      await changePassword(
        wall(deps),
        { principal: requirePrincipal(principal), sessionId: session!.id, ip: req.ip ?? 'unknown', ...body },
      );
      return undefined;
    },
  }),
  defineRoute({
    ...admin,
    method: 'post',
    path: '/upgrades',
    operationId: 'startUpgrade',
    // It writes to families: a refused or unauthenticated attempt is access-logged like any other write.
    auditDenied: 'write',
    summary: 'Move families to the newest machine version',
    description:
      'Administrator only. `familyIds` or `references` (a list) or `all: true` (every family on an older version), and a `reason`. ' +
      "Answers 202 at once; the upgrade runs in the server, one transaction per family, and never blocks other " +
      "requests. Each family moved gets a `case.upgraded` event by the administrator carrying the reason (access-logged " +
      'as `write`) and a `family.upgraded` row in the admin log; families already on the newest version or closed are ' +
      'skipped. A list naming an unknown family is refused (400) before anything changes. Follow it with ' +
      'GET /upgrades/{upgradeId}.',
    body: startUpgradeSchema,
    success: { status: 202, description: 'The upgrade started', schema: upgradeStartedSchema },
    problems: [400, 401, 403],
    handler: async ({ deps, principal, ip, body, res }) => {
      const started = await startUpgrade(deps, { principal: requirePrincipal(principal), ip }, body);
      res.setHeader('Location', `/api/v1/upgrades/${started.id}`);
      return started;
    },
  }),
  defineRoute({
    ...admin,
    method: 'get',
    path: '/upgrades/{upgradeId}',
    operationId: 'getUpgrade',
    // Its result names families (references): a refused attempt is access-logged.
    auditDenied: 'list',
    summary: 'The progress and result of a bulk upgrade',
    description:
      'Administrator only. `done` of `total` families so far: how many were `upgraded`, how many `skipped` (already on ' +
      "the newest version, or closed) and which `failed` (by reference, with the machine's reason in the request's " +
      'language). Jobs live in the server process: after a restart an id is unknown (404).',
    params: upgradeParams,
    success: { status: 200, description: 'The progress', schema: upgradeSchema },
    problems: [400, 401, 403, 404],
    handler: ({ deps, principal, ip, params, req }) =>
      upgradeStatus(deps, { principal: requirePrincipal(principal), ip }, params.upgradeId, languageOf(req)),
  }),
];
