import type { FamilyState } from '../types.ts';
import { StateBadges } from './StateBadges.tsx';

// Small pieces the history, replay and event forms share. Who recorded an event comes from
// audit/names.ts (a name and role, never an id); payloads are told in sentences (audit/sentences.ts),
// never shown as data.
export { actorText } from '../audit/names.ts';

/** The state after an event, as the three regions' badges. */
export function StateAfter({ value }: { value: FamilyState }) {
  return <StateBadges state={value} />;
}
