import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@utrecht/button-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { allMunicipalities } from '../../../machines/schemas/regions.ts';
import { familyListSchema, familySortSchema, type FamilySort } from '../../../contract/index.ts';
import { api } from '../api.ts';
import { keys } from '../queries.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { CheckboxField, SelectField, TextField } from '../components/fields.tsx';
import { Countdown } from '../components/Countdown.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { phaseNames } from '../../../machines/schemas/common.ts';
import { useResource } from '../components/useResource.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { deadlineKindLabel, phaseLabel } from '../labels.ts';
import { serverNow, syncServerClock } from '../serverClock.ts';
import { hasRole, useUser } from '../session.tsx';
import { emptyFilters, pageSizes, useFamilyFilters, type FamilyFilters } from './familyFilters.tsx';

export const phaseFilterValues = phaseNames;

/** The columns the server can sort by (`sort=` in the contract; `-` for descending). */
type SortKey = 'reference' | 'municipality' | 'phase' | 'nextDueAt' | 'reportedAt';
const sorts: readonly string[] = familySortSchema.options;

export function FamilyListPage() {
  const { t } = useTranslation();
  const user = useUser();
  const announce = useAnnounce();
  const { filters, setFilters } = useFamilyFilters();
  const [draft, setDraft] = useState<FamilyFilters>(filters);
  // Back, forward or a link changed the URL: the form shows what the list shows.
  useEffect(() => setDraft(filters), [filters]);
  const title =
    hasRole(user, 'director') && !hasRole(user, 'vt') ? t('families.titleDirector') : t('families.title');
  usePageTitle(title);

  // Countdowns are relative to the server's time (a manual demo clock differs from the browser's).
  const list = useResource(keys.families(filters), async (signal) => {
    await syncServerClock();
    return api.get(
      familyListSchema,
      '/families',
      {
        phase: filters.phase,
        municipality: filters.municipality,
        director: filters.mine ? 'me' : undefined,
        overdue: filters.overdue ? 'true' : undefined,
        handover: filters.handover || undefined,
        escalated: filters.escalated ? 'true' : undefined,
        sort: sorts.includes(filters.sort) ? (filters.sort as FamilySort) : undefined,
        q: filters.q.trim(),
        page: filters.page,
        pageSize: filters.pageSize,
      },
      signal,
    );
  });

  useEffect(() => {
    if (list.status === 'ready') announce(t('families.loaded', { count: list.data.total }));
  }, [list.status, list.data, announce, t]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...draft, page: 1 });
  }

  function sortBy(column: SortKey) {
    const current = filters.sort || 'nextDueAt';
    const next = current === column ? `-${column}` : column;
    setFilters({ ...filters, sort: next === 'nextDueAt' ? '' : next, page: 1 });
  }

  function header(column: SortKey, label: string) {
    const current = filters.sort || 'nextDueAt';
    const dir = current === column ? 'ascending' : current === `-${column}` ? 'descending' : undefined;
    return (
      <th scope="col" aria-sort={dir}>
        <button type="button" className="sort" onClick={() => sortBy(column)} data-sort={column}>
          {label}
          {dir ? (
            <span className="visually-hidden">
              {' '}
              ({dir === 'ascending' ? t('families.sortedAsc') : t('families.sortedDesc')})
            </span>
          ) : null}
          <span aria-hidden="true" className="sort-mark">
            {dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ' ↕'}
          </span>
        </button>
      </th>
    );
  }

  function reset() {
    setDraft(emptyFilters);
    setFilters(emptyFilters);
  }

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / filters.pageSize));
  const now = serverNow().getTime();

  return (
    <section aria-labelledby="families-title">
      <h1 id="families-title">{title}</h1>
      <form className="filters" onSubmit={apply} role="search" aria-label={t('families.filters')}>
        <fieldset>
          <legend>{t('families.filters')}</legend>
          <div className="filter-grid">
            <TextField
              id="filter-q"
              label={t('families.q')}
              hint={t('families.qHint')}
              value={draft.q}
              onChange={(q) => setDraft({ ...draft, q })}
              type="search"
              autoComplete="off"
            />
            <SelectField
              id="filter-phase"
              label={t('families.phase')}
              value={draft.phase}
              onChange={(phase) => setDraft({ ...draft, phase })}
              placeholder={t('families.anyPhase')}
              options={phaseFilterValues.map((p) => ({ value: p, label: phaseLabel(t, p) }))}
            />
            <SelectField
              id="filter-municipality"
              label={t('families.municipality')}
              value={draft.municipality}
              onChange={(municipality) => setDraft({ ...draft, municipality })}
              placeholder={t('families.anyMunicipality')}
              options={allMunicipalities.map((m) => ({ value: m, label: m }))}
            />
            <div className="checks">
              {hasRole(user, 'director') || hasRole(user, 'vt') ? (
                <CheckboxField
                  id="filter-mine"
                  label={t('families.mine')}
                  checked={draft.mine}
                  onChange={(mine) => setDraft({ ...draft, mine })}
                />
              ) : null}
              <CheckboxField
                id="filter-overdue"
                label={t('families.overdue')}
                checked={draft.overdue}
                onChange={(overdue) => setDraft({ ...draft, overdue })}
              />
              <CheckboxField
                id="filter-handover"
                label={t('families.handoverPending')}
                checked={draft.handover === 'pending'}
                onChange={(on) => setDraft({ ...draft, handover: on ? 'pending' : '' })}
              />
              <CheckboxField
                id="filter-escalated"
                label={t('families.escalated')}
                checked={draft.escalated}
                onChange={(escalated) => setDraft({ ...draft, escalated })}
              />
            </div>
          </div>
          <div className="button-row">
            <Button type="submit" appearance="primary-action-button">
              {t('families.apply')}
            </Button>
            <Button type="button" appearance="secondary-action-button" onClick={reset}>
              {t('families.reset')}
            </Button>
          </div>
        </fieldset>
      </form>

      {hasRole(user, 'vt') ? (
        <p>
          <Link to="/families?phase=reported&sort=waiting" data-testid="waiting-list">
            {t('families.waitingList')}
          </Link>{' '}
          <span className="muted">{t('families.waitingListHint')}</span>
        </p>
      ) : null}

      {hasRole(user, 'vt') ? (
        <p>
          <Link
            to="/families/new"
            className="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action"
          >
            {t('nav.newReport')}
          </Link>
        </p>
      ) : null}

      <div aria-busy={list.status === 'loading'} className="results">
        {list.status === 'loading' && !list.data ? <p className="loading">{t('common.loading')}</p> : null}
        {list.status === 'error' ? <LoadError error={list.error} onRetry={list.reload} /> : null}
        {list.data ? (
          list.data.items.length === 0 ? (
            <p>{t('families.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="families">
                <caption>{t('families.caption', { count: total })}</caption>
                <thead>
                  <tr>
                    {header('reference', t('families.reference'))}
                    {header('municipality', t('families.municipality'))}
                    {header('phase', t('families.state'))}
                    <th scope="col">{t('families.director')}</th>
                    {header('reportedAt', t('families.reportedAt'))}
                    {header('nextDueAt', t('families.nextDue'))}
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((f) => {
                    const overdue = f.overdue;
                    const what = f.overdueKind;
                    return (
                      <tr key={f.id} className={overdue ? 'overdue' : undefined}>
                        <th scope="row" className="reference">
                          <Link to={`/families/${encodeURIComponent(f.id)}`}>{f.reference}</Link>
                          {f.acute ? <span className="tag acute">{t('families.acute')}</span> : null}
                          {f.planDisagreement ? (
                            <span className="tag disagreement" data-testid="plan-disagreement">
                              {t('families.planDisagreement')}
                            </span>
                          ) : null}
                          {f.urgency && !(f.urgency === 'acute' && f.acute) ? (
                            <span className={`tag urgency-${f.urgency}`} data-testid="urgency">
                              {t('families.urgencyTag', { urgency: t(`families.urgencyNames.${f.urgency}`) })}
                            </span>
                          ) : null}
                        </th>
                        <td>{f.municipality}</td>
                        <td>
                          <StateBadges state={f.state} />
                        </td>
                        <td>
                          {f.caseDirector?.displayName ?? (
                            <span className="muted">{t('family.noDirector')}</span>
                          )}
                          {f.pendingDirector ? (
                            <span className="pending-director">
                              {t('families.offeredTo', { name: f.pendingDirector.displayName })}
                            </span>
                          ) : null}
                        </td>
                        <td>
                          {formatDate(f.reportedAt)}
                          {f.waitingSince ? (
                            <div className="muted">{t('families.waitingSince', { date: formatDate(f.waitingSince) })}</div>
                          ) : null}
                        </td>
                        <td>
                          {overdue ? (
                            <span className="tag overdue" data-testid="overdue-item">
                              {what
                                ? t('families.overdueItem', { what: deadlineKindLabel(t, what) })
                                : t('families.overdueUnnamed')}
                              {f.overdueSince ? (
                                <> {t('families.overdueSince', { date: formatDate(f.overdueSince) })}</>
                              ) : null}
                            </span>
                          ) : null}
                          {f.nextDueAt ? (
                            <span className="next-due">
                              {f.nextDueKind ? <>{deadlineKindLabel(t, f.nextDueKind)}: </> : null}
                              {formatDateTime(f.nextDueAt)} <Countdown dueAt={f.nextDueAt} now={now} />
                            </span>
                          ) : overdue ? null : (
                            <span className="muted">{t('families.noDeadline')}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        ) : null}
        {list.data && total > pageSizes[0] ? (
          <nav className="pager" aria-label={t('families.paging')}>
            <button
              type="button"
              disabled={filters.page <= 1}
              onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
            >
              {t('families.previous')}
            </button>
            <span>{t('families.pageOf', { page: filters.page, pages })}</span>
            <SelectField
              id="page-size"
              label={t('families.pageSize')}
              value={String(filters.pageSize)}
              onChange={(v) => setFilters({ ...filters, pageSize: Number(v), page: 1 })}
              options={pageSizes.map((n) => ({ value: String(n), label: String(n) }))}
            />
            <button
              type="button"
              disabled={filters.page >= pages}
              onClick={() => setFilters({ ...filters, page: filters.page + 1 })}
            >
              {t('families.next')}
            </button>
          </nav>
        ) : null}
      </div>
    </section>
  );
}
