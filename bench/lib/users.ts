import { randomUUID } from 'node:crypto';
import type { Role } from '../../machines/schemas/common.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import type { Db } from '../../server/db/index.ts';

export const BENCH_PASSWORD = 'bench-password-not-secret';

export type BenchUser = { id: string; username: string; roles: Role[]; region: string | null };

let hash: Promise<string> | null = null;

/**
 * Bench accounts, inserted in bulk with one argon2 hash of the shared bench password (hashing a
 * thousand directors one by one would take minutes and measure nothing).
 */
export async function createUsers(db: Db, specs: { username: string; roles: Role[]; region?: string | null; id?: string }[]): Promise<BenchUser[]> {
  hash ??= hashPassword(BENCH_PASSWORD);
  const passwordHash = await hash;
  const users = specs.map((s) => ({ id: s.id ?? randomUUID(), username: s.username, roles: s.roles, region: s.region ?? null }));
  for (let i = 0; i < users.length; i += 500) {
    await db.prisma.user.createMany({
      data: users.slice(i, i + 500).map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.username,
        roles: u.roles.join(','),
        region: u.region,
        passwordHash,
      })),
    });
  }
  return users;
}
