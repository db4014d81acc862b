import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loginResponseSchema, meResponseSchema } from '../../contract/index.ts';
import { api, isApiError, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import { queryClient } from './queries.ts';
import { setClockMode } from './serverClock.ts';
import type { Role, User } from './types.ts';

type SessionState =
  | { status: 'loading' }
  // `member`: the session that ended was a family member's, who signs in again with a new code.
  | { status: 'anonymous'; reason?: 'loggedOut' | 'expired'; member?: boolean }
  | { status: 'authenticated'; user: User };

type SessionApi = {
  session: SessionState;
  login: (username: string, password: string) => Promise<User>;
  /** A family member signs in with the one-time code their case director gave them (issue 15). */
  loginWithCode: (accessCode: string) => Promise<User>;
  logout: () => Promise<void>;
};

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setSession((s) =>
        s.status === 'authenticated' ? { status: 'anonymous', reason: 'expired', member: isMember(s.user) } : s,
      );
    });
    // Without the server's "signed in" cookie there is no session to resume: show the sign-in form
    // at once instead of asking /me for a 401.
    if (!/(?:^|;\s*)vp_signed_in=/.test(document.cookie)) {
      setSession({ status: 'anonymous' });
      return () => {
        cancelled = true;
        setUnauthenticatedHandler(null);
      };
    }
    api
      .get(meResponseSchema, '/me')
      .then((me) => {
        if (cancelled) return;
        setCsrfToken(me.csrfToken);
        setClockMode(me.clock);
        setSession({ status: 'authenticated', user: me });
      })
      .catch(() => {
        if (!cancelled) setSession({ status: 'anonymous' });
      });
    return () => {
      cancelled = true;
      setUnauthenticatedHandler(null);
    };
  }, []);

  const begin = useCallback(async (body: { username: string; password: string } | { accessCode: string }) => {
    const res = await api.post(loginResponseSchema, '/session', body);
    // The bearer token is deliberately dropped: the browser authenticates with the HttpOnly cookie.
    setCsrfToken(res.csrfToken);
    setClockMode(res.clock);
    setSession({ status: 'authenticated', user: res.user });
    return res.user;
  }, []);
  const login = useCallback((username: string, password: string) => begin({ username, password }), [begin]);
  const loginWithCode = useCallback((accessCode: string) => begin({ accessCode }), [begin]);

  const logout = useCallback(async () => {
    const member = session.status === 'authenticated' && isMember(session.user);
    try {
      await api.del('/session');
    } catch (e) {
      if (!isApiError(e)) throw e;
    }
    setCsrfToken(null);
    // The next person at this browser must not see the last one's families from the cache.
    queryClient.clear();
    setSession({ status: 'anonymous', reason: 'loggedOut', member });
  }, [session]);

  const value = useMemo(() => ({ session, login, loginWithCode, logout }), [session, login, loginWithCode, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

export function useUser(): User {
  const { session } = useSession();
  if (session.status !== 'authenticated') throw new Error('useUser without a session');
  return session.user;
}

export function hasRole(user: User, role: Role): boolean {
  return user.roles.includes(role);
}

/** A family member (issue 15): their own layout and routes, never the professionals' screens. */
export function isMember(user: User): boolean {
  return user.roles.includes('member');
}
