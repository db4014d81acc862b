import type { TFunction } from 'i18next';
import { roleLabel } from '../labels.ts';
import type { FamilyState, HistoryEvent } from '../types.ts';
import { StateBadges } from './StateBadges.tsx';

export function actorText(actor: HistoryEvent['actor'], t: TFunction): string {
  if (actor.role === 'system') return t('history.system');
  const name = 'username' in actor && actor.username ? actor.username : 'id' in actor ? actor.id : '';
  return `${name} (${roleLabel(t, actor.role)})`;
}

function isFamilyState(v: unknown): v is FamilyState {
  return typeof v === 'object' && v !== null && typeof (v as FamilyState).phase === 'string';
}

/** stateAfter as badges when it has the FamilyState shape, else as plain text. */
export function StateAfter({ value }: { value: unknown }) {
  if (isFamilyState(value)) return <StateBadges state={value} />;
  return <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>;
}

/** The payload as read-only JSON: text only, so nothing in it can run. */
export function PayloadDetails({ payload, label }: { payload: unknown; label: string }) {
  if (
    payload === null ||
    payload === undefined ||
    (typeof payload === 'object' && Object.keys(payload).length === 0)
  ) {
    return null;
  }
  return (
    <details>
      <summary>{label}</summary>
      <pre className="payload">{JSON.stringify(payload, null, 2)}</pre>
    </details>
  );
}
