import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.ts';

// Server state lives in TanStack Query's cache. Keys are hierarchical so that one write can invalidate
// exactly what it may have changed: ['families', …] lists, ['family', id] one family (its view, history),
// ['monitoring', …], ['kpis', …], ['access-log', …].
export const keys = {
  families: (query: unknown) => ['families', query] as const,
  family: (id: string) => ['family', id] as const,
  history: (id: string) => ['family', id, 'history'] as const,
  monitoring: (page: number) => ['monitoring', page] as const,
  kpis: (query: unknown) => ['kpis', query] as const,
  accessLog: (query: unknown) => ['access-log', query] as const,
  directors: () => ['directors'] as const,
  users: (query: unknown) => ['users', query] as const,
  user: (id: string) => ['user', id] as const,
  norms: () => ['norms'] as const,
  adminLog: (query: unknown) => ['admin-log', query] as const,
  /** A family member's own view and access log (issue 15). */
  myFamily: (language: string) => ['my-family', language] as const,
  myAccessLog: (language: string) => ['my-family', language, 'access-log'] as const,
};

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Family data changes under other people's hands: refetch on focus and when a screen opens, but
      // do not hammer the server while someone switches back and forth.
      staleTime: 5_000,
      // A 4xx will not change by asking again; a network fault or 5xx may.
      retry: (count, error) => count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

/** After a write to family `id`: everything that shows that family, lists and figures is out of date. */
export function invalidateAfterWrite(id?: string): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['families'] }),
    queryClient.invalidateQueries({ queryKey: ['monitoring'] }),
    queryClient.invalidateQueries({ queryKey: ['kpis'] }),
    queryClient.invalidateQueries({ queryKey: ['access-log'] }),
    id ? queryClient.invalidateQueries({ queryKey: ['family', id, 'history'] }) : Promise.resolve(),
  ]).then(() => undefined);
}
