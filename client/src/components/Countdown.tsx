import { useTranslation } from 'react-i18next';

const DAY = 86_400_000;

/** "nog 3 dagen" / "vandaag" / "2 dagen over tijd", relative to the server's now. */
export function Countdown({ dueAt, now }: { dueAt: string; now: number }) {
  const { t } = useTranslation();
  const ms = new Date(dueAt).getTime() - now;
  const overdue = ms < 0;
  const days = Math.floor(Math.abs(ms) / DAY);
  const text = overdue
    ? days === 0
      ? t('countdown.today')
      : t('countdown.overdueDays', { count: days })
    : days === 0
      ? t('countdown.today')
      : t('countdown.inDays', { count: days });
  return <span className={overdue ? 'countdown overdue' : 'countdown'}>{text}</span>;
}
