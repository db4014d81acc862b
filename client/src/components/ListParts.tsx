import { useEffect, useState, type ComponentProps, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from './Announcer.tsx';
import { TextField } from './fields.tsx';
import { ListState } from './ListState.tsx';
import { Pager } from './Pager.tsx';
import type { Resource } from './useResource.ts';

// What the list screens share around their rows: the filters being edited and those applied, the
// filter form (a fieldset with its legend, the fields in a grid, one apply button), the table
// (scrollable wrapper, caption, column headers), and a paged table with its states and pager.

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
 * A paged table: loading, error or empty (ListState), the table of the rows when there are any
 * (caption from the total, one `row` per item), and the pager once data is there.
 */
export function PagedTable<T>({
  list,
  empty,
  page,
  pageSize,
  onPage,
  caption,
  row,
  ...table
}: {
  list: Resource<{ items: readonly T[]; total: number }>;
  empty: string;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  caption: (total: number) => string;
  row: (item: T) => ReactNode;
} & Omit<ComponentProps<typeof DataTable>, 'caption' | 'children'>) {
  return (
    <>
      <ListState list={list} empty={empty} />
      {list.data && list.data.items.length > 0 ? (
        <DataTable caption={caption(list.data.total)} {...table}>
          {list.data.items.map(row)}
        </DataTable>
      ) : null}
      {list.data ? <Pager page={page} total={list.data.total} pageSize={pageSize} onPage={onPage} /> : null}
    </>
  );
}

/** A filter's period: from and to as date inputs, ids `${prefix}-from` and `${prefix}-to`. */
export function DateRangeFields<D extends { from: string; to: string }>({
  prefix,
  draft,
  setDraft,
}: {
  prefix: string;
  draft: D;
  setDraft: (draft: D) => void;
}) {
  const { t } = useTranslation();
  return (['from', 'to'] as const).map((k) => (
    <TextField
      key={k}
      id={`${prefix}-${k}`}
      label={t(`kpis.${k}`)}
      type="date"
      value={draft[k]}
      onChange={(v) => setDraft({ ...draft, [k]: v })}
    />
  ));
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

/** A table's header row from its column labels. */
export function columnHeads(labels: string[]) {
  return (
    <thead>
      <tr>
        {labels.map((h) => (
          <th scope="col" key={h}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
