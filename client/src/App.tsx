import { Suspense, lazy, useEffect, useRef, type ComponentType, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { AnnouncerProvider } from './components/Announcer.tsx';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { FamilyListPage } from './pages/FamilyListPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { FamilyFiltersProvider } from './pages/familyFilters.tsx';
import { inboxQuery, loadInbox } from './inbox.ts';
import { keys } from './queries.ts';
import { SessionProvider, hasRole, isMember, useSession } from './session.tsx';
import { MemberFooter, MemberNav, MemberRoutes } from './pages/member/MemberRoutes.tsx';
import { MEMBER_HOME } from './pages/member/myFamily.ts';
import type { Role, User } from './types.ts';

// The first screen (sign-in, the caseload) is in the initial bundle; every other screen is its own
// chunk, loaded when first opened, so the first paint does not wait for the forms, figures and
// auditor screens (issue 18).
const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const FamilyPage = named(() => import('./pages/FamilyPage.tsx'), 'FamilyPage');
const NewReportPage = named(() => import('./pages/NewReportPage.tsx'), 'NewReportPage');
const HistoryPage = named(() => import('./pages/HistoryPage.tsx'), 'HistoryPage');
const ReplayPage = named(() => import('./pages/ReplayPage.tsx'), 'ReplayPage');
const MonitoringPage = named(() => import('./pages/MonitoringPage.tsx'), 'MonitoringPage');
const KpiPage = named(() => import('./pages/KpiPage.tsx'), 'KpiPage');
const AccessLogPage = named(() => import('./pages/AccessLogPage.tsx'), 'AccessLogPage');
const InboxPage = named(() => import('./pages/InboxPage.tsx'), 'InboxPage');
const ActivatePage = named(() => import('./pages/ActivatePage.tsx'), 'ActivatePage');
const IntegrityPage = named(() => import('./pages/IntegrityPage.tsx'), 'IntegrityPage');
const ChangePasswordPage = named(() => import('./pages/ChangePasswordPage.tsx'), 'ChangePasswordPage');
const UsersPage = named(() => import('./pages/admin/UsersPage.tsx'), 'UsersPage');
const NewUserPage = named(() => import('./pages/admin/NewUserPage.tsx'), 'NewUserPage');
const UserPage = named(() => import('./pages/admin/UserPage.tsx'), 'UserPage');
const NormsPage = named(() => import('./pages/admin/NormsPage.tsx'), 'NormsPage');
const AdminLogPage = named(() => import('./pages/admin/AdminLogPage.tsx'), 'AdminLogPage');
const UpgradesPage = named(() => import('./pages/admin/UpgradesPage.tsx'), 'UpgradesPage');
const CodeLoginPage = lazy(() => import('./pages/member/CodeLoginPage.tsx').then((m) => ({ default: m.CodeLoginPage })));

export function App() {
  return (
    <SessionProvider>
      <AnnouncerProvider>
        <Shell />
      </AnnouncerProvider>
    </SessionProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const user = session.status === 'authenticated' ? session.user : null;
  // A family member (issue 15) reads their own plan in a layout of their own: no professionals'
  // navigation, no password to change, words for a family rather than for workers.
  const member = user !== null && isMember(user);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{member ? t('app.memberTagline') : t('app.tagline')}</span>
        </div>
        <div className="header-tools">
          <LanguageSwitch />
        </div>
      </header>
      {/* Always rendered with the same fixed height, before /me has answered too, so that nothing
          below it moves when the session is known (no layout shift, issue 18). */}
      <div className="session-bar" data-testid="session-bar">
        {member ? <MemberNav /> : user ? <MainNav user={user} /> : <div className="main-nav" />}
        <div className="user-box">
          {user ? (
            <>
              <span className="user-name">
                {member
                  ? t('member.signedInAs', { name: user.displayName })
                  : t('user.signedInAs', {
                      name: user.displayName,
                      roles: user.roles.map((r) => t(`roles.${r}`)).join(', '),
                    })}
              </span>
              {member ? null : <NavLink to="/account/password">{t('changePassword.link')}</NavLink>}
              <button type="button" onClick={() => void logout()}>
                {t('user.logout')}
              </button>
            </>
          ) : null}
        </div>
      </div>
      <main id="main" tabIndex={-1}>
        <RouteFocus />
        {/* Keyed by user so one user's filters and search text never carry over to the next. */}
        <FamilyFiltersProvider key={user?.id ?? 'anonymous'}>
          <Content />
        </FamilyFiltersProvider>
      </main>
      <footer className="app-footer">
        {member ? <MemberFooter /> : <p>{t('app.footer')}</p>}
      </footer>
    </>
  );
}

/** The number of handovers offered to a director, for the navigation (null while unknown). */
function useInboxCount(user: User): number | null {
  const director = hasRole(user, 'director');
  const inbox = useQuery({ queryKey: keys.families(inboxQuery), queryFn: ({ signal }) => loadInbox(signal), enabled: director });
  return director && inbox.data ? inbox.data.total : null;
}

function MainNav({ user }: { user: User }) {
  const { t } = useTranslation();
  const inbox = useInboxCount(user);
  const links: { to: string; label: string; roles: Role[] }[] = [
    { to: '/', label: t('nav.families'), roles: ['vt', 'director', 'auditor'] },
    {
      to: '/inbox',
      label: inbox === null ? t('nav.inbox') : t('nav.inboxCount', { count: inbox }),
      roles: ['director'],
    },
    { to: '/families/new', label: t('nav.newReport'), roles: ['vt'] },
    { to: '/monitoring', label: t('nav.monitoring'), roles: ['vt'] },
    { to: '/kpis', label: t('nav.kpis'), roles: ['vt', 'auditor'] },
    { to: '/access-log', label: t('nav.accessLog'), roles: ['auditor'] },
    { to: '/integrity', label: t('integrity.nav'), roles: ['auditor'] },
    { to: '/users', label: t('nav.users'), roles: ['admin'] },
    { to: '/norms', label: t('nav.norms'), roles: ['admin'] },
    { to: '/upgrades', label: t('nav.upgrades'), roles: ['admin'] },
    { to: '/admin-log', label: t('nav.adminLog'), roles: ['admin', 'auditor'] },
  ];
  const visible = links.filter((l) => l.roles.some((r) => hasRole(user, r)));
  if (visible.length === 0) return <div className="main-nav" />;
  return (
    <nav className="main-nav" aria-label={t('nav.label')}>
      <ul>
        {visible.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end>
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** After client-side navigation focus goes to the page's h1, as a full page load would start at the top. */
function RouteFocus() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus();
    }
  }, [location.pathname]);
  return null;
}

/**
 * Remembers the path (opaque ids only, never search text) in history state, to return there after
 * signing in again; not after an explicit sign-out, when the next person starts afresh.
 */
function ToLogin({ keepPlace, member }: { keepPlace: boolean; member: boolean }) {
  const location = useLocation();
  // A family member's code worked once: they sign in again with a new one, on the code page (also
  // when a reload finds the session gone on a member's page).
  if (member || location.pathname.startsWith(MEMBER_HOME)) return <Navigate to="/toegangscode" replace />;
  return <Navigate to="/login" replace state={keepPlace ? { from: location.pathname } : null} />;
}

/** Back to where the user was sent to sign in; only an in-app path is accepted. */
function AfterLogin() {
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  const to =
    typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/login'
      ? from
      : '/';
  return <Navigate to={to} replace />;
}

function RequireRole({ user, roles, children }: { user: User; roles: Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  if (!roles.some((r) => hasRole(user, r))) {
    return (
      <section aria-labelledby="forbidden-title">
        <h1 id="forbidden-title">{t('errors.forbiddenTitle')}</h1>
        <p>{t('errors.forbiddenPage')}</p>
      </section>
    );
  }
  return <>{children}</>;
}

function Content() {
  const { t } = useTranslation();
  const { session } = useSession();
  if (session.status === 'loading') {
    return (
      <p className="loading" aria-busy="true">
        {t('common.loading')}
      </p>
    );
  }
  if (session.status === 'anonymous') {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage notice={session.member ? undefined : session.reason} />} />
        <Route
          path="/activate"
          element={
            <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
              <ActivatePage />
            </Suspense>
          }
        />
        <Route
          path="/toegangscode"
          element={
            <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
              <CodeLoginPage notice={session.member ? session.reason : undefined} />
            </Suspense>
          }
        />
        <Route
          path="*"
          element={<ToLogin keepPlace={session.reason !== 'loggedOut'} member={session.member === true} />}
        />
      </Routes>
    );
  }
  const user = session.user;
  /** A screen for some roles only; others read why they cannot use it. */
  const only = (roles: Role[], screen: ReactNode) => (
    <RequireRole user={user} roles={roles}>
      {screen}
    </RequireRole>
  );
  // The functional administrator reads no family data: their start page is the users list.
  const readsFamilies = (['vt', 'director', 'auditor'] as const).some((r) => hasRole(user, r));
  return (
    <Suspense
      fallback={
        <p className="loading" aria-busy="true">
          {t('common.loading')}
        </p>
      }
    >
      {/* A family member (issue 15) has routes of their own. */}
      {isMember(user) ? (
        <MemberRoutes />
      ) : (
        <Routes>
          <Route path="/login" element={<AfterLogin />} />
          <Route path="/" element={readsFamilies ? <FamilyListPage /> : <Navigate to="/users" replace />} />
          <Route path="/families/new" element={only(['vt'], <NewReportPage />)} />
          <Route path="/families/:id" element={<FamilyPage />} />
          <Route path="/families/:id/history" element={<HistoryPage />} />
          <Route path="/families/:id/replay" element={only(['auditor'], <ReplayPage />)} />
          <Route path="/monitoring" element={only(['vt'], <MonitoringPage />)} />
          <Route path="/inbox" element={only(['director'], <InboxPage />)} />
          <Route path="/kpis" element={only(['vt', 'auditor'], <KpiPage />)} />
          <Route path="/access-log" element={only(['auditor'], <AccessLogPage />)} />
          <Route path="/integrity" element={only(['auditor'], <IntegrityPage />)} />
          <Route path="/users" element={only(['admin'], <UsersPage />)} />
          <Route path="/users/new" element={only(['admin'], <NewUserPage />)} />
          <Route path="/users/:id" element={only(['admin'], <UserPage />)} />
          <Route path="/norms" element={only(['admin'], <NormsPage />)} />
          <Route path="/upgrades" element={only(['admin'], <UpgradesPage />)} />
          <Route path="/admin" element={<Navigate to="/users" replace />} />
          <Route path="/admin-log" element={only(['admin', 'auditor'], <AdminLogPage />)} />
          <Route path="/activate" element={<ActivatePage />} />
          <Route path="/account/password" element={<ChangePasswordPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      )}
    </Suspense>
  );
}
