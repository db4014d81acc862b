import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from './Announcer.tsx';
import { ListState } from './ListState.tsx';
import { Pager } from './Pager.tsx';
import type { Resource } from './useResource.ts';

// What the list screens share around their rows: the filters being edited and those applied, the
// filter form (a fieldset with its legend, the fields in a grid, one apply button), the table
// (scrollable wrapper, caption, column headers), and a paged list's states, rows and pager.

/**
 * A list's filters: `draft` as the form shows them, `filters` as applied (with the page); `apply`
 * is the form's submit (back to page 1), `setPage` the pager's.
 */
export function useListFilters<F extends object>(initial: F) {
  const [draft, setDraft] = useState<F>(initial);
  const [filters, setFilters] = useState<F & { page: number }>({ ...initial, page: 1 });
  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...draft, page: 1 });
  }
  const setPage = (page: number) => setFilters({ ...filters, page });
  return { draft, setDraft, filters, setFilters, apply, setPage };
}

/** Says `message` to screen readers each time the resource has (new) data. */
export function useAnnounceLoaded(resource: Resource<unknown>, message: string) {
  const announce = useAnnounce();
  useEffect(() => {
    if (resource.status === 'ready') announce(message);
  }, [resource.status, resource.data, message, announce]);
}

/**
 * A paged list: loading, error or empty (ListState), the rows as `children` renders them when there
 * are any, and the pager once data is there.
 */
export function PagedList<T>({
  list,
  empty,
  page,
  pageSize,
  onPage,
  children,
}: {
  list: Resource<{ items: readonly T[]; total: number }>;
  empty: string;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  children: (items: readonly T[], total: number) => ReactNode;
}) {
  return (
    <>
      <ListState list={list} empty={empty} />
      {list.data && list.data.items.length > 0 ? children(list.data.items, list.data.total) : null}
      {list.data ? <Pager page={page} total={list.data.total} pageSize={pageSize} onPage={onPage} /> : null}
    </>
  );
}

/** A list's filter form; `legend` and `applyLabel` default to the family list's words. */
export function FilterForm({
  onSubmit,
  legend,
  applyLabel,
  noValidate = true,
  role,
  label,
  children,
}: {
  onSubmit: (e: FormEvent) => void;
  legend?: string;
  applyLabel?: string;
  noValidate?: boolean;
  role?: 'search';
  label?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="filters"
      onSubmit={onSubmit}
      noValidate={noValidate || undefined}
      role={role}
      aria-label={label}
    >
      <fieldset>
        <legend>{legend ?? t('families.filters')}</legend>
        <div className="filter-grid">{children}</div>
        <div className="button-row">
          <button type="submit" className="primary">
            {applyLabel ?? t('families.apply')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/**
 * A table in its scrollable wrapper with caption and column headers. With `captionId` the wrapper is
 * a focusable region named by the caption (so keyboard users can scroll it).
 */
export function DataTable({
  className,
  caption,
  captionId,
  columns,
  children,
}: {
  className: string;
  caption: string;
  captionId?: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  const region = captionId ? ({ tabIndex: 0, role: 'region', 'aria-labelledby': captionId } as const) : {};
  return (
    <div className="table-wrap" {...region}>
      <table className={className}>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
