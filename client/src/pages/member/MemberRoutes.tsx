import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { MEMBER_HOME, MEMBER_LOG, audienceTexts, useAudience } from './myFamily.ts';

// A family member's part of the client (issue 15): its own routes and navigation in the shell; none
// of the professionals' screens. The two pages are their own chunk, loaded after sign-in (under the
// shell's Suspense).
const MyFamilyPage = lazy(() => import('./MyFamilyPage.tsx').then((m) => ({ default: m.MyFamilyPage })));
const MyAccessLogPage = lazy(() =>
  import('./MyAccessLogPage.tsx').then((m) => ({ default: m.MyAccessLogPage })),
);

export function MemberNav() {
  const { t } = useTranslation();
  const w = audienceTexts(t, useAudience());
  return (
    <nav className="main-nav" aria-label={t('member.navLabel')}>
      <ul>
        <li>
          <NavLink to={MEMBER_HOME} end>
            {w('navPlan')}
          </NavLink>
        </li>
        <li>
          <NavLink to={MEMBER_LOG} end>
            {w('navLog')}
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

/** The footer's words for a member: who to ask, in the member's version. */
export function MemberFooter() {
  const { t } = useTranslation();
  return <p>{audienceTexts(t, useAudience())('footer')}</p>;
}

/** Every path a member may open; anything else (a professional's link, an old bookmark) leads home. */
export function MemberRoutes() {
  return (
    <Routes>
      <Route path={MEMBER_HOME} element={<MyFamilyPage />} />
      <Route path={MEMBER_LOG} element={<MyAccessLogPage />} />
      <Route path="*" element={<Navigate to={MEMBER_HOME} replace />} />
    </Routes>
  );
}
