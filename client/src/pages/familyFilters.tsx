import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

// The list's filters and search text live in memory only: never in the URL (it would end up in
// history, logs and referrers) and never in browser storage.
export type FamilyFilters = {
  phase: string;
  municipality: string;
  mine: boolean;
  overdue: boolean;
  q: string;
  page: number;
  pageSize: number;
};

export const emptyFilters: FamilyFilters = {
  phase: '',
  municipality: '',
  mine: false,
  overdue: false,
  q: '',
  page: 1,
  pageSize: 25,
};

const Ctx = createContext<{ filters: FamilyFilters; setFilters: (f: FamilyFilters) => void } | null>(null);

export function FamilyFiltersProvider({ children }: { children: ReactNode }) {
  const [filters, setFilters] = useState<FamilyFilters>(emptyFilters);
  const value = useMemo(() => ({ filters, setFilters }), [filters]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useFamilyFilters() {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useFamilyFilters outside its provider');
  return ctx;
}
