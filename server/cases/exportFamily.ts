import { EXPORT_FORMAT, type AnonymisedReview, type FamilyExport } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { familyEvents } from '../db/events.ts';
import { findFamily } from '../db/families.ts';
import { toEventRecord } from '../engine/records.ts';
import { readFamily, requireRole, type CaseDeps, type Caller } from './context.ts';
import { anonymiseHistory } from './anonymise.ts';
import { mentionedIds, peopleOf } from './people.ts';
import { userPeople } from '../db/users.ts';

/** Only an auditor exports family histories (API.md "Audit"). */
export const EXPORT_ROLES: readonly Role[] = ['auditor'];

/**
 * A family's whole history with every hashed field and both hashes (GET /families/{id}/export),
 * logged as `export`: an offline verifier recomputes the chain from this document alone.
 */
export async function exportFamily(deps: CaseDeps, input: Caller & { familyId: string }): Promise<FamilyExport> {
  await requireRole(deps, input, EXPORT_ROLES, { action: 'export', familyId: input.familyId });
  return readFamily(deps, input, input.familyId, 'export', findFamily, async (tx, { row, at }) => {
    const events = (await familyEvents(tx, row.id)).map(toEventRecord);
    return {
      format: EXPORT_FORMAT,
      exportedAt: at.toISOString(),
      exportedBy: { id: input.principal.id, username: input.principal.username, displayName: input.principal.displayName },
      family: { id: row.id, reference: row.reference, municipality: row.municipality },
      // An EventRecord is exactly the hashed fields and the two hashes (engine/records.ts).
      events: events.map((e) => ({ ...e, actor: { id: e.actor.id, role: e.actor.role } })),
      people: await peopleOf(tx, events),
    };
  });
}

/**
 * The anonymised learning review of a family's history (GET /families/{id}/export?anonymised=true),
 * logged as `export`: no name, alias, reference, id, municipality, date or free text (anonymise.ts).
 */
export async function exportAnonymisedReview(deps: CaseDeps, input: Caller & { familyId: string }): Promise<AnonymisedReview> {
  await requireRole(deps, input, EXPORT_ROLES, { action: 'export', familyId: input.familyId });
  return readFamily(deps, input, input.familyId, 'export', findFamily, async (tx, { row }) => {
    const events = (await familyEvents(tx, row.id)).map(toEventRecord);
    const users = await userPeople(tx, [...mentionedIds(events)]);
    return anonymiseHistory(row.region, events, (id) => users.get(id)?.roles[0]);
  });
}
