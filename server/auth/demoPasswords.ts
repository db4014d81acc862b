import type { Db } from '../db/index.ts';
import { activeUserHashes } from '../db/users.ts';
import { verifyPassword } from './passwords.ts';

/** The password the demo seed gives every demo account (server/seed/demo.ts). */
export const DEMO_PASSWORD = 'demo';

/**
 * The access code the demo seed gives one household member (issue 15; README), valid 14 days from
 * the seed. Refused at sign-in when NODE_ENV=production, whatever the database holds.
 */
export const DEMO_MEMBER_CODE = 'DEMO-OUDER-CODE';

/** Whether a code as typed is the demo's (dashes, spaces and case do not matter). */
export function isDemoMemberCode(code: string): boolean {
  const plain = (c: string) => c.replace(/[\s-]+/g, '').toUpperCase();
  return plain(code) === plain(DEMO_MEMBER_CODE);
}

/**
 * The active accounts whose password is still the demo password. A database seeded in development
 * and then started with NODE_ENV=production would otherwise accept `auditor`/`demo` (issue 11
 * item 8). Every active account is checked, not only the demo usernames: a renamed demo account
 * keeps its password. argon2 verifications run four at a time (libuv's pool).
 */
export async function accountsWithDemoPassword(db: Db): Promise<string[]> {
  const users = await activeUserHashes(db);
  const found: string[] = [];
  for (let i = 0; i < users.length; i += 4) {
    const batch = users.slice(i, i + 4);
    const hits = await Promise.all(batch.map((u) => verifyPassword(u.passwordHash, DEMO_PASSWORD)));
    batch.forEach((u, j) => {
      if (hits[j]) found.push(u.username);
    });
  }
  return found.sort();
}
