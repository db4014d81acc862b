/**
 * The AdminLog table: every administrative change (users, roles, regions, norms, activations) as one
 * row: who, when, what, before, after, reason. Insert-only; `writeAdminLog` is its one writer, called
 * inside the transaction of the change it records. Before and after are JSON of the changed fields,
 * and never hold a password, a hash or an activation code (the use cases pass only named fields).
 */
import { insertRows, whereGiven, type SqlRunner } from './direct.ts';

export type AdminAction =
  | 'user.created'
  | 'user.updated'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.reset'
  | 'user.activated'
  | 'user.passwordChanged'
  | 'norm.changed'
  | 'family.upgraded';

export type AdminLogEntry = {
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  action: AdminAction;
  targetType: 'user' | 'norm' | 'family';
  targetId: string;
  targetName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
};

export async function writeAdminLog(q: SqlRunner, entry: AdminLogEntry): Promise<void> {
  await insertRows(q, 'AdminLog', [
    {
      ...entry,
      before: entry.before ? JSON.stringify(entry.before) : null,
      after: entry.after ? JSON.stringify(entry.after) : null,
    },
  ]);
}

export type AdminLogRow = Omit<AdminLogEntry, 'at' | 'before' | 'after'> & {
  id: number;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

export type AdminLogFilter = { targetType?: 'user' | 'norm' | 'family'; targetId?: string; page: number; pageSize: number };

function parsed(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** One page of the log, newest first, and how many rows match. */
export async function adminLogPage(q: SqlRunner, f: AdminLogFilter): Promise<{ items: AdminLogRow[]; total: number }> {
  const { clause, params } = whereGiven([
    ['"targetType" = ?', f.targetType],
    ['"targetId" = ?', f.targetId],
  ]);
  const count = await q.get<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "AdminLog" ${clause}`, params);
  const rows = await q.all<Omit<AdminLogRow, 'at' | 'before' | 'after'> & { at: Date; before: string | null; after: string | null }>(
    `SELECT "id", "at", "actorId", "actorUsername", "action", "targetType", "targetId", "targetName", "before", "after", "reason"
       FROM "AdminLog" ${clause} ORDER BY "at" DESC, "id" DESC LIMIT ? OFFSET ?`,
    [...params, f.pageSize, (f.page - 1) * f.pageSize],
  );
  return {
    items: rows.map((r) => ({ ...r, at: r.at.toISOString(), before: parsed(r.before), after: parsed(r.after) })),
    total: Number(count?.n ?? 0),
  };
}
