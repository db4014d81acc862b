import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { allMunicipalities } from '../../../machines/schemas/regions.ts';
import { familyViewSchema } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import {
  CheckboxField,
  DateTimeField,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../components/fields.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import {
  ErrorSummary,
  fieldId,
  problemText,
  serverErrors,
  zodErrors,
  type ErrorMap,
} from '../forms/errors.tsx';
import { MembersEditor, emptyMember, memberPayload, type MemberDraft } from '../forms/MembersEditor.tsx';
import { newReportSchema, violenceForms } from '../forms/newReport.ts';
import { amsterdamLocalToIso } from '../format.ts';

const P = 'report';
const sources = ['police', 'professional', 'citizen', 'anonymous', 'other'] as const;

export function NewReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const announce = useAnnounce();
  usePageTitle(t('newReport.title'));
  const [reference, setReference] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [source, setSource] = useState('');
  const [acute, setAcute] = useState(false);
  const [forms, setForms] = useState<string[]>([]);
  const [summary, setSummary] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [members, setMembers] = useState<MemberDraft[]>([emptyMember()]);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      reference,
      municipality,
      source: source || undefined,
      acute,
      violenceForms: forms,
      summary,
      receivedAt: receivedAt ? amsterdamLocalToIso(receivedAt) : undefined,
      members: members.map(memberPayload),
    };
    const parsed = newReportSchema.safeParse(body);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error, t));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const family = await api.post(familyViewSchema, '/families', parsed.data);
      announce(t('newReport.created', { reference: family.reference }));
      void navigate(`/families/${encodeURIComponent(family.id)}`);
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && err.status === 400 && err.problem.errors?.length)
        setErrors(serverErrors(err.problem.errors));
      else setErrors({ '': isApiError(err) ? problemText(err.problem, t) : t('errors.generic') });
    }
  }

  const toggleForm = (code: string, on: boolean) =>
    setForms((f) => (on ? [...f.filter((x) => x !== code), code] : f.filter((x) => x !== code)));

  return (
    <section aria-labelledby="new-report-title">
      <h1 id="new-report-title">{t('newReport.title')}</h1>
      <p>{t('newReport.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <ErrorSummary errors={errors} prefix={P} />
        <TextField
          id={fieldId(P, 'reference')}
          label={t('newReport.reference')}
          hint={t('newReport.referenceHint')}
          value={reference}
          onChange={setReference}
          error={errors.reference}
          autoComplete="off"
          required
        />
        <SelectField
          id={fieldId(P, 'municipality')}
          label={t('newReport.municipality')}
          value={municipality}
          onChange={setMunicipality}
          placeholder={t('common.choose')}
          options={allMunicipalities.map((m) => ({ value: m, label: m }))}
          error={errors.municipality}
          required
        />
        <RadioGroup
          id={fieldId(P, 'source')}
          legend={t('newReport.source')}
          value={source}
          onChange={setSource}
          options={sources.map((s) => ({ value: s, label: t(`source.${s}`) }))}
          error={errors.source}
          required
        />
        <CheckboxField
          id={fieldId(P, 'acute')}
          label={t('newReport.acute')}
          hint={t('newReport.acuteHint')}
          checked={acute}
          onChange={setAcute}
        />
        <fieldset className="group" id={fieldId(P, 'violenceForms')} tabIndex={-1}>
          <legend>{t('newReport.violenceForms')}</legend>
          {errors.violenceForms ? <p className="field-error">{errors.violenceForms}</p> : null}
          <div className="check-grid">
            {violenceForms.map((code) => (
              <CheckboxField
                key={code}
                id={fieldId(P, `violenceForms-${code}`)}
                label={t(`violenceForm.${code}`)}
                checked={forms.includes(code)}
                onChange={(on) => toggleForm(code, on)}
              />
            ))}
          </div>
        </fieldset>
        <TextArea
          id={fieldId(P, 'summary')}
          label={t('newReport.summary')}
          hint={t('newReport.summaryHint')}
          value={summary}
          onChange={setSummary}
          error={errors.summary}
          rows={4}
          required
        />
        <DateTimeField
          id={fieldId(P, 'receivedAt')}
          label={t('newReport.receivedAt')}
          hint={t('newReport.receivedAtHint')}
          value={receivedAt}
          onChange={setReceivedAt}
          error={errors.receivedAt}
        />
        <MembersEditor
          prefix={P}
          path="members"
          members={members}
          onChange={setMembers}
          errors={errors}
          minRows={1}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('common.saving') : t('newReport.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
