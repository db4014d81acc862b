import { z } from 'zod';
import { checkRequest, isoDateTime, roleSchema } from '../machines/schemas/common.ts';
import { regions } from '../machines/schemas/regions.ts';
import { booleanQuery, idSchema, pageQuery } from './common.ts';

// Administration (API.md "Administration"): users, activation codes, norms and the admin log. Every
// property is described here, in the schema, so this file needs no entry in descriptions.ts.

const d = (description: string) => ({ description });

export const regionCodes = Object.keys(regions) as [keyof typeof regions, ...(keyof typeof regions)[]];
export const regionCodeSchema = z.enum(regionCodes).meta(d('A Veilig Thuis region code, e.g. `zuid-limburg`.'));

const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'letters, digits, dot, dash, underscore / letters, cijfers, punt, streepje, liggend streepje')
  .meta(d('The sign-in name: 2–64 letters, digits, dots, dashes or underscores; compared case-insensitively.'));
const displayNameSchema = z.string().trim().min(1).max(100).meta(d('The name shown to other users.'));
const rolesSchema = z
  .array(roleSchema)
  .min(1)
  .max(4)
  .refine((r) => new Set(r).size === r.length, { message: 'A role appears twice / een rol staat er twee keer in' })
  .meta(d('The roles the user holds (at least one).'));
const reasonSchema = z.string().trim().min(1).max(1000).meta(d('Why the change is made; kept in the admin log.'));

export const adminUserSchema = z
  .object({
    id: z.string().meta(d('The user id.')),
    username: z.string().meta(d('The sign-in name.')),
    displayName: z.string().meta(d('The name shown to other users.')),
    roles: z.array(roleSchema).meta(d('The roles the user holds.')),
    region: z.string().nullable().meta(d('The Veilig Thuis region (VT workers read its families), or null.')),
    disabled: z.boolean().meta(d('Whether the account is disabled (it cannot sign in; its sessions ended).')),
    disabledAt: isoDateTime.nullable().meta(d('When the account was disabled, or null.')),
    createdAt: isoDateTime.meta(d('When the account was created.')),
    activationPendingUntil: isoDateTime
      .nullable()
      .meta(d('Until when an open activation code works, or null when there is none (activated, or expired).')),
  })
  .meta({ id: 'AdminUser', description: 'A user as the functional administrator sees it; never a password.' });
export type AdminUser = z.infer<typeof adminUserSchema>;

export const userListQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(100).optional().meta(d('Text the username or display name contains (literally, case-insensitive).')),
    role: roleSchema.optional().meta(d('Only users with this role.')),
    region: regionCodeSchema.optional().meta(d('Only users of this region.')),
    disabled: booleanQuery.optional().meta(d('`true`: only disabled accounts; `false`: only active ones.')),
    page: pageQuery.meta(d('Which page (from 1).')),
    pageSize: z.coerce.number().int().min(1).max(200).default(50).meta(d('How many users per page (at most 200).')),
  })
  .strict();
export type UserListQuery = z.infer<typeof userListQuerySchema>;

/** One page of a list: its items, how many match in all, and which page of what size this is. */
function pageOf<T extends z.ZodType>(item: T, items: string) {
  return z.object({
    items: z.array(item).meta(d(items)),
    total: z.int().meta(d('How many match the filters in all.')),
    page: z.int().meta(d('Which page this is.')),
    pageSize: z.int().meta(d('How many per page.')),
  });
}

export const userListSchema = pageOf(adminUserSchema, 'The users of this page, by display name.').meta({ id: 'UserList' });
export type UserList = z.infer<typeof userListSchema>;

export const userIdParams = z.object({ id: idSchema.meta(d('The user id.')) });

export const createUserSchema = z
  .object({
    username: usernameSchema,
    displayName: displayNameSchema,
    roles: rolesSchema,
    region: regionCodeSchema.nullable().default(null).meta(d('The Veilig Thuis region (a VT worker reads its families); null for none.')),
  })
  .strict()
  .superRefine(checkRequest)
  .meta({ id: 'CreateUser', description: 'A new account; its user sets their own password with the activation code.' });
export type CreateUser = z.input<typeof createUserSchema>;

export const activationSchema = z
  .object({
    code: z.string().meta(d('The one-time activation code; shown only in this answer, stored only as a hash.')),
    expiresAt: isoDateTime.meta(d('Until when the code works (7 days).')),
  })
  .meta({ id: 'Activation', description: 'A one-time code with which the user sets their own password (POST /session/activate).' });
export type Activation = z.infer<typeof activationSchema>;

export const userActivationSchema = z
  .object({ user: adminUserSchema, activation: activationSchema })
  .meta({ id: 'UserActivation', description: 'The user and a new one-time activation code, shown once.' });
export type UserActivation = z.infer<typeof userActivationSchema>;

export const updateUserSchema = z
  .object({
    displayName: displayNameSchema.optional(),
    roles: rolesSchema.optional(),
    region: regionCodeSchema.nullable().optional().meta(d('The Veilig Thuis region, or null for none.')),
    disabled: z.boolean().optional().meta(d('`true` disables the account and ends its sessions; `false` enables it again.')),
    reason: reasonSchema.optional(),
  })
  .strict()
  .superRefine(checkRequest)
  .refine((b) => ['displayName', 'roles', 'region', 'disabled'].some((k) => k in b && b[k as keyof typeof b] !== undefined), {
    message: 'Change at least one of displayName, roles, region, disabled / wijzig minstens één veld',
  })
  .meta({ id: 'UpdateUser', description: 'The fields to change; a role change or disabling ends the user’s sessions.' });
export type UpdateUser = z.input<typeof updateUserSchema>;

export const resetUserSchema = z
  .object({ reason: reasonSchema.optional() })
  .strict()
  .superRefine(checkRequest)
  .meta({ id: 'ResetUser', description: 'Optional: why the account is reset.' });

export const activateRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(100).meta(d('The sign-in name the administrator gave.')),
    code: z.string().trim().min(1).max(100).meta(d('The activation code (spaces and dashes are ignored).')),
    password: z.string().min(1).max(1024).meta(d('The new password: at least 12 characters, not a common one.')),
  })
  .strict()
  .meta({ id: 'ActivateRequest' });
export type ActivateRequest = z.infer<typeof activateRequestSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(1024).meta(d('The password in use now.')),
    newPassword: z.string().min(1).max(1024).meta(d('The new password: at least 12 characters, not a common one.')),
  })
  .strict()
  .meta({ id: 'ChangePassword' });
export type ChangePassword = z.infer<typeof changePasswordSchema>;

// ---------------------------------------------------------------- norms

export const normUnits = ['workingDays', 'calendarDays', 'hours', 'weeks', 'months', 'minutes', 'yesNo', 'choice', 'dates'] as const;
export const normUnitSchema = z.enum(normUnits).meta(d('The unit of the value.'));
export type NormUnit = (typeof normUnits)[number];

export const normValueSchema = z
  .union([z.int(), z.boolean(), z.string().max(100), z.array(z.string().max(20)).max(200)])
  .meta({ id: 'NormValue', description: 'A whole number, yes/no, a choice, or a list of dates (YYYY-MM-DD), as the norm’s unit says.' });
export type NormValue = z.infer<typeof normValueSchema>;

export const normSchema = z
  .object({
    key: z.string().meta(d('The norm’s key, e.g. `assessmentWorkingDays`.')),
    value: normValueSchema,
    default: normValueSchema,
    unit: normUnitSchema,
    min: z.int().nullable().meta(d('The smallest allowed value (numbers), or null.')),
    max: z.int().nullable().meta(d('The largest allowed value (numbers), or null.')),
    options: z.array(z.string()).nullable().meta(d('The allowed values of a choice, or null.')),
    source: z.string().meta(d('Where the default comes from (law, protocol, regional choice).')),
    changedAt: isoDateTime.nullable().meta(d('When an administrator last set it, or null (the default applies).')),
    changedBy: z.string().nullable().meta(d('Who last set it (username), or null.')),
  })
  .meta({ id: 'Norm', description: 'A configurable norm with its default, unit, source and current value.' });
export type Norm = z.infer<typeof normSchema>;

export const normListSchema = z
  .object({ items: z.array(normSchema).meta(d('Every configurable norm.')) })
  .meta({ id: 'NormList' });
export type NormList = z.infer<typeof normListSchema>;

export const normKeyParams = z.object({
  key: z.string().min(1).max(64).regex(/^[A-Za-z.]+$/, 'not a norm key').meta(d('The norm’s key.')),
});

export const changeNormSchema = z
  .object({ value: normValueSchema, reason: reasonSchema })
  .strict()
  .superRefine(checkRequest)
  .meta({ id: 'ChangeNorm', description: 'The new value and why; applies to deadlines started after the change.' });
export type ChangeNorm = z.infer<typeof changeNormSchema>;

// ---------------------------------------------------------------- the admin log

export const adminActions = [
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.reset',
  'user.activated',
  'user.passwordChanged',
  'norm.changed',
  'family.upgraded',
] as const;

export const adminLogQuerySchema = z
  .object({
    targetType: z.enum(['user', 'norm', 'family']).optional().meta(d('Only changes to users, to norms, or to families (upgrades).')),
    targetId: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/).optional().meta(d('Only changes to this user id or norm key.')),
    page: pageQuery.meta(d('Which page (from 1).')),
    pageSize: z.coerce.number().int().min(1).max(500).default(100).meta(d('How many rows per page (at most 500).')),
  })
  .strict();
export type AdminLogQuery = z.infer<typeof adminLogQuerySchema>;

const changedFields = z.record(z.string(), z.unknown()).nullable();

export const adminLogRowSchema = z
  .object({
    id: z.int().meta(d('The row number.')),
    at: isoDateTime.meta(d('When the change was made.')),
    actorId: z.string().nullable().meta(d('Who made it (user id); null for the command line.')),
    actorUsername: z.string().nullable().meta(d('Who made it (username); null for the command line.')),
    action: z.enum(adminActions).meta(d('What was done.')),
    targetType: z.enum(['user', 'norm', 'family']).meta(d('Whether a user, a norm or a family (an upgrade) was changed.')),
    targetId: z.string().meta(d('The user id, norm key or family id.')),
    targetName: z.string().nullable().meta(d('The username of the user changed, or the reference of the family; null for a norm.')),
    before: changedFields.meta(d('The changed fields before the change (never a password or code).')),
    after: changedFields.meta(d('The changed fields after the change (never a password or code).')),
    reason: z.string().nullable().meta(d('Why, as the administrator gave it.')),
  })
  .meta({ id: 'AdminLogRow' });
export type AdminLogRow = z.infer<typeof adminLogRowSchema>;

export const adminLogSchema = pageOf(adminLogRowSchema, 'The rows of this page, newest first.').meta({ id: 'AdminLog' });
export type AdminLog = z.infer<typeof adminLogSchema>;

// The bulk upgrade of families to the newest machine version (API.md "Version 2 events"): a job like
// the verification of every family, started by an administrator.

export const startUpgradeSchema = z
  .object({
    familyIds: z
      .array(idSchema)
      .min(1)
      .max(1000)
      .optional()
      .meta(d('The families to move (1–1000 ids). Give exactly one of `familyIds`, `references`, `all`.')),
    references: z
      .array(z.string().trim().min(1).max(100))
      .min(1)
      .max(1000)
      .optional()
      .meta(d('The families to move by reference (1–1000), as the administrator knows them; a reference held in two regions is refused.')),
    all: z.literal(true).optional().meta(d('`true`: every family still on an older version.')),
    reason: z.string().trim().min(1).max(1000).meta(d("Why the families move; each family's `case.upgraded` event carries it.")),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ([b.familyIds, b.references, b.all].filter((x) => x !== undefined).length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['familyIds'],
        message: 'Give one of familyIds, references or all / kies óf een lijst gezinnen óf alle gezinnen',
      });
  })
  .meta({ id: 'StartUpgrade', description: 'Which families to move to the newest version, and why.' });
export type StartUpgrade = z.infer<typeof startUpgradeSchema>;

export const upgradeStartedSchema = z
  .object({ id: z.string().meta(d('The id of the upgrade, for GET /upgrades/{upgradeId}.')) })
  .meta({ id: 'UpgradeStarted' });

export const upgradeParams = z.object({
  upgradeId: z.string().min(1).max(100).meta(d('The id POST /upgrades answered.')),
});

export const upgradeSchema = z
  .object({
    status: z.enum(['running', 'done', 'failed']).meta(d('`running`, `done`, or `failed` when the job could not go on.')),
    toVersion: z.int().meta(d('The version the families move to.')),
    done: z.int().min(0).meta(d('How many families have been handled so far.')),
    total: z.int().min(0).meta(d('How many families the upgrade covers.')),
    upgraded: z.int().min(0).meta(d('Families moved, each with a `case.upgraded` event by the administrator.')),
    skipped: z
      .object({
        alreadyCurrent: z.int().min(0).meta(d('Families already on the newest version.')),
        closed: z.int().min(0).meta(d('Closed families (they stay on their version).')),
      })
      .meta(d('Families left as they are.')),
    failed: z
      .array(
        z
          .object({
            reference: z.string().meta(d("The family's reference.")),
            message: z.string().meta(d("Why it was not moved, in the request's language.")),
          })
          .meta({ id: 'UpgradeFailure' }),
      )
      .meta(d('Families the machine refused to move, by reference.')),
  })
  .meta({ id: 'Upgrade', description: 'The progress and result of a bulk upgrade.' });
export type Upgrade = z.infer<typeof upgradeSchema>;
