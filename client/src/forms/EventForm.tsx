import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { decisionEventTypes, type UserEventType } from '../../../machines/schemas/events.ts';
import {
  familyViewSchema,
  historySchema,
  type EventRequest,
  type HistoryEvent,
} from '../../../contract/index.ts';
import { actorText, namesOf, type Names } from '../audit/names.ts';
import { formatDateTime } from '../format.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { FocusedNotice } from '../components/FocusedNotice.tsx';
import { eventAction } from '../labels.ts';
import type { FamilyView } from '../types.ts';
import { BTextArea, FormFrame, useRequestForm } from './bound.tsx';
import { problemText } from './errors.tsx';
import { editors } from './eventEditors.tsx';
import { eventFormSchema, type EventDraft } from './requestSchema.ts';

const decisions: readonly string[] = decisionEventTypes;
export const isDecision = (type: string) => decisions.includes(type);

export type EventOutcome = { kind: 'accepted'; family: FamilyView } | { kind: 'conflict' } | { kind: 'gone' };

/**
 * The form for one allowed event, on react-hook-form. The draft is checked with the server's own
 * request schema (requestSchema.ts) before anything is sent; then `{ type, expectedVersion,
 * payload, reason }` goes out. A 400 puts its issues at the fields they name, a 409 lists what
 * others recorded meanwhile (the parent reloads, the draft stays, the next try is on the new
 * version), a 422 shows the server's explanation.
 */
export function EventForm({
  type,
  family,
  onDone,
  onCancel,
}: {
  type: UserEventType;
  family: FamilyView;
  onDone: (outcome: EventOutcome) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const editor = editors[type];
  const prefix = `ev-${type.replace(/\./g, '-')}`;
  const needsReason = isDecision(type);
  const familyRef = useRef(family);
  familyRef.current = family;
  const schema = useMemo(
    () => eventFormSchema<EventDraft>(type, editor, () => familyRef.current, t),
    [type, editor, t],
  );
  const { form, errors, setSent, showProblem } = useRequestForm<EventDraft, EventRequest>(
    prefix,
    schema,
    { ...editor.init(family), reason: '' },
    { ...editor.missing?.(t), reason: t('validation.reasonRequired') },
  );
  const [refusal, setRefusal] = useState<string | null>(null);
  /** On a 409: the events recorded since the version this form was based on (null: none yet). */
  const [conflict, setConflict] = useState<{ events: HistoryEvent[]; names: Names | undefined } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const busy = form.formState.isSubmitting;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function send(request: EventRequest) {
    setSent({});
    setRefusal(null);
    setConflict(null);
    const base = familyRef.current;
    try {
      const next = await api.post(
        familyViewSchema,
        `/families/${encodeURIComponent(base.id)}/events`,
        request,
      );
      announce(t('eventForm.saved', { event: eventAction(t, type), version: next.version }));
      onDone({ kind: 'accepted', family: next });
    } catch (err) {
      if (!isApiError(err)) {
        setRefusal(t('errors.generic'));
        return;
      }
      const p = err.problem;
      if (err.status === 400 && p.errors?.length) {
        showProblem(p);
        announce(t('errors.summaryTitle'));
      } else if (err.status === 409) {
        // What others recorded since this form's version; the parent reloads the family, the input
        // stays, and the next submit is based on the new version.
        const since = await api
          .get(historySchema, `/families/${encodeURIComponent(base.id)}/history`)
          .then((h) => ({
            events: h.events.filter((ev) => ev.seq > base.version),
            names: namesOf(t, h.people, undefined),
          }))
          .catch(() => ({ events: [], names: undefined }));
        setConflict(since);
        announce(t('errors.conflict'));
        onDone({ kind: 'conflict' });
      } else if (err.status === 404) {
        onDone({ kind: 'gone' });
      } else {
        const text = problemText(p, t);
        setRefusal(text);
        announce(text);
      }
    }
  }

  const submit = form.handleSubmit(send, () => {
    setSent({});
    setRefusal(null);
    announce(t('errors.summaryTitle'));
  });

  const Form = editor.Form;
  return (
    <section className="event-form" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`} tabIndex={-1} ref={headingRef}>
        {eventAction(t, type)}
      </h3>
      {t(`eventHelp.${type.replace(/\./g, '_')}`, { defaultValue: '' }) ? (
        <p className="hint">{t(`eventHelp.${type.replace(/\./g, '_')}`)}</p>
      ) : null}
      <FormFrame
        form={form}
        prefix={prefix}
        errors={errors}
        onSubmit={submit}
        busy={busy}
        data-event-type={type}
        before={
          <>
            {conflict ? (
              <FocusedNotice
                as="div"
                className="notice warning"
                role="alert"
                testId="conflict"
                focusKey={conflict}
              >
                <p>{t('errors.conflict')}</p>
                {conflict.events.length > 0 ? (
                  <>
                    <p>{t('eventForm.changedSince')}</p>
                    <ul className="changes">
                      {conflict.events.map((ev) => (
                        <li key={ev.seq}>
                          {t('eventForm.change', {
                            what: eventAction(t, ev.type),
                            who: actorText(ev.actor, t, conflict.names),
                            when: formatDateTime(ev.recordedAt),
                          })}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </FocusedNotice>
            ) : null}
            {refusal ? (
              <FocusedNotice as="div" className="form-error" role="alert" testId="refusal" focusKey={refusal}>
                <p>
                  <strong>{t('eventForm.refused')}</strong> {refusal}
                </p>
              </FocusedNotice>
            ) : null}
          </>
        }
      >
        <Form ctx={{ family, prefix, t }} />
        <BTextArea
          name="reason"
          label={needsReason ? t('eventForm.reason') : t('eventForm.reasonOptional')}
          hint={needsReason ? t('eventForm.reasonHint') : t('eventForm.reasonOptionalHint')}
          required={needsReason}
          rows={3}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('common.saving') : t('eventForm.submit', { event: eventAction(t, type) })}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
        </div>
      </FormFrame>
    </section>
  );
}
