import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { anonymisedReviewSchema, familyExportSchema } from '../../../contract/index.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { currentLanguage } from '../i18n/index.ts';

/**
 * Downloads the family's export (veilig-pad-export/1) as the server wrote it: the file is saved byte
 * for byte, so `npm run verify-export -- FILE` recomputes exactly the chain the server hashed. The
 * answer is checked against the contract first; a file that is not an export is never offered.
 */
type Kind = 'export' | 'review';

export function ExportPanel({ familyId, reference }: { familyId: string; reference: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'error'>('idle');
  const [kind, setKind] = useState<Kind>('export');

  async function download(which: Kind) {
    setKind(which);
    setState('busy');
    try {
      const query = which === 'review' ? '?anonymised=true' : '';
      const res = await fetch(`/api/v1/families/${encodeURIComponent(familyId)}/export${query}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Accept-Language': currentLanguage() },
      });
      const text = await res.text();
      const schema = which === 'review' ? anonymisedReviewSchema : familyExportSchema;
      if (!res.ok || !schema.safeParse(JSON.parse(text)).success) throw new Error('not an export');
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      // The review's file name carries nothing that could identify the family.
      a.download = which === 'review' ? 'veilig-pad-leerreview.json' : `veilig-pad-export-${reference}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
      setState('done');
      announce(t(`export.${which}Done`));
    } catch {
      setState('error');
      announce(t('export.failed'));
    }
  }

  return (
    <section className="export" aria-labelledby="export-title" aria-busy={state === 'busy'}>
      <h2 id="export-title">{t('export.title')}</h2>
      <p className="hint">{t('export.explain')}</p>
      <div className="button-row">
        <button type="button" onClick={() => void download('export')} disabled={state === 'busy'} data-testid="export">
          {t('export.button')}
        </button>
        <button type="button" onClick={() => void download('review')} disabled={state === 'busy'} data-testid="export-review">
          {t('export.reviewButton')}
        </button>
        <button type="button" onClick={() => window.print()} data-testid="print">
          {t('export.print')}
        </button>
      </div>
      <p className="hint">{t('export.reviewExplain')}</p>
      {state === 'busy' ? <p className="loading">{t('export.busy')}</p> : null}
      {state === 'done' ? (
        <p className="notice success" data-testid="export-result">
          {t(`export.${kind}Done`)}
        </p>
      ) : null}
      {state === 'error' ? <p className="form-error">{t('export.failed')}</p> : null}
    </section>
  );
}
