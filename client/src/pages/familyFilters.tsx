import { createContext, startTransition, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';

// The list's state is in the URL (back, reload and a shared link keep it) except the search text: it
// may hold a name, and names never go into URLs (history, logs, referrers). The search text lives in
// memory only, per signed-in user.
export type FamilyFilters = {
  phase: string;
  municipality: string;
  mine: boolean;
  overdue: boolean;
  /** '' any, 'pending' every pending handover, 'offeredToMe' the director's inbox. */
  handover: '' | 'pending' | 'offeredToMe';
  escalated: boolean;
  q: string;
  page: number;
  pageSize: number;
  sort: string;
};

export const pageSizes = [25, 50, 100] as const;
const handoverValues = ['pending', 'offeredToMe'] as const;

export const emptyFilters: FamilyFilters = {
  phase: '',
  municipality: '',
  mine: false,
  overdue: false,
  handover: '',
  escalated: false,
  q: '',
  page: 1,
  pageSize: 25,
  sort: '',
};

const SearchText = createContext<{ q: string; setQ: (q: string) => void } | null>(null);

export function FamilyFiltersProvider({ children }: { children: ReactNode }) {
  const [q, setQ] = useState('');
  const value = useMemo(() => ({ q, setQ }), [q]);
  return <SearchText.Provider value={value}>{children}</SearchText.Provider>;
}

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
};

/** Reads the filters from the URL (anything unreadable falls back to its default). */
export function filtersFrom(params: URLSearchParams, q: string): FamilyFilters {
  const size = positive(params.get('pageSize'), emptyFilters.pageSize);
  return {
    phase: params.get('phase') ?? '',
    municipality: params.get('municipality') ?? '',
    mine: params.get('director') === 'me',
    overdue: params.get('overdue') === 'true',
    handover: handoverValues.find((h) => h === params.get('handover')) ?? '',
    escalated: params.get('escalated') === 'true',
    q,
    page: positive(params.get('page'), 1),
    pageSize: (pageSizes as readonly number[]).includes(size) ? size : emptyFilters.pageSize,
    sort: params.get('sort') ?? '',
  };
}

/** Only what differs from the default goes into the URL; never an empty value (the API refuses `?q=`). */
export function paramsOf(f: FamilyFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.phase) p.set('phase', f.phase);
  if (f.municipality) p.set('municipality', f.municipality);
  if (f.mine) p.set('director', 'me');
  if (f.overdue) p.set('overdue', 'true');
  if (f.handover) p.set('handover', f.handover);
  if (f.escalated) p.set('escalated', 'true');
  if (f.sort) p.set('sort', f.sort);
  if (f.page > 1) p.set('page', String(f.page));
  if (f.pageSize !== emptyFilters.pageSize) p.set('pageSize', String(f.pageSize));
  return p;
}

export function useFamilyFilters() {
  const ctx = useContext(SearchText);
  if (!ctx) throw new Error('useFamilyFilters outside its provider');
  const [params, setParams] = useSearchParams();
  const { q, setQ } = ctx;
  const filters = useMemo(() => filtersFrom(params, q), [params, q]);
  const setFilters = useCallback(
    (f: FamilyFilters) => {
      // One update: the router applies the URL in a transition, so a plain setQ would render the new
      // text with the old URL first (and ask the API for that mix, losing the phase; issue 12).
      startTransition(() => {
        setQ(f.q);
        setParams(paramsOf(f));
      });
    },
    [setParams, setQ],
  );
  return { filters, setFilters };
}
