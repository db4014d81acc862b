import { useTranslation } from 'react-i18next';
import { formatDate } from '../format.ts';
import type { FamilyView } from '../types.ts';

/**
 * The approach's timeline (seed 001: direct safety and a safety plan from month 0, stable safety
 * towards month 6–7, recovery 7+) and where the family stands on it: each step with the date it was
 * last entered, the current one marked in words (not by colour alone), and the months since direct
 * safety started in this round.
 */
const steps = [
  { key: 'start', phases: ['reported', 'assessment', 'investigation'], month: 'before' },
  { key: 'directSafety', phases: ['directSafety'], month: '0' },
  { key: 'stableSafety', phases: ['stableSafety'], month: '6' },
  { key: 'recovery', phases: ['recovery'], month: '7' },
] as const;

function stepOf(phase: string): number {
  const top = phase.split('.')[0]!;
  return steps.findIndex((s) => (s.phases as readonly string[]).includes(top));
}

/** Whole calendar months from `from` to `to`. */
function monthsBetween(from: Date, to: Date): number {
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (to.getUTCDate() < from.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

export function PhaseTrack({ data, now }: { data: FamilyView; now: number }) {
  const { t } = useTranslation();
  const closed = data.state.phase === 'closed';
  const history = data.phaseHistory;
  // This round starts at the last report (a closed family reported again starts afresh).
  const roundStart = history.map((p) => p.phase).lastIndexOf('reported');
  const round = roundStart >= 0 ? history.slice(roundStart) : history;
  // After closure the step reached before it stays the last one done.
  const reached = closed ? Math.max(-1, ...round.map((p) => stepOf(p.phase))) : stepOf(data.state.phase);
  /** The last stay in step i: from its first entry to the entry into the next step (null while it lasts). */
  const stayIn = (i: number): { from: string; to: string | null } | null => {
    let j = round.map((p) => stepOf(p.phase)).lastIndexOf(i);
    if (j < 0) return null;
    const end = round[j + 1]?.at ?? null;
    while (j > 0 && stepOf(round[j - 1]!.phase) === i) j -= 1;
    return { from: round[j]!.at, to: end };
  };
  const directStart = round.find((p) => stepOf(p.phase) === 1)?.at ?? null;

  return (
    <section aria-labelledby="phase-track-title" className="phase-track-section">
      <h2 id="phase-track-title">{t('phaseTrack.title')}</h2>
      <ol className="phase-track">
        {steps.map((s, i) => {
          const stay = stayIn(i);
          // A step ahead that was reached before (an incident sent the family back) says so.
          const status = closed || i < reached ? 'done' : i === reached ? 'current' : stay ? 'earlier' : 'ahead';
          const when = !stay
            ? ''
            : stay.to && status !== 'current'
              ? ` · ${formatDate(stay.from)} – ${formatDate(stay.to)}`
              : ` · ${t('phaseTrack.since', { date: formatDate(stay.from) })}`;
          return (
            <li key={s.key} className={`phase-step ${status === 'earlier' ? 'ahead' : status}`} aria-current={status === 'current' ? 'step' : undefined}>
              <span className="phase-month">{t(`phaseTrack.month.${s.month}`)}</span>
              <span className="phase-name">{t(`phaseTrack.step.${s.key}`)}</span>
              <span className="phase-status">
                {t(`phaseTrack.status.${status}`)}
                {when}
              </span>
            </li>
          );
        })}
      </ol>
      <p data-testid="phase-track-summary">
        {closed
          ? t('phaseTrack.closed')
          : directStart
            ? t('phaseTrack.monthsSince', { count: monthsBetween(new Date(directStart), new Date(now)), date: formatDate(directStart) })
            : t('phaseTrack.notStarted')}
      </p>
    </section>
  );
}
