import type { TFunction } from 'i18next';
import { measureKindLabel, roleLabel } from '../labels.ts';
import type { HistoryEvent } from '../types.ts';

// Everything an auditor's sentence needs to name instead of an id: people (from the API's `people`
// map), and the family's members, conditions and measures (from the family's own view or a replayed
// context). An id that cannot be named is never shown: the sentence says "someone" instead.

export type Person = { displayName: string; roles: readonly string[] };
export type People = Readonly<Record<string, Person>>;

export type Names = {
  /** "Casusregisseur lokaal team 2 (casusregisseur)", or null when the id is unknown. */
  person(id: string | null | undefined): string | null;
  member(id: string | null | undefined): string | null;
  condition(id: string | null | undefined): string | null;
  /** The measure's kind, e.g. "Tijdelijk huisverbod". */
  measure(id: string | null | undefined): string | null;
};

export type FamilyFacts = {
  members?: readonly { id: string; alias: string }[];
  conditions?: readonly { id: string; description: string }[];
  measures?: readonly { id: string; kind: string }[];
};

export function namesOf(t: TFunction, people: People | undefined, facts: FamilyFacts | undefined): Names {
  const find = <T extends { id: string }>(list: readonly T[] | undefined, id: string | null | undefined) =>
    id ? list?.find((x) => x.id === id) : undefined;
  return {
    person(id) {
      const p = id ? people?.[id] : undefined;
      if (!p) return null;
      const role = p.roles[0];
      return role ? `${p.displayName} (${roleLabel(t, role)})` : p.displayName;
    },
    member: (id) => find(facts?.members, id)?.alias ?? null,
    condition: (id) => find(facts?.conditions, id)?.description ?? null,
    measure(id) {
      const m = find(facts?.measures, id);
      return m ? measureKindLabel(t, m.kind) : null;
    },
  };
}

/** Who recorded an event: name and role, or the role alone; never an id. */
export function actorText(actor: HistoryEvent['actor'], t: TFunction, names?: Names): string {
  if (actor.role === 'system') return t('history.system');
  // A household member answering the plan from the family's own view (issue 15): by alias.
  if (actor.role === 'member') {
    const alias = names?.member(actor.memberId);
    return alias ? `${alias} (${roleLabel(t, 'member')})` : roleLabel(t, 'member');
  }
  const named = 'id' in actor ? names?.person(actor.id) : null;
  if (named) return named;
  const username = 'username' in actor ? actor.username : null;
  return username ? `${username} (${roleLabel(t, actor.role)})` : roleLabel(t, actor.role);
}
