import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatechartProps } from './StatechartDiagram.tsx';

// The diagram's own chunk (elkjs, @xyflow/react and the machine definition) is fetched only when a
// screen shows it: the first bundle stays small (issue 18).
const Diagram = lazy(() => import('./StatechartDiagram.tsx').then((m) => ({ default: m.StatechartDiagram })));

export function Statechart(props: StatechartProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="loading">{t('statechart.loading')}</p>}>
      <Diagram {...props} />
    </Suspense>
  );
}
