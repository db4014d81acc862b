import type { MyFamily } from '../../contract/index.ts';
import type { CaseDeps, Caller } from './context.ts';
import { directorName, readOwnFamily } from './memberFamily.ts';
import { memberView } from './memberView.ts';
import type { Language } from './memberWords.ts';

/** GET /my-family: a household member reads their family's own view, in words (logged `read`). */
export async function viewMyFamily(deps: CaseDeps, input: Caller & { lang: Language }): Promise<MyFamily> {
  return readOwnFamily(deps, input, 'read', async (tx, own) =>
    memberView(own.record.snapshot, own.memberId, { lang: input.lang, now: own.at, directorName: await directorName(tx, own.record) }),
  );
}
