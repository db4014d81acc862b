import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../components/fields.tsx';
import { fieldId, focusSoon, type ErrorMap } from './errors.tsx';

export type MemberDraft = { alias: string; kind: '' | 'adult' | 'child'; birthYear: string };

export const emptyMember = (): MemberDraft => ({ alias: '', kind: '', birthYear: '' });

export function memberPayload(m: MemberDraft) {
  return {
    alias: m.alias,
    kind: m.kind || undefined,
    birthYear: m.birthYear.trim() === '' ? Number.NaN : Number(m.birthYear),
  };
}

/** Rows of household members (directbetrokkenen): alias, adult or child, birth year — nothing more. */
export function MembersEditor({
  prefix,
  path,
  members,
  onChange,
  errors,
  minRows = 0,
}: {
  prefix: string;
  path: string;
  members: MemberDraft[];
  onChange: (m: MemberDraft[]) => void;
  errors: ErrorMap;
  minRows?: number;
}) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<MemberDraft>) =>
    onChange(members.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const listError = errors[path];
  return (
    <fieldset
      className="group"
      id={fieldId(prefix, path)}
      tabIndex={-1}
      aria-describedby={listError ? `${fieldId(prefix, path)}-error` : undefined}
    >
      <legend>{t('members.legend')}</legend>
      <p className="hint">{t('members.hint')}</p>
      {listError ? (
        <p className="field-error" id={`${fieldId(prefix, path)}-error`}>
          {listError}
        </p>
      ) : null}
      {members.map((m, i) => (
        <fieldset className="row-group" key={i}>
          <legend>{t('members.member', { n: i + 1 })}</legend>
          <div className="row-fields">
            <TextField
              id={fieldId(prefix, `${path}.${i}.alias`)}
              label={t('members.alias')}
              value={m.alias}
              onChange={(alias) => update(i, { alias })}
              error={errors[`${path}.${i}.alias`]}
              autoComplete="off"
              maxLength={80}
              required
            />
            <SelectField
              id={fieldId(prefix, `${path}.${i}.kind`)}
              label={t('members.kind')}
              value={m.kind}
              onChange={(kind) => update(i, { kind: kind as MemberDraft['kind'] })}
              placeholder={t('common.choose')}
              options={[
                { value: 'adult', label: t('memberKind.adult') },
                { value: 'child', label: t('memberKind.child') },
              ]}
              error={errors[`${path}.${i}.kind`]}
              required
            />
            <TextField
              id={fieldId(prefix, `${path}.${i}.birthYear`)}
              label={t('members.birthYear')}
              value={m.birthYear}
              onChange={(birthYear) => update(i, { birthYear })}
              error={errors[`${path}.${i}.birthYear`]}
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              required
            />
          </div>
          {members.length > minRows ? (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                onChange(members.filter((_, j) => j !== i));
                focusSoon(`${fieldId(prefix, path)}-add`);
              }}
            >
              {t('members.remove', { n: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        id={`${fieldId(prefix, path)}-add`}
        onClick={() => {
          onChange([...members, emptyMember()]);
          focusSoon(fieldId(prefix, `${path}.${members.length}.alias`));
        }}
      >
        {t('members.add')}
      </button>
    </fieldset>
  );
}
