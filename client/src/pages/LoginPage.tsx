import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAnnounce } from '../components/Announcer.tsx';
import { TextField } from '../components/fields.tsx';
import { SignInForm } from '../components/SignInForm.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useSession } from '../session.tsx';

export function LoginPage({ notice }: { notice?: 'loggedOut' | 'expired' }) {
  const { t } = useTranslation();
  const { login } = useSession();
  const announce = useAnnounce();
  usePageTitle(t('login.title'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  return (
    <section className="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      {notice ? (
        <p className="notice">{t(notice === 'expired' ? 'login.expired' : 'login.loggedOut')}</p>
      ) : null}
      <SignInForm
        id="login"
        words={{
          missing: t('login.missing'),
          failed: t('login.failed'),
          tooMany: (seconds) => t('login.tooMany', { seconds }),
        }}
        send={() =>
          !username.trim() || !password
            ? false
            : login(username.trim(), password).then((user) => {
                // The signed-in routes take over from here and return to the page that asked for sign-in.
                announce(t('login.welcome', { name: user.displayName }));
              })
        }
        onFailed={() => setPassword('')}
        submitLabel={t('login.submit')}
      >
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
      </SignInForm>
      <p>
        {t('login.newAccount')} <Link to="/activate">{t('login.activate')}</Link>
      </p>
      <section className="member-login" aria-labelledby="member-login-title">
        <h2 id="member-login-title">{t('login.memberTitle')}</h2>
        <p>{t('login.memberIntro')}</p>
        <p>
          <Link to="/toegangscode" className="button-link">
            {t('login.withCode')}
          </Link>
        </p>
      </section>
    </section>
  );
}
