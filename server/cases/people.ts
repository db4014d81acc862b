import type { People } from '../../contract/index.ts';
import type { SqlRunner } from '../db/index.ts';
import { userPeople } from '../db/users.ts';

// Members a name under which a user id can appear anywhere in an audit answer: `id` (actor, named
// user), `…Id` (directorId, caseDirectorId, fromId, toId…), `by` / `…By` (offeredBy, raisedBy).
const idKey = /^(id|by)$|(Id|By)$/;

/** Every string under an id-like member name, at any depth of `values`. */
export function mentionedIds(...values: unknown[]): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown, key: string | null): void => {
    if (typeof value === 'string') {
      if (key !== null && idKey.test(key)) found.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, key);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  for (const v of values) walk(v, null);
  return found;
}

/**
 * The `people` map of an audit answer: each mentioned id that is a user, with the name and roles to
 * show instead of the id. Ids that are not users (a member's `m1`) stay out.
 */
export async function peopleOf(tx: SqlRunner, ...values: unknown[]): Promise<People> {
  const found = await userPeople(tx, mentionedIds(...values));
  return Object.fromEntries([...found].map(([id, p]) => [id, { displayName: p.displayName, roles: p.roles }]));
}
