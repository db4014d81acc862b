import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { TextField } from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { problemText } from '../forms/errors.tsx';
import { useSession } from '../session.tsx';

export function LoginPage({ notice }: { notice?: 'loggedOut' | 'expired' }) {
  const { t } = useTranslation();
  const { login } = useSession();
  const announce = useAnnounce();
  usePageTitle(t('login.title'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const user = await login(username.trim(), password);
      // The signed-in routes take over from here and return to the page that asked for sign-in.
      announce(t('login.welcome', { name: user.displayName }));
    } catch (err) {
      setPassword('');
      if (isApiError(err) && err.status === 401) setError(t('login.failed'));
      else if (isApiError(err) && err.status === 429)
        setError(t('login.tooMany', { seconds: err.problem.retryAfter ?? 60 }));
      else setError(isApiError(err) ? problemText(err.problem, t) : t('errors.generic'));
      setBusy(false);
    }
  }

  return (
    <section className="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      {notice ? (
        <p className="notice">{t(notice === 'expired' ? 'login.expired' : 'login.loggedOut')}</p>
      ) : null}
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
        aria-describedby={error ? 'login-error' : undefined}
      >
        {error ? (
          <p className="form-error" id="login-error" role="alert">
            {error}
          </p>
        ) : null}
        <TextField
          id="login-username"
          label={t('login.username')}
          value={username}
          onChange={setUsername}
          autoComplete="username"
          required
        />
        <TextField
          id="login-password"
          label={t('login.password')}
          value={password}
          onChange={setPassword}
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      <p>
        {t('login.newAccount')} <Link to="/activate">{t('login.activate')}</Link>
      </p>
    </section>
  );
}
