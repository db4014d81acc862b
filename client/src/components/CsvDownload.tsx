import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withQuery, type Query } from '../api.ts';
import { currentLanguage } from '../i18n/index.ts';

/**
 * A button that downloads what `path` answers as CSV (Accept: text/csv; the server logs the
 * download like the screen's own read). While it loads the button says so; a failure is said in words.
 */
export function CsvDownload({ path, query, filename, label }: { path: string; query: Query; filename: string; label: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  async function download() {
    setState('busy');
    try {
      const res = await fetch(withQuery(`/api/v1${path}`, query), {
        headers: { Accept: 'text/csv', 'Accept-Language': currentLanguage() },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(String(res.status));
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState('idle');
    } catch {
      setState('failed');
    }
  }
  return (
    <div className="csv-download">
      <button type="button" className="secondary" onClick={() => void download()} aria-busy={state === 'busy'} disabled={state === 'busy'}>
        {state === 'busy' ? t('kpis.downloading') : label}
      </button>
      <span role="status">{state === 'failed' ? t('kpis.downloadFailed') : ''}</span>
    </div>
  );
}
