import { useTranslation } from 'react-i18next';
import { escalationLabel, oversightLabel, phaseGroup, phaseLabel } from '../labels.ts';
import type { FamilyState } from '../types.ts';

/** The three regions of the statechart as text badges; colour only repeats what the words say. */
export function StateBadges({ state }: { state: FamilyState }) {
  const { t } = useTranslation();
  return (
    <span className="badges">
      <span className={`badge phase-${phaseGroup(state.phase)}`}>
        <span className="visually-hidden">{t('family.phase')}: </span>
        {phaseLabel(t, state.phase)}
      </span>
      <span className={`badge oversight-${state.oversight}`}>
        <span className="visually-hidden">{t('family.oversight')}: </span>
        {oversightLabel(t, state.oversight)}
      </span>
      {state.escalation && state.escalation !== 'none' ? (
        <span className="badge escalated">
          <span className="visually-hidden">{t('family.escalation')}: </span>
          {escalationLabel(t, state.escalation)}
        </span>
      ) : null}
    </span>
  );
}
