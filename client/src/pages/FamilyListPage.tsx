import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { allMunicipalities } from '../../../machines/schemas/regions.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { CheckboxField, SelectField, TextField } from '../components/fields.tsx';
import { StateBadges } from '../components/StateBadges.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useResource } from '../components/useResource.ts';
import { formatDateTime } from '../format.ts';
import { problemText } from '../forms/errors.tsx';
import { deadlineKindLabel, phaseLabel } from '../labels.ts';
import { serverNow } from '../serverClock.ts';
import { hasRole, useUser } from '../session.tsx';
import type { FamilyPage } from '../types.ts';
import { emptyFilters, useFamilyFilters, type FamilyFilters } from './familyFilters.tsx';

export const phaseFilterValues = [
  'reported',
  'assessment',
  'investigation',
  'directSafety',
  'stableSafety',
  'recovery',
  'closed',
] as const;

export function FamilyListPage() {
  const { t } = useTranslation();
  const user = useUser();
  const announce = useAnnounce();
  const { filters, setFilters } = useFamilyFilters();
  const [draft, setDraft] = useState<FamilyFilters>(filters);
  const title =
    hasRole(user, 'director') && !hasRole(user, 'vt') ? t('families.titleDirector') : t('families.title');
  usePageTitle(title);

  const key = JSON.stringify(filters);
  const list = useResource(
    (signal) =>
      api.get<FamilyPage>(
        '/families',
        {
          phase: filters.phase,
          municipality: filters.municipality,
          director: filters.mine ? 'me' : undefined,
          overdue: filters.overdue ? 'true' : undefined,
          q: filters.q.trim(),
          page: filters.page,
          pageSize: filters.pageSize,
        },
        signal,
      ),
    key,
  );

  useEffect(() => {
    if (list.status === 'ready') announce(t('families.loaded', { count: list.data.total }));
  }, [list.status, list.data, announce, t]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...draft, page: 1 });
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
            </div>
          </div>
          <div className="button-row">
            <button type="submit" className="primary">
              {t('families.apply')}
            </button>
            <button type="button" onClick={reset}>
              {t('families.reset')}
            </button>
          </div>
        </fieldset>
      </form>

      {hasRole(user, 'vt') ? (
        <p>
          <Link to="/families/new" className="button-link">
            {t('nav.newReport')}
          </Link>
        </p>
      ) : null}

      <div aria-busy={list.status === 'loading'} className="results">
        {list.status === 'loading' && !list.data ? <p className="loading">{t('common.loading')}</p> : null}
        {list.status === 'error' ? (
          <div className="form-error" role="alert">
            <p>{isApiError(list.error) ? problemText(list.error.problem, t) : t('errors.generic')}</p>
            <button type="button" onClick={list.reload}>
              {t('common.retry')}
            </button>
          </div>
        ) : null}
        {list.data ? (
          list.data.items.length === 0 ? (
            <p>{t('families.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="families">
                <caption>{t('families.caption', { count: total })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('families.reference')}</th>
                    <th scope="col">{t('families.municipality')}</th>
                    <th scope="col">{t('families.state')}</th>
                    <th scope="col">{t('families.director')}</th>
                    <th scope="col">{t('families.nextDue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((f) => {
                    const overdue =
                      f.overdue ?? (f.nextDueAt ? new Date(f.nextDueAt).getTime() < now : false);
                    return (
                      <tr key={f.id} className={overdue ? 'overdue' : undefined}>
                        <th scope="row">
                          <Link to={`/families/${encodeURIComponent(f.id)}`}>{f.reference}</Link>
                          {f.acute ? <span className="tag acute">{t('families.acute')}</span> : null}
                        </th>
                        <td>{f.municipality}</td>
                        <td>
                          <StateBadges state={f.state} />
                        </td>
                        <td>
                          {f.caseDirector?.displayName ?? (
                            <span className="muted">{t('family.noDirector')}</span>
                          )}
                        </td>
                        <td>
                          {f.nextDueAt ? (
                            <>
                              {formatDateTime(f.nextDueAt)}
                              {f.nextDueKind ? (
                                <span className="muted"> ({deadlineKindLabel(t, f.nextDueKind)})</span>
                              ) : null}
                              {overdue ? <span className="tag overdue">{t('deadline.overdue')}</span> : null}
                            </>
                          ) : (
                            <span className="muted">{t('common.none')}</span>
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
        {list.data && total > filters.pageSize ? (
          <nav className="pager" aria-label={t('families.paging')}>
            <button
              type="button"
              disabled={filters.page <= 1}
              onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
            >
              {t('families.previous')}
            </button>
            <span>{t('families.pageOf', { page: filters.page, pages })}</span>
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
