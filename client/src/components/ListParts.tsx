import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// What the list screens share around their rows: the filter form (a fieldset with its legend, the
// fields in a grid, one apply button) and the table (scrollable wrapper, caption, column headers).

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
