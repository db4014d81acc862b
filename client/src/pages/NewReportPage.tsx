import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '@utrecht/button-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
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
import { newReportSchema, violenceForms, type NewReport } from '../forms/newReport.ts';
import { invalidateAfterWrite } from '../queries.ts';
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
  /** A 409: this reference already belongs to a family of the region; offer a repeat report on it. */
  const [existing, setExisting] = useState<{ id: string; body: NewReport } | null>(null);
  const existingRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (existing) existingRef.current?.focus();
  }, [existing]);

  /** The report as a repeat report (`report.received`) on the family that has its reference. */
  async function repeatOn(target: { id: string; body: NewReport }) {
    setBusy(true);
    const path = `/families/${encodeURIComponent(target.id)}`;
    try {
      const family = await api.get(familyViewSchema, path);
      const { source, acute, summary, receivedAt, violenceForms } = target.body;
      await api.post(familyViewSchema, `${path}/events`, {
        type: 'report.received',
        expectedVersion: family.version,
        payload: { source, acute, summary, violenceForms, members: [], ...(receivedAt ? { receivedAt } : {}) },
      });
      await invalidateAfterWrite(target.id);
      announce(t('newReport.repeated', { reference: family.reference }));
      void navigate(path);
    } catch (err) {
      setBusy(false);
      setExisting(null);
      setErrors({ '': isApiError(err) ? problemText(err.problem, t) : t('errors.generic') });
    }
  }

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
    setExisting(null);
    setBusy(true);
    try {
      const family = await api.post(familyViewSchema, '/families', parsed.data);
      announce(t('newReport.created', { reference: family.reference }));
      void navigate(`/families/${encodeURIComponent(family.id)}`);
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && err.status === 409 && err.problem.existingFamilyId)
        setExisting({ id: err.problem.existingFamilyId, body: parsed.data });
      else if (isApiError(err) && err.status === 400 && err.problem.errors?.length)
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
        {existing ? (
          <div className="notice warning" role="alert" tabIndex={-1} ref={existingRef} data-testid="duplicate">
            <p>{t('newReport.duplicate', { reference: existing.body.reference })}</p>
            <div className="button-row">
              <Button
                type="button"
                appearance="primary-action-button"
                disabled={busy}
                onClick={() => void repeatOn(existing)}
              >
                {t('newReport.repeat')}
              </Button>
              <Link to={`/families/${encodeURIComponent(existing.id)}`}>{t('newReport.openExisting')}</Link>
            </div>
          </div>
        ) : null}
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
