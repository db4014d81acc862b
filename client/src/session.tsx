import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, isApiError, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import type { Role, User } from './types.ts';

type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: 'loggedOut' | 'expired' }
  | { status: 'authenticated'; user: User };

type SessionApi = {
  session: SessionState;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
};

const SessionContext = createContext<SessionApi | null>(null);

type LoginResponse = { token?: string; csrfToken?: string; user: User };
type MeResponse = User & { csrfToken?: string; user?: User };

function userOf(me: MeResponse): User {
  // Accept both `{...user}` and `{ user }` so a server that wraps the user does not break login.
  return me.user ?? me;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setSession((s) => (s.status === 'authenticated' ? { status: 'anonymous', reason: 'expired' } : s));
    });
    api
      .get<MeResponse>('/me')
      .then((me) => {
        if (cancelled) return;
        if (me.csrfToken) setCsrfToken(me.csrfToken);
        setSession({ status: 'authenticated', user: userOf(me) });
      })
      .catch(() => {
        if (!cancelled) setSession({ status: 'anonymous' });
      });
    return () => {
      cancelled = true;
      setUnauthenticatedHandler(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await api.post<LoginResponse>('/session', { username, password });
    // The bearer token is deliberately dropped: the browser authenticates with the HttpOnly cookie.
    setCsrfToken(res.csrfToken);
    setSession({ status: 'authenticated', user: res.user });
    return res.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.del('/session');
    } catch (e) {
      if (!isApiError(e)) throw e;
    }
    setCsrfToken(null);
    setSession({ status: 'anonymous', reason: 'loggedOut' });
  }, []);

  const value = useMemo(() => ({ session, login, logout }), [session, login, logout]);
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
