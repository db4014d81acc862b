import { insertRows, type SqlRunner } from './direct.ts';
import type { PrismaClient } from './generated/sqlite/client.ts';

/** NEN 7513: one row per read, list, write or export of family data, denied attempts included. */
export type AccessAction =
  | 'create'
  | 'read'
  | 'list'
  | 'write'
  | 'history'
  | 'replay'
  | 'verify'
  | 'export'
  | 'monitoring'
  | 'kpis'
  | 'access-log';

export type AccessEntry = {
  at: Date;
  userId: string | null;
  username: string | null;
  role: string | null;
  familyId: string | null;
  action: AccessAction;
  /** 'ok', 'denied', 'not_found', 'refused' (a 4xx on an otherwise permitted action), 'error'. */
  result: 'ok' | 'denied' | 'not_found' | 'refused' | 'error';
  ip: string | null;
};

/** Anything with the accessLog delegate: the client itself or an interactive transaction. */
type Tx = Pick<PrismaClient, 'accessLog'>;

export async function writeAccessLog(tx: Tx, entry: AccessEntry): Promise<void> {
  await tx.accessLog.create({ data: entry });
}

/** The same row through direct SQL (the write path's transaction). */
export async function writeAccessLogDirect(q: SqlRunner, entry: AccessEntry): Promise<void> {
  await insertRows(q, 'AccessLog', [entry]);
}
