import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';
import { problemText } from '../forms/errors.tsx';
import type { Resource } from './useResource.ts';

/** Why a load failed, in the user's words: the server's problem, or the generic message. */
export function ProblemAlert({ error, text }: { error: unknown; text?: string }) {
  const { t } = useTranslation();
  return (
    <p className="form-error" role="alert">
      {text ?? (isApiError(error) ? problemText(error.problem, t) : t('errors.generic'))}
    </p>
  );
}

/** A resource's first load and its failure: "loading" until data first arrives, then the error if any. */
export function LoadState({ resource, busy }: { resource: Resource<unknown>; busy?: boolean }) {
  const { t } = useTranslation();
  if (resource.status === 'error') return <ProblemAlert error={resource.error} />;
  if (resource.status === 'loading' && !resource.data)
    return (
      <p className="loading" aria-busy={busy || undefined}>
        {t('common.loading')}
      </p>
    );
  return null;
}

/** What a list shows besides its rows: loading the first time, the error, or that it is empty. */
export function ListState({ list, empty }: { list: Resource<{ items: readonly unknown[] }>; empty: string }) {
  const { t } = useTranslation();
  if (list.status === 'error') return <ProblemAlert error={list.error} />;
  if (!list.data) return <p className="loading">{t('common.loading')}</p>;
  return list.data.items.length === 0 ? <p>{empty}</p> : null;
}
