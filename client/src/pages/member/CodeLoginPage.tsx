import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAnnounce } from '../../components/Announcer.tsx';
import { TextField } from '../../components/fields.tsx';
import { SignInForm } from '../../components/SignInForm.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useSession } from '../../session.tsx';

/**
 * A family member signs in with the one-time code their case director gave them (issue 15). The code
 * works once; after it, or when the session ended, the director gives a new one.
 */
export function CodeLoginPage({ notice }: { notice?: 'loggedOut' | 'expired' }) {
  const { t } = useTranslation();
  const { loginWithCode } = useSession();
  const announce = useAnnounce();
  usePageTitle(t('codeLogin.title'));
  const [code, setCode] = useState('');

  return (
    <section className="login" aria-labelledby="code-login-title">
      <h1 id="code-login-title">{t('codeLogin.title')}</h1>
      <p>{t('codeLogin.intro')}</p>
      {notice ? (
        <p className="notice">{t(notice === 'expired' ? 'codeLogin.expired' : 'codeLogin.loggedOut')}</p>
      ) : null}
      <SignInForm
        id="code-login"
        words={{
          missing: t('codeLogin.missing'),
          failed: t('codeLogin.failed'),
          tooMany: (seconds) => t('codeLogin.tooMany', { seconds }),
        }}
        send={() =>
          code.trim() ? loginWithCode(code.trim()).then(() => announce(t('codeLogin.welcome'))) : false
        }
        onFailed={() => setCode('')}
        submitLabel={t('codeLogin.submit')}
      >
        <TextField
          id="code-login-code"
          label={t('codeLogin.code')}
          hint={t('codeLogin.codeHint')}
          value={code}
          onChange={setCode}
          autoComplete="one-time-code"
          spellCheck={false}
          autoCapitalize="characters"
          required
        />
      </SignInForm>
      <p>
        <Link to="/login">{t('codeLogin.toLogin')}</Link>
      </p>
    </section>
  );
}
