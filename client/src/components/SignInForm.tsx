import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';
import { problemText } from '../forms/errors.tsx';

export type SignInWords = {
  /** When a field is left empty. */
  missing: string;
  /** A 401: the credentials do not open a session. */
  failed: string;
  /** A 429: the throttle's wait, in seconds. */
  tooMany: (seconds: number) => string;
};

/**
 * A sign-in form (a professional's password, a family member's access code): its error at the top
 * (the user's words for a 401 and a 429, else the server's problem), busy while it waits. `send`
 * returns false when a field is empty; `onFailed` clears what must not stay (a password, a code).
 */
export function SignInForm({
  id,
  words,
  send,
  onFailed,
  submitLabel,
  children,
}: {
  id: string;
  words: SignInWords;
  send: () => Promise<void> | false;
  onFailed: () => void;
  submitLabel: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const sending = send();
    if (sending === false) {
      setError(words.missing);
      return;
    }
    setBusy(true);
    setError('');
    try {
      // The signed-in routes take over from here.
      await sending;
    } catch (err) {
      onFailed();
      if (isApiError(err) && err.status === 401) setError(words.failed);
      else if (isApiError(err) && err.status === 429) setError(words.tooMany(err.problem.retryAfter ?? 60));
      else setError(isApiError(err) ? problemText(err.problem, t) : t('errors.generic'));
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-busy={busy}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      {error ? (
        <p className="form-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {children}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('login.busy') : submitLabel}
      </button>
    </form>
  );
}
