import type { Role, SessionRole } from '../../machines/schemas/common.ts';

// Who may see which family. One place, used by every family route, list and figure, so the rule
// that an invisible family does not exist (404) cannot drift between routes.

export type Principal = {
  id: string;
  username: string;
  displayName: string;
  roles: SessionRole[];
  region: string | null;
  /**
   * A household member (role `member`, issue 15): the one family whose own view the session opens,
   * and the member. A member sees no family route (404) and no professional route (403).
   */
  member?: { familyId: string; memberId: string };
};

/** The principal id of a household member: unique across families, never a user's id. */
export function memberPrincipalId(familyId: string, memberId: string): string {
  return `member:${familyId}:${memberId}`;
}

export type FamilyAccessFacts = { region: string; directorId: string | null; pendingDirectorId: string | null };

/** Roles that may read family data at all; a user with none of them gets 403 on family routes. */
export const FAMILY_READER_ROLES: readonly Role[] = ['vt', 'director', 'auditor'];

export function hasRole(user: Principal, ...roles: SessionRole[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}

export function readsFamilies(user: Principal): boolean {
  return hasRole(user, ...FAMILY_READER_ROLES);
}

function isAssigned(user: Principal, family: FamilyAccessFacts): boolean {
  return family.directorId === user.id || family.pendingDirectorId === user.id;
}

/**
 * The roles under which the user sees this family, most specific first. Empty: the family is
 * invisible to them.
 */
export function visibleAs(user: Principal, family: FamilyAccessFacts): Role[] {
  const out: Role[] = [];
  if (user.roles.includes('director') && isAssigned(user, family)) out.push('director');
  if (user.roles.includes('vt') && ((user.region !== null && family.region === user.region) || isAssigned(user, family))) {
    out.push('vt');
  }
  if (user.roles.includes('auditor')) out.push('auditor');
  return out;
}

/** The roles the user may act under on this family: auditors and administrators send no events. */
export function actingRoles(user: Principal, family: FamilyAccessFacts): Role[] {
  return visibleAs(user, family).filter((r) => r === 'vt' || r === 'director');
}

/** Prisma `where` for the families a user may see, or null when they may see none. */
export function visibleFamiliesWhere(user: Principal): Record<string, unknown> | null {
  if (user.roles.includes('auditor')) return {};
  const or: Record<string, unknown>[] = [];
  if (user.roles.includes('vt') || user.roles.includes('director')) {
    or.push({ directorId: user.id }, { pendingDirectorId: user.id });
  }
  if (user.roles.includes('vt') && user.region !== null) or.push({ region: user.region });
  return or.length > 0 ? { OR: or } : null;
}
