import { useTranslation } from 'react-i18next';

/** Previous / next for a paged list; shown only when there is more than one page. */
export function Pager({ page, total, pageSize, onPage }: { page: number; total: number; pageSize: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  if (total <= pageSize) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('families.paging')}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('families.previous')}
      </button>
      <span>{t('families.pageOf', { page, pages })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('families.next')}
      </button>
    </nav>
  );
}
