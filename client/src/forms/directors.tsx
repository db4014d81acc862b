import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { SelectField, TextField } from '../components/fields.tsx';
import { directorsSchema, type Directors } from '../../../contract/index.ts';

type DirectorRef = Directors['items'][number];

type Directory =
  { status: 'loading' } | { status: 'ready'; items: DirectorRef[] } | { status: 'unavailable' };

let cache: Promise<DirectorRef[]> | null = null;

/** Users who may be named as case director (a handover target). Cached for the page's lifetime. */
function loadDirectors(): Promise<DirectorRef[]> {
  cache ??= api.get(directorsSchema, '/directors').then((r) => r.items);
  cache.catch(() => {
    cache = null;
  });
  return cache;
}

export function useDirectors(): Directory {
  const [state, setState] = useState<Directory>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    loadDirectors().then(
      (items) => live && setState({ status: 'ready', items }),
      () => live && setState({ status: 'unavailable' }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Picks the receiving case director; falls back to typing the user id when no directory is offered. */
export function DirectorField({
  id,
  value,
  onChange,
  error,
  required,
  excludeId,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  required?: boolean;
  excludeId?: string | null;
}) {
  const { t } = useTranslation();
  const directory = useDirectors();
  if (directory.status === 'ready') {
    return (
      <SelectField
        id={id}
        label={t('eventForm.director')}
        value={value}
        onChange={onChange}
        placeholder={t('common.choose')}
        options={directory.items
          // A handover goes to someone who holds the director role (the machine's guard says so too).
          .filter((d) => d.id !== excludeId && d.roles.includes('director'))
          .map((d) => ({ value: d.id, label: `${d.displayName} (${d.username})` }))}
        error={error}
        required={required}
      />
    );
  }
  if (directory.status === 'loading') {
    // The same list, disabled until the directory has answered: no field to type into meanwhile.
    return (
      <SelectField
        id={id}
        label={t('eventForm.director')}
        value=""
        onChange={onChange}
        placeholder={t('common.loading')}
        options={[]}
        error={error}
        required={required}
        disabled
        aria-busy
      />
    );
  }
  return (
    <TextField
      id={id}
      label={t('eventForm.directorId')}
      hint={t('eventForm.directorIdHint')}
      value={value}
      onChange={onChange}
      error={error}
      required={required}
      autoComplete="off"
    />
  );
}
