import type { TFunction } from 'i18next';
import { deadlineKindLabel, measureKindLabel, roleLabel } from '../labels.ts';
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

/** The one fact that tells events of a type apart in a list (which decision, which deadline). */
export function eventDetail(type: string, payload: unknown, t: TFunction): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (type) {
    case 'assessment.completed':
    case 'investigation.completed':
      return str(p.decision) ? t(`decision.${str(p.decision)}`) : null;
    case 'deadline.missed':
      return str(p.kind) ? deadlineKindLabel(t, str(p.kind)!) : null;
    case 'measure.imposed':
      return str(p.kind) ? measureKindLabel(t, str(p.kind)!) : null;
    case 'incident.reported':
      return str(p.severity) ? t(`severity.${str(p.severity)}`) : null;
    case 'case.closed':
      return str(p.reasonCode) ? t(`closeReason.${str(p.reasonCode)}`) : null;
    case 'escalation.raised':
      return str(p.to) ? t(`escalationTarget.${str(p.to)!.replace(/\+/g, 'plus')}`) : null;
    default:
      return null;
  }
}
