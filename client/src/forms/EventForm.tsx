import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { decisionEventTypes, parsePayload, type UserEventType } from '../../../machines/schemas/events.ts';
import { longText } from '../../../machines/schemas/common.ts';
import { familyViewSchema, historySchema, type HistoryEvent } from '../../../contract/index.ts';
import { actorText, namesOf, type Names } from '../audit/names.ts';
import { formatDateTime } from '../format.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { TextArea } from '../components/fields.tsx';
import { eventAction } from '../labels.ts';
import type { FamilyView } from '../types.ts';
import { ErrorSummary, fieldId, problemText, serverErrors, zodErrors, type ErrorMap } from './errors.tsx';
import { editors } from './eventEditors.tsx';

const decisions: readonly string[] = decisionEventTypes;
export const isDecision = (type: string) => decisions.includes(type);

export type EventOutcome = { kind: 'accepted'; family: FamilyView } | { kind: 'conflict' } | { kind: 'gone' };

/**
 * The form for one allowed event. Validates with the shared schema, sends
 * `{ type, expectedVersion, payload, reason }` and shows 400 field errors at their fields, 409 as
 * "reloaded" (the parent reloads, the draft stays) and 422 with the server's explanation.
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
  const [draft, setDraft] = useState<unknown>(() => editor.init(family));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ErrorMap>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  /** On a 409: the events recorded since the version this form was based on (null: none yet). */
  const [conflict, setConflict] = useState<{ events: HistoryEvent[]; names: Names | undefined } | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const needsReason = isDecision(type);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  // A refusal or a conflict is where the user reads on: focus goes to it (not to <body>).
  useEffect(() => {
    if (refusal || conflict) messageRef.current?.focus();
  }, [refusal, conflict]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setRefusal(null);
    setConflict(null);
    const ctx = { family, prefix, errors, t };
    const payload = editor.toPayload(draft, family);
    const parsed = parsePayload(type, payload);
    // The editor's own checks speak the form's language ("answer at least one condition"); where
    // they and the schema flag the same field, the editor's sentence is the one shown.
    const found: ErrorMap = {
      ...(parsed.success ? {} : zodErrors(parsed.error, t)),
      ...editor.check?.(draft, ctx),
    };
    const trimmed = reason.trim();
    if (needsReason && !trimmed) found.reason = t('validation.reasonRequired');
    else if (trimmed) {
      const r = longText.safeParse(reason);
      if (!r.success) found.reason = zodErrors(r.error, t)[''] ?? t('validation.invalid');
    }
    if (Object.keys(found).length > 0 || !parsed.success) {
      setErrors(found);
      announce(t('errors.summaryTitle'));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const next = await api.post(familyViewSchema, `/families/${encodeURIComponent(family.id)}/events`, {
        type,
        expectedVersion: family.version,
        payload: parsed.data,
        ...(trimmed ? { reason: trimmed } : {}),
      });
      announce(t('eventForm.saved', { event: eventAction(t, type), version: next.version }));
      onDone({ kind: 'accepted', family: next });
    } catch (err) {
      setBusy(false);
      if (!isApiError(err)) {
        setRefusal(t('errors.generic'));
        return;
      }
      const p = err.problem;
      if (err.status === 400 && p.errors?.length) {
        setErrors(serverErrors(p.errors));
      } else if (err.status === 409) {
        // What others recorded since this form's version; the parent reloads the family, the input
        // stays, and the next submit is based on the new version.
        const since = await api
          .get(historySchema, `/families/${encodeURIComponent(family.id)}/history`)
          .then((h) => ({ events: h.events.filter((ev) => ev.seq > family.version), names: namesOf(t, h.people, undefined) }))
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

  const Form = editor.Form;
  return (
    <section className="event-form" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`} tabIndex={-1} ref={headingRef}>
        {eventAction(t, type)}
      </h3>
      {t(`eventHelp.${type.replace(/\./g, '_')}`, { defaultValue: '' }) ? (
        <p className="hint">{t(`eventHelp.${type.replace(/\./g, '_')}`)}</p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-event-type={type}>
        {conflict ? (
          <div className="notice warning" role="alert" tabIndex={-1} ref={messageRef} data-testid="conflict">
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
          </div>
        ) : null}
        {refusal ? (
          <div className="form-error" role="alert" data-testid="refusal" tabIndex={-1} ref={messageRef}>
            <p>
              <strong>{t('eventForm.refused')}</strong> {refusal}
            </p>
          </div>
        ) : null}
        <ErrorSummary errors={errors} prefix={prefix} />
        <Form draft={draft} set={setDraft} ctx={{ family, prefix, errors, t }} />
        <TextArea
          id={fieldId(prefix, 'reason')}
          label={needsReason ? t('eventForm.reason') : t('eventForm.reasonOptional')}
          hint={needsReason ? t('eventForm.reasonHint') : t('eventForm.reasonOptionalHint')}
          value={reason}
          onChange={setReason}
          error={errors.reason}
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
      </form>
    </section>
  );
}
