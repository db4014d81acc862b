import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';
import { problemText } from '../forms/errors.tsx';

/** A list or page that could not be loaded: the problem in the user's words and a retry. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="form-error" role="alert">
      <p>{isApiError(error) ? problemText(error.problem, t) : t('errors.generic')}</p>
      <button type="button" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}
