import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { userListSchema, type AdminUser } from '../../../../contract/index.ts';
import { api } from '../../api.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FilterForm, PagedTable, useAnnounceLoaded, useListFilters } from '../../components/ListParts.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { formatDateTime } from '../../format.ts';
import { keys } from '../../queries.ts';
import { allRoles, RegionField } from './adminForms.tsx';

type Filters = { q: string; role: string; region: string; status: string };
const PAGE_SIZE = 50;

/** The account's state in words: disabled, waiting for activation (until when), or active. */
export function UserStatus({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  if (user.disabled) return <span className="tag">{t('adminUsers.statusDisabled')}</span>;
  if (user.activationPendingUntil)
    return (
      <span>{t('adminUsers.statusPending', { until: formatDateTime(user.activationPendingUntil) })}</span>
    );
  return <span>{t('adminUsers.statusActive')}</span>;
}

export function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('adminUsers.title'));
  const { draft, setDraft, filters, apply, setPage } = useListFilters<Filters>({
    q: '',
    role: '',
    region: '',
    status: '',
  });
  const users = useResource(keys.users(filters), (signal) =>
    api.get(
      userListSchema,
      '/users',
      {
        q: filters.q.trim(),
        role: filters.role,
        region: filters.region,
        disabled: filters.status === '' ? undefined : filters.status === 'disabled' ? 'true' : 'false',
        page: filters.page,
        pageSize: PAGE_SIZE,
      },
      signal,
    ),
  );

  useAnnounceLoaded(users, t('adminUsers.loaded', { count: users.data?.total ?? 0 }));

  return (
    <section aria-labelledby="users-title" aria-busy={users.status === 'loading'}>
      <h1 id="users-title">{t('adminUsers.title')}</h1>
      <p>{t('adminUsers.intro')}</p>
      <p>
        <Link className="button-link primary" to="/users/new">
          {t('adminUsers.add')}
        </Link>
      </p>
      <FilterForm onSubmit={apply} role="search" label={t('adminUsers.search')}>
        <TextField
          id="users-q"
          label={t('adminUsers.q')}
          value={draft.q}
          onChange={(q) => setDraft({ ...draft, q })}
          autoComplete="off"
          maxLength={100}
        />
        <SelectField
          id="users-role"
          label={t('adminUsers.role')}
          value={draft.role}
          onChange={(role) => setDraft({ ...draft, role })}
          placeholder={t('adminUsers.anyRole')}
          options={allRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        <RegionField
          id="users-region"
          value={draft.region}
          onChange={(region) => setDraft({ ...draft, region })}
          noneLabel={t('adminUsers.anyRegion')}
        />
        <SelectField
          id="users-status"
          label={t('adminUsers.status')}
          value={draft.status}
          onChange={(status) => setDraft({ ...draft, status })}
          placeholder={t('adminUsers.anyStatus')}
          options={[
            { value: 'active', label: t('adminUsers.onlyActive') },
            { value: 'disabled', label: t('adminUsers.onlyDisabled') },
          ]}
        />
      </FilterForm>
      <PagedTable
        list={users}
        empty={t('adminUsers.empty')}
        page={filters.page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        className="users"
        captionId="users-caption"
        caption={(total) => t('adminUsers.caption', { count: total })}
        columns={[
          t('adminUsers.displayName'),
          t('adminUsers.username'),
          t('adminUsers.roles'),
          t('adminUsers.region'),
          t('adminUsers.status'),
        ]}
        row={(u) => (
          <tr key={u.id}>
            <th scope="row">
              <Link to={`/users/${encodeURIComponent(u.id)}`}>{u.displayName}</Link>
            </th>
            <td>{u.username}</td>
            <td>{u.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
            <td>{u.region ? t(`regions.${u.region}`, { defaultValue: u.region }) : t('common.none')}</td>
            <td>
              <UserStatus user={u} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
