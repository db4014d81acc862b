import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';

export type Resource<T> =
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: unknown };

/**
 * One server resource through TanStack Query's cache: `key` names it (see queries.ts), `load` fetches
 * and parses it, aborted when the key changes so a slow answer for old filters never shows. While a
 * newer answer is on its way the previous data stays on screen (status "loading" with data).
 * `reload()` fetches again; `set()` puts a fresher copy (e.g. the answer to a write) in the cache.
 */
export function useResource<T>(key: QueryKey, load: (signal: AbortSignal) => Promise<T>) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => load(signal),
    placeholderData: (previous) => previous,
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  const keyText = JSON.stringify(key);
  const set = useCallback(
    (data: T) => client.setQueryData(JSON.parse(keyText) as QueryKey, data),
    [client, keyText],
  );
  const state: Resource<T> = query.isError
    ? { status: 'error', data: query.data, error: query.error }
    : query.isFetching || query.data === undefined
      ? { status: 'loading', data: query.data }
      : { status: 'ready', data: query.data };
  return { ...state, reload, set };
}
