import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { formatDateTime } from '../../format.ts';
import type { MyFamilyAccessLog } from '../../../../contract/index.ts';
import { keys } from '../../queries.ts';
import { LOG_PAGE_SIZE, MEMBER_HOME, audienceTexts, loadMyAccessLog, useAudience } from './myFamily.ts';

// "Wie las ons dossier" (issue 15; NEN 7513 gives a client the right to know): who read or changed the
// family's file and when, one line a row — when, then name, role and what — newest first, a page at a
// time. Never an address, an id or a code. An adult reads the server's words (roleText, actionText); the
// server has one version of those, so a child reads the client's simpler ones (`memberChildLog`, by the
// row's role and action), held to plain words by the readability test.

const roles = ['vt', 'director', 'auditor', 'admin', 'member'] as const;
const actions = [
  'read',
  'list',
  'write',
  'create',
  'history',
  'replay',
  'verify',
  'export',
  'monitoring',
  'access-log',
] as const;
const known = (list: readonly string[], v: string | null) => (v !== null && list.includes(v) ? v : 'other');

type Row = MyFamilyAccessLog[number];

/** A row's who and what for a child: the role and action by their codes, in the child's words. */
function childWords(t: TFunction, r: Row): { role: string; what: string } {
  return {
    role: t(`memberChildLog.role.${known(roles, r.role)}`),
    what:
      r.result === 'ok'
        ? t(`memberChildLog.action.${known(actions, r.action).replace('-', '_')}`)
        : t(r.result === 'error' ? 'memberChildLog.failed' : 'memberChildLog.tried'),
  };
}

export function MyAccessLogPage() {
  const { t, i18n } = useTranslation();
  const audience = useAudience();
  const w = audienceTexts(t, audience);
  const words = (r: Row) =>
    audience === 'child' ? childWords(t, r) : { role: r.roleText, what: r.actionText };
  usePageTitle(w('logTitle'));
  const [page, setPage] = useState(1);
  const log = useResource([...keys.myAccessLog(i18n.language), page], (signal) =>
    loadMyAccessLog(page, signal),
  );
  const rows = log.data ?? null;

  return (
    <article aria-labelledby="my-log-title" aria-busy={log.status === 'loading'} className="member-page">
      <p className="breadcrumb">
        <Link to={MEMBER_HOME}>{w('back')}</Link>
      </p>
      <h1 id="my-log-title">{w('logTitle')}</h1>
      <p className="member-intro">{w('logIntro')}</p>
      {log.status === 'error' ? <LoadError error={log.error} onRetry={log.reload} /> : null}
      {rows ? (
        rows.length === 0 && page === 1 ? (
          <p>{w('logEmpty')}</p>
        ) : (
          <ol className="member-log" data-testid="member-log">
            {rows.map((r, i) => (
              <li key={`${page}-${i}`}>
                <time dateTime={r.at} className="member-when">
                  {formatDateTime(r.at)}
                </time>
                <span className="member-what">{r.displayName}</span> ({words(r).role}): {words(r).what}
              </li>
            ))}
          </ol>
        )
      ) : log.status === 'loading' ? (
        <p className="loading">{t('common.loading')}</p>
      ) : null}
      {rows && (page > 1 || rows.length === LOG_PAGE_SIZE) ? (
        <nav className="pager" aria-label={w('logPages')}>
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {w('logNewer')}
          </button>
          <span>{w('logPage', { page })}</span>
          <button type="button" disabled={rows.length < LOG_PAGE_SIZE} onClick={() => setPage(page + 1)}>
            {w('logOlder')}
          </button>
        </nav>
      ) : null}
    </article>
  );
}
