import { EXPORT_FORMAT, type FamilyExport } from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import { familyEvents } from '../db/events.ts';
import { findFamily } from '../db/families.ts';
import { toEventRecord } from '../engine/records.ts';
import { readFamily, requireRole, type CaseDeps, type Caller } from './context.ts';
import { peopleOf } from './people.ts';

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
