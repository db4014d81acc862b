import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { actorText, type Names } from '../audit/names.ts';
import { formatDateTime } from '../format.ts';
import type { FamilyState, HistoryEvent } from '../types.ts';
import { StateBadges } from './StateBadges.tsx';

// Small pieces the history, replay and event forms share. Who recorded an event comes from
// audit/names.ts (a name and role, never an id); payloads are told in sentences (audit/sentences.ts),
// never shown as data.
export { actorText } from '../audit/names.ts';

/** The state after an event, as the three regions' badges. */
export function StateAfter({ value }: { value: FamilyState }) {
  return <StateBadges state={value} />;
}

/**
 * Who recorded an event, when it was recorded and happened, and why: the facts the timeline, the
 * replay and the printed report show for each event. `extra` rows follow (the state afterwards).
 */
export function EventFacts({
  event,
  names,
  variant,
  className,
  children,
}: {
  event: Pick<HistoryEvent, 'actor' | 'recordedAt' | 'occurredAt' | 'reason'>;
  names: Names;
  variant: 'history' | 'replay';
  className: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <dl className={`facts ${className}`}>
      <div>
        <dt>{t(variant === 'replay' ? 'replay.decidedBy' : 'history.actor')}</dt>
        <dd data-testid={`${variant}-actor`}>{actorText(event.actor, t, names)}</dd>
      </div>
      <div>
        <dt>{t('history.recordedAt')}</dt>
        <dd>{formatDateTime(event.recordedAt)}</dd>
      </div>
      {event.occurredAt && event.occurredAt !== event.recordedAt ? (
        <div>
          <dt>{t('history.happenedAt')}</dt>
          <dd>{formatDateTime(event.occurredAt)}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t(variant === 'replay' ? 'replay.reason' : 'history.reason')}</dt>
        <dd data-testid={`${variant}-reason`}>
          {event.reason ?? <span className="muted">{t('history.noReason')}</span>}
        </dd>
      </div>
      {children}
    </dl>
  );
}
