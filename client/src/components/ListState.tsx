import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';
import { problemText } from '../forms/errors.tsx';
import type { Resource } from './useResource.ts';

/** What a list shows besides its rows: loading the first time, the error, or that it is empty. */
export function ListState({ list, empty }: { list: Resource<{ items: readonly unknown[] }>; empty: string }) {
  const { t } = useTranslation();
  if (list.status === 'error')
    return (
      <p className="form-error" role="alert">
        {isApiError(list.error) ? problemText(list.error.problem, t) : t('errors.generic')}
      </p>
    );
  if (!list.data) return <p className="loading">{t('common.loading')}</p>;
  return list.data.items.length === 0 ? <p>{empty}</p> : null;
}
