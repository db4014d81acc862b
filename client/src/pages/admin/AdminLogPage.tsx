import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { adminLogSchema, normUnits, type AdminLogRow, type Norm } from '../../../../contract/index.ts';
import { api } from '../../api.ts';
import { FilterForm, PagedTable, useAnnounceLoaded, useListFilters } from '../../components/ListParts.tsx';
import { SelectField } from '../../components/fields.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useResource } from '../../components/useResource.ts';
import { formatDateTime } from '../../format.ts';
import { keys } from '../../queries.ts';
import { normLabel, normValueText } from './NormsPage.tsx';

const PAGE_SIZE = 100;
const fieldOrder = [
  'username',
  'displayName',
  'roles',
  'region',
  'disabled',
  'value',
  'activationPendingUntil',
  'machineVersion',
];

/** One changed field's value in words (never raw JSON). */
function valueText(t: TFunction, field: string, value: unknown): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    return t('common.none');
  if (field === 'roles' && Array.isArray(value)) return value.map((r) => t(`roles.${String(r)}`)).join(', ');
  if (field === 'region' && typeof value === 'string') return t(`regions.${value}`, { defaultValue: value });
  if (field === 'activationPendingUntil' && typeof value === 'string') return formatDateTime(value);
  if (typeof value === 'boolean') return value ? t('adminNorms.yes') : t('adminNorms.no');
  if (typeof value === 'string') return t(`normChoices.${value}`, { defaultValue: value });
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

function Changes({ values }: { values: AdminLogRow['before'] }) {
  const { t } = useTranslation();
  if (!values || Object.keys(values).length === 0) return <>{'—'}</>;
  // A norm's value is shown with its unit ("7 werkdagen"); the unit is no field of its own.
  const unit =
    typeof values.unit === 'string' && (normUnits as readonly string[]).includes(values.unit)
      ? (values.unit as Norm['unit'])
      : null;
  const fields = Object.keys(values)
    .filter((f) => f !== 'unit')
    .sort((a, b) => fieldOrder.indexOf(a) - fieldOrder.indexOf(b));
  return (
    <ul className="plain">
      {fields.map((f) => (
        <li key={f}>
          {t(`adminLog.fields.${f}`, { defaultValue: f })}:{' '}
          {f === 'value' && unit ? normValueText(t, unit, values[f]) : valueText(t, f, values[f])}
        </li>
      ))}
    </ul>
  );
}

export function AdminLogPage() {
  const { t } = useTranslation();
  usePageTitle(t('adminLog.title'));
  const { draft, setDraft, filters, apply, setPage } = useListFilters({ targetType: '' });
  const log = useResource(keys.adminLog(filters), (signal) =>
    api.get(
      adminLogSchema,
      '/admin-log',
      { targetType: filters.targetType, page: filters.page, pageSize: PAGE_SIZE },
      signal,
    ),
  );
  useAnnounceLoaded(log, t('adminLog.loaded', { count: log.data?.total ?? 0 }));

  return (
    <section aria-labelledby="admin-log-title" aria-busy={log.status === 'loading'}>
      <h1 id="admin-log-title">{t('adminLog.title')}</h1>
      <p>{t('adminLog.intro')}</p>
      <FilterForm onSubmit={apply}>
        <SelectField
          id="admin-log-type"
          label={t('adminLog.targetType')}
          value={draft.targetType}
          onChange={(targetType) => setDraft({ targetType })}
          placeholder={t('adminLog.anyTarget')}
          options={[
            { value: 'user', label: t('adminLog.users') },
            { value: 'norm', label: t('adminLog.norms') },
            { value: 'family', label: t('adminLog.families') },
          ]}
        />
      </FilterForm>
      <PagedTable
        list={log}
        empty={t('adminLog.empty')}
        page={filters.page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        className="admin-log"
        captionId="admin-log-caption"
        caption={(total) => t('adminLog.caption', { count: total })}
        columns={[
          t('adminLog.at'),
          t('adminLog.actor'),
          t('adminLog.action'),
          t('adminLog.target'),
          t('adminLog.before'),
          t('adminLog.after'),
          t('adminLog.reason'),
        ]}
        row={(r) => (
          <tr key={r.id}>
            <td>{formatDateTime(r.at)}</td>
            <td>{r.actorUsername ?? t('adminLog.commandLine')}</td>
            <td>{t(`adminLog.actions.${r.action.replace('.', '_')}`)}</td>
            <td>
              {r.targetType === 'norm' ? normLabel(t, r.targetId) : (r.targetName ?? t('common.unknown'))}
            </td>
            <td>
              <Changes values={r.before} />
            </td>
            <td>
              <Changes values={r.after} />
            </td>
            <td>{r.reason ?? ''}</td>
          </tr>
        )}
      />
    </section>
  );
}
