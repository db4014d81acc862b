import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FamilyView } from '../../types.ts';
import { Statechart } from './Statechart.tsx';

/**
 * The family page's diagram, folded: its chunk is fetched only when the reader opens it, so the family
 * page loads no layout or drawing library by itself.
 */
export function FamilyStatechart({
  family,
}: {
  family: Pick<FamilyView, 'machineVersion' | 'state' | 'allowedEvents'>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <details
      className="statechart-fold"
      onToggle={(e) => setOpen(e.currentTarget.open)}
      data-testid="family-statechart"
    >
      <summary>{t('statechart.show')}</summary>
      {open ? (
        <Statechart
          machineVersion={family.machineVersion}
          state={family.state}
          allowed={family.allowedEvents}
          level={2}
        />
      ) : null}
    </details>
  );
}
