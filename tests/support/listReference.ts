/**
 * The family list's row as it was built before the list read columns only (server/cases/views.ts
 * familySummary at commit e8a6261): from each family's parsed snapshot, deadlines derived at read
 * time. Kept verbatim as the reference the write-time columns (overdueKind, planDisagreement,
 * nextDueKind) must reproduce exactly.
 */
import { openDeadlinesOf, planDisagreement, stateOf, type Deadline, type FamilyContextV2, type Norms, type PersistedFamily } from '../../machines/index.ts';
import type { FamilySummary, UserRef } from '../../contract/index.ts';
import type { FamilyRecord } from '../../server/engine/records.ts';
import { owedDeadlines, urgencyOf, waitingSinceOf } from '../../server/engine/projections.ts';

type UserRefs = ReadonlyMap<string, UserRef>;

function refOf(refs: UserRefs, id: string | null): UserRef | null {
  if (!id) return null;
  return refs.get(id) ?? { id, username: id, displayName: id };
}

function overdueDeadlines(snapshot: PersistedFamily, norms: Norms, now: Date): Deadline[] {
  return owedDeadlines(snapshot, norms).filter((d) => Date.parse(d.dueAt) <= now.getTime());
}

function nextDueKindOf(family: FamilyRecord, norms: Norms): string | null {
  if (!family.nextDueAt) return null;
  const due = Date.parse(family.nextDueAt);
  return openDeadlinesOf(family.snapshot, norms).find((d) => Date.parse(d.dueAt) === due)?.kind ?? null;
}

function overdueOf(first: Deadline | undefined): Pick<FamilySummary, 'overdue' | 'overdueKind' | 'overdueSince'> {
  return { overdue: first !== undefined, overdueKind: first?.kind ?? null, overdueSince: first?.dueAt ?? null };
}

export function referenceFamilySummary(family: FamilyRecord, refs: UserRefs, norms: Norms, now: Date): FamilySummary {
  return {
    id: family.id,
    reference: family.reference,
    municipality: family.municipality,
    version: family.version,
    state: stateOf(family.snapshot),
    caseDirector: refOf(refs, family.directorId),
    pendingDirector: refOf(refs, family.pendingDirectorId),
    acute: family.acute,
    reportedAt: family.reportedAt,
    nextDueAt: family.nextDueAt,
    nextDueKind: nextDueKindOf(family, norms),
    ...overdueOf(overdueDeadlines(family.snapshot, norms, now)[0]),
    urgency: urgencyOf(family.snapshot),
    waitingSince: waitingSinceOf(family.snapshot, family.reportedAt)?.toISOString() ?? null,
    planDisagreement: family.snapshot.version >= 2 && planDisagreement(family.snapshot.context as FamilyContextV2),
    updatedAt: family.updatedAt,
  };
}
