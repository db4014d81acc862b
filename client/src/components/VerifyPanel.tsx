import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { verifySchema } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { problemText } from '../forms/errors.tsx';
import type { Verify } from '../types.ts';
import { useAnnounce } from './Announcer.tsx';

/** Recomputes the hash chain on the server and says whether it holds, or where it first breaks. */
export function VerifyPanel({ familyId }: { familyId: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; result: Verify } | { kind: 'error'; text: string }
  >({ kind: 'idle' });

  async function verify() {
    setState({ kind: 'busy' });
    announce(t('verify.busy'));
    try {
      const result = await api.get(verifySchema, `/families/${encodeURIComponent(familyId)}/verify`);
      setState({ kind: 'done', result });
      announce(
        result.valid
          ? t('verify.valid', { count: result.events })
          : t('verify.broken', { seq: result.brokenAt ?? '?' }),
      );
    } catch (e) {
      const text = isApiError(e) ? problemText(e.problem, t) : t('errors.generic');
      setState({ kind: 'error', text });
      announce(text);
    }
  }

  return (
    <section className="verify" aria-labelledby="verify-title" aria-busy={state.kind === 'busy'}>
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p className="hint">{t('verify.explain')}</p>
      <button
        type="button"
        onClick={() => void verify()}
        disabled={state.kind === 'busy'}
        data-testid="verify"
      >
        {t('verify.button')}
      </button>
      {state.kind === 'busy' ? (
        <p className="loading">
          <progress aria-label={t('verify.busy')} /> {t('verify.busy')}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <p className={state.result.valid ? 'notice success' : 'form-error'} data-testid="verify-result">
          {state.result.valid
            ? t('verify.valid', { count: state.result.events })
            : t('verify.broken', { seq: state.result.brokenAt ?? '?' })}
        </p>
      ) : null}
      {state.kind === 'error' ? <p className="form-error">{state.text}</p> : null}
    </section>
  );
}
