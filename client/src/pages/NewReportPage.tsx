import { useState } from 'react';
import { Button } from '@utrecht/button-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { allMunicipalities } from '../../../machines/schemas/regions.ts';
import { familyViewSchema } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { FocusedNotice } from '../components/FocusedNotice.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { BSelect, BText, FormFrame, useRequestForm } from '../forms/bound.tsx';
import { problemText } from '../forms/errors.tsx';
import { ReportFields } from '../forms/MembersEditor.tsx';
import {
  newReportDraft,
  newReportFormSchema,
  type NewReport,
  type NewReportDraft,
} from '../forms/newReport.ts';
import { invalidateAfterWrite } from '../queries.ts';

const P = 'report';

export function NewReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const announce = useAnnounce();
  usePageTitle(t('newReport.title'));
  const { form, errors, setSent, showProblem } = useRequestForm<NewReportDraft, NewReport>(
    P,
    newReportFormSchema,
    newReportDraft(),
  );
  const [repeating, setRepeating] = useState(false);
  const busy = form.formState.isSubmitting || repeating;
  /** A 409: this reference already belongs to a family of the region; offer a repeat report on it. */
  const [existing, setExisting] = useState<{ id: string; body: NewReport } | null>(null);

  /** The report as a repeat report (`report.received`) on the family that has its reference. */
  async function repeatOn(target: { id: string; body: NewReport }) {
    setRepeating(true);
    const path = `/families/${encodeURIComponent(target.id)}`;
    try {
      const family = await api.get(familyViewSchema, path);
      const { source, acute, summary, receivedAt, violenceForms } = target.body;
      await api.post(familyViewSchema, `${path}/events`, {
        type: 'report.received',
        expectedVersion: family.version,
        payload: {
          source,
          acute,
          summary,
          violenceForms,
          members: [],
          ...(receivedAt ? { receivedAt } : {}),
        },
      });
      await invalidateAfterWrite(target.id);
      announce(t('newReport.repeated', { reference: family.reference }));
      void navigate(path);
    } catch (err) {
      setRepeating(false);
      setExisting(null);
      setSent({ '': isApiError(err) ? problemText(err.problem, t) : t('errors.generic') });
    }
  }

  const submit = form.handleSubmit(
    async (body) => {
      setSent({});
      setExisting(null);
      try {
        const family = await api.post(familyViewSchema, '/families', body);
        announce(t('newReport.created', { reference: family.reference }));
        void navigate(`/families/${encodeURIComponent(family.id)}`);
      } catch (err) {
        if (isApiError(err) && err.status === 409 && err.problem.existingFamilyId)
          setExisting({ id: err.problem.existingFamilyId, body });
        else if (isApiError(err)) showProblem(err.problem);
        else setSent({ '': t('errors.generic') });
      }
    },
    () => setSent({}),
  );

  return (
    <section aria-labelledby="new-report-title">
      <h1 id="new-report-title">{t('newReport.title')}</h1>
      <p>{t('newReport.intro')}</p>
      <FormFrame form={form} prefix={P} errors={errors} onSubmit={submit} busy={busy}>
        {existing ? (
          <FocusedNotice
            as="div"
            className="notice warning"
            role="alert"
            testId="duplicate"
            focusKey={existing}
          >
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
          </FocusedNotice>
        ) : null}
        <BText
          name="reference"
          label={t('newReport.reference')}
          hint={t('newReport.referenceHint')}
          autoComplete="off"
          required
        />
        <BSelect
          name="municipality"
          label={t('newReport.municipality')}
          placeholder={t('common.choose')}
          options={allMunicipalities.map((m) => ({ value: m, label: m }))}
          required
        />
        <ReportFields t={t} minMembers={1} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('common.saving') : t('newReport.submit')}
          </button>
        </div>
      </FormFrame>
    </section>
  );
}
