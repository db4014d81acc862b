import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { UserEventType } from '../../../machines/schemas/events.ts';
import {
  CheckboxField,
  DateTimeField,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../components/fields.tsx';
import { amsterdamLocalToIso, formatDate, isoToAmsterdamLocal } from '../format.ts';
import { measureKindLabel, statusLabel } from '../labels.ts';
import { serverNowIso } from '../serverClock.ts';
import type { FamilyView, Member } from '../types.ts';
import { DirectorField } from './directors.tsx';
import { fieldId, focusSoon, type ErrorMap } from './errors.tsx';
import { MembersEditor, memberPayload, type MemberDraft } from './MembersEditor.tsx';
import { violenceForms } from './newReport.ts';

// One editor per event type: the draft the inputs edit, how it becomes the payload the shared zod
// schema checks, and the inputs themselves. Error keys are payload paths, so client-side zod issues
// and the server's 400 `errors` land next to the same fields.

export type EditorCtx = { family: FamilyView; prefix: string; errors: ErrorMap; t: TFunction };

export type Editor<D> = {
  init: (family: FamilyView) => D;
  toPayload: (draft: D, family: FamilyView) => unknown;
  /** Checks that need the draft as a whole (a guard the user can fix before sending). */
  check?: (draft: D, ctx: EditorCtx) => ErrorMap;
  Form: (props: { draft: D; set: (d: D) => void; ctx: EditorCtx }) => ReactNode;
};

const optionalIso = (local: string) => (local.trim() ? amsterdamLocalToIso(local) : undefined);
const openConditions = (f: FamilyView) => f.conditions.filter((c) => c.status === 'open');
const children = (f: FamilyView) => f.members.filter((m) => m.kind === 'child');
const memberLabel = (m: Member, t: TFunction) =>
  `${m.alias} (${m.kind === 'child' ? t('memberKind.child') : t('memberKind.adult')}, ${m.birthYear})`;

function update<D>(draft: D, set: (d: D) => void) {
  return <K extends keyof D>(key: K) =>
    (value: D[K]) =>
      set({ ...draft, [key]: value });
}

const empty: Editor<Record<string, never>> = {
  init: () => ({}),
  toPayload: () => ({}),
  Form: () => null,
};

// ---------------------------------------------------------------- assessment / investigation

type ConditionDraft = { description: string; dueAt: string };
type DecisionDraft = {
  decision: string;
  acute: boolean;
  structural: boolean;
  directorId: string;
  conditions: ConditionDraft[];
};

const entersDirectSafety = (decision: string) =>
  decision === 'handover' || decision === 'conditionsAndFollowUp';

function ConditionsEditor({
  ctx,
  conditions,
  onChange,
}: {
  ctx: EditorCtx;
  conditions: ConditionDraft[];
  onChange: (c: ConditionDraft[]) => void;
}) {
  const { t, prefix, errors } = ctx;
  const setRow = (i: number, patch: Partial<ConditionDraft>) =>
    onChange(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <fieldset className="group" id={fieldId(prefix, 'conditions')} tabIndex={-1}>
      <legend>{t('eventForm.conditions')}</legend>
      <p className="hint">{t('eventForm.conditionsHint')}</p>
      {errors.conditions ? <p className="field-error">{errors.conditions}</p> : null}
      {conditions.map((c, i) => (
        <fieldset className="row-group" key={i}>
          <legend>{t('eventForm.condition', { n: i + 1 })}</legend>
          <div className="row-fields">
            <TextField
              id={fieldId(prefix, `conditions.${i}.description`)}
              label={t('eventForm.conditionDescription')}
              value={c.description}
              onChange={(description) => setRow(i, { description })}
              error={errors[`conditions.${i}.description`]}
              required
            />
            <DateTimeField
              id={fieldId(prefix, `conditions.${i}.dueAt`)}
              label={t('eventForm.conditionDueAt')}
              value={c.dueAt}
              onChange={(dueAt) => setRow(i, { dueAt })}
              error={errors[`conditions.${i}.dueAt`]}
            />
          </div>
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              onChange(conditions.filter((_, j) => j !== i));
              focusSoon(fieldId(prefix, 'conditions-add'));
            }}
          >
            {t('eventForm.removeCondition', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        id={fieldId(prefix, 'conditions-add')}
        onClick={() => {
          onChange([...conditions, { description: '', dueAt: '' }]);
          focusSoon(fieldId(prefix, `conditions.${conditions.length}.description`));
        }}
      >
        {t('eventForm.addCondition')}
      </button>
    </fieldset>
  );
}

function decisionEditor(allowInvestigate: boolean): Editor<DecisionDraft> {
  const decisions = [
    'close',
    ...(allowInvestigate ? ['investigate'] : []),
    'conditionsAndFollowUp',
    'handover',
  ];
  return {
    init: (f) => ({
      decision: '',
      acute: f.acute,
      structural: false,
      directorId: '',
      conditions: [{ description: '', dueAt: '' }],
    }),
    toPayload: (d) => ({
      decision: d.decision || undefined,
      acute: d.acute,
      structural: d.structural,
      directorId: d.decision === 'handover' && d.directorId.trim() ? d.directorId.trim() : undefined,
      // Untouched empty rows are dropped; half-filled ones are sent so the schema can point at them.
      conditions: entersDirectSafety(d.decision)
        ? d.conditions
            .filter((c) => c.description.trim() || c.dueAt.trim())
            .map((c) => ({ description: c.description, dueAt: optionalIso(c.dueAt) }))
        : [],
    }),
    check: (d, { t }): ErrorMap =>
      d.decision === 'handover' && !d.directorId.trim() ? { directorId: t('validation.chooseDirector') } : {},
    Form: ({ draft, set, ctx }) => {
      const { t, prefix, errors } = ctx;
      const on = update(draft, set);
      return (
        <>
          <RadioGroup
            id={fieldId(prefix, 'decision')}
            legend={t('eventForm.decision')}
            value={draft.decision}
            onChange={on('decision')}
            options={decisions.map((v) => ({ value: v, label: t(`decision.${v}`) }))}
            error={errors.decision}
            required
          />
          <CheckboxField
            id={fieldId(prefix, 'acute')}
            label={t('eventForm.acute')}
            checked={draft.acute}
            onChange={on('acute')}
          />
          <CheckboxField
            id={fieldId(prefix, 'structural')}
            label={t('eventForm.structural')}
            checked={draft.structural}
            onChange={on('structural')}
          />
          {draft.decision === 'handover' ? (
            <DirectorField
              id={fieldId(prefix, 'directorId')}
              value={draft.directorId}
              onChange={on('directorId')}
              error={errors.directorId}
              required
            />
          ) : null}
          {entersDirectSafety(draft.decision) ? (
            <ConditionsEditor ctx={ctx} conditions={draft.conditions} onChange={on('conditions')} />
          ) : null}
        </>
      );
    },
  };
}

// ---------------------------------------------------------------- handover

const handoverOffered: Editor<{ directorId: string }> = {
  init: () => ({ directorId: '' }),
  toPayload: (d) => ({ directorId: d.directorId.trim() || undefined }),
  Form: ({ draft, set, ctx }) => (
    <DirectorField
      id={fieldId(ctx.prefix, 'directorId')}
      value={draft.directorId}
      onChange={(directorId) => set({ directorId })}
      error={ctx.errors.directorId}
      excludeId={ctx.family.caseDirector?.id ?? null}
      required
    />
  ),
};

// ---------------------------------------------------------------- safety plan

type AgreementDraft = { description: string; responsible: string; covers: string[] };
type PlanDraft = {
  agreements: AgreementDraft[];
  memberIds: string[];
  professionals: string[];
  perspectives: Record<string, string>;
};

const planEditor: Editor<PlanDraft> = {
  init: (f) => {
    const plan = f.safetyPlan;
    if (!plan) {
      return {
        agreements: [{ description: '', responsible: '', covers: openConditions(f).map((c) => c.id) }],
        memberIds: [],
        professionals: [''],
        perspectives: {},
      };
    }
    // A revision starts from the plan in force, so only what changes has to be typed.
    return {
      agreements: plan.agreements.map((a) => ({
        description: a.description,
        responsible: a.responsible,
        covers: [...a.coversConditionIds],
      })),
      memberIds: plan.participants.flatMap((p) => ('memberId' in p ? [p.memberId] : [])),
      professionals: [...plan.participants.flatMap((p) => ('professional' in p ? [p.professional] : [])), ''],
      perspectives: Object.fromEntries(plan.childPerspectives.map((c) => [c.memberId, c.perspective])),
    };
  },
  toPayload: (d, f) => ({
    agreements: d.agreements.map((a) => ({
      description: a.description,
      responsible: a.responsible,
      coversConditionIds: a.covers,
    })),
    participants: [
      ...f.members.filter((m) => d.memberIds.includes(m.id)).map((m) => ({ memberId: m.id })),
      ...d.professionals.filter((p) => p.trim()).map((professional) => ({ professional })),
    ],
    childPerspectives: children(f).map((c) => ({ memberId: c.id, perspective: d.perspectives[c.id] ?? '' })),
  }),
  check: (d, { t }): ErrorMap =>
    d.agreements.length === 0 ? { agreements: t('validation.minItems', { min: 1 }) } : {},
  Form: ({ draft, set, ctx }) => {
    const { t, prefix, errors, family } = ctx;
    const conds = openConditions(family);
    const setAgreement = (i: number, patch: Partial<AgreementDraft>) =>
      set({ ...draft, agreements: draft.agreements.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
    const checkedMembers = family.members.filter((m) => draft.memberIds.includes(m.id)).length;
    return (
      <>
        <fieldset className="group" id={fieldId(prefix, 'agreements')} tabIndex={-1}>
          <legend>{t('plan.agreements')}</legend>
          {errors.agreements ? <p className="field-error">{errors.agreements}</p> : null}
          {draft.agreements.map((a, i) => (
            <fieldset className="row-group" key={i}>
              <legend>{t('plan.agreement', { n: i + 1 })}</legend>
              <TextField
                id={fieldId(prefix, `agreements.${i}.description`)}
                label={t('plan.agreementDescription')}
                value={a.description}
                onChange={(description) => setAgreement(i, { description })}
                error={errors[`agreements.${i}.description`]}
                required
              />
              <TextField
                id={fieldId(prefix, `agreements.${i}.responsible`)}
                label={t('plan.responsible')}
                value={a.responsible}
                onChange={(responsible) => setAgreement(i, { responsible })}
                error={errors[`agreements.${i}.responsible`]}
                required
              />
              {conds.length > 0 ? (
                <fieldset
                  className="group nested"
                  id={fieldId(prefix, `agreements.${i}.coversConditionIds`)}
                  tabIndex={-1}
                >
                  <legend>{t('plan.covers')}</legend>
                  {conds.map((c) => (
                    <CheckboxField
                      key={c.id}
                      id={fieldId(prefix, `agreements.${i}.covers.${c.id}`)}
                      label={c.description}
                      checked={a.covers.includes(c.id)}
                      onChange={(on) =>
                        setAgreement(i, {
                          covers: on ? [...a.covers, c.id] : a.covers.filter((x) => x !== c.id),
                        })
                      }
                    />
                  ))}
                </fieldset>
              ) : null}
              <button
                type="button"
                className="secondary small"
                onClick={() => {
                  set({ ...draft, agreements: draft.agreements.filter((_, j) => j !== i) });
                  focusSoon(fieldId(prefix, 'agreements-add'));
                }}
              >
                {t('plan.removeAgreement', { n: i + 1 })}
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            className="secondary"
            id={fieldId(prefix, 'agreements-add')}
            onClick={() => {
              set({
                ...draft,
                agreements: [...draft.agreements, { description: '', responsible: '', covers: [] }],
              });
              focusSoon(fieldId(prefix, `agreements.${draft.agreements.length}.description`));
            }}
          >
            {t('plan.addAgreement')}
          </button>
        </fieldset>

        <fieldset className="group" id={fieldId(prefix, 'participants')} tabIndex={-1}>
          <legend>{t('plan.participants')}</legend>
          <p className="hint">{t('plan.participantsHint')}</p>
          {errors.participants ? <p className="field-error">{errors.participants}</p> : null}
          {family.members.map((m) => (
            <CheckboxField
              key={m.id}
              id={fieldId(prefix, `participants.member.${m.id}`)}
              label={memberLabel(m, t)}
              checked={draft.memberIds.includes(m.id)}
              onChange={(on) =>
                set({
                  ...draft,
                  memberIds: on ? [...draft.memberIds, m.id] : draft.memberIds.filter((x) => x !== m.id),
                })
              }
            />
          ))}
          {draft.professionals.map((p, j) => {
            const index = checkedMembers + draft.professionals.slice(0, j).filter((x) => x.trim()).length;
            return (
              <TextField
                key={j}
                id={fieldId(prefix, `professionals.${j}`)}
                label={t('plan.professional', { n: j + 1 })}
                hint={j === draft.professionals.length - 1 ? t('plan.professionalHint') : undefined}
                value={p}
                onChange={(v) =>
                  set({ ...draft, professionals: draft.professionals.map((x, k) => (k === j ? v : x)) })
                }
                error={p.trim() ? errors[`participants.${index}.professional`] : undefined}
              />
            );
          })}
          <button
            type="button"
            className="secondary"
            onClick={() => set({ ...draft, professionals: [...draft.professionals, ''] })}
          >
            {t('plan.addProfessional')}
          </button>
        </fieldset>

        {children(family).length > 0 ? (
          <fieldset className="group">
            <legend>{t('plan.childPerspectives')}</legend>
            <p className="hint">{t('plan.childPerspectivesHint')}</p>
            {children(family).map((c, i) => (
              <TextArea
                key={c.id}
                id={fieldId(prefix, `childPerspectives.${i}.perspective`)}
                label={t('plan.perspectiveOf', { alias: c.alias })}
                value={draft.perspectives[c.id] ?? ''}
                onChange={(v) => set({ ...draft, perspectives: { ...draft.perspectives, [c.id]: v } })}
                error={errors[`childPerspectives.${i}.perspective`]}
                required
              />
            ))}
          </fieldset>
        ) : null}
      </>
    );
  },
};

// ---------------------------------------------------------------- incidents

type IncidentDraft = { occurredAt: string; severity: string; description: string };

const incidentReported: Editor<IncidentDraft> = {
  init: () => ({ occurredAt: isoToAmsterdamLocal(serverNowIso()), severity: '', description: '' }),
  toPayload: (d) => ({
    occurredAt: amsterdamLocalToIso(d.occurredAt),
    severity: d.severity || undefined,
    description: d.description,
  }),
  Form: ({ draft, set, ctx }) => {
    const { t, prefix, errors } = ctx;
    const on = update(draft, set);
    return (
      <>
        <DateTimeField
          id={fieldId(prefix, 'occurredAt')}
          label={t('incident.occurredAt')}
          value={draft.occurredAt}
          onChange={on('occurredAt')}
          error={errors.occurredAt}
          required
        />
        <RadioGroup
          id={fieldId(prefix, 'severity')}
          legend={t('incident.severity')}
          value={draft.severity}
          onChange={on('severity')}
          options={['minor', 'serious'].map((v) => ({ value: v, label: t(`severity.${v}`) }))}
          hint={t('incident.severityHint')}
          error={errors.severity}
          required
        />
        <TextArea
          id={fieldId(prefix, 'description')}
          label={t('incident.description')}
          hint={t('common.noPersonalData')}
          value={draft.description}
          onChange={on('description')}
          error={errors.description}
          required
        />
      </>
    );
  },
};

// ---------------------------------------------------------------- stable safety

type StabilityDraft = {
  riskFactorsResolved: boolean;
  presence: Record<string, { took: string; absentReason: string }>;
  professionals: string[];
};

const stabilityConfirmed: Editor<StabilityDraft> = {
  init: (f) => ({
    riskFactorsResolved: false,
    presence: Object.fromEntries(f.members.map((m) => [m.id, { took: '', absentReason: '' }])),
    professionals: [''],
  }),
  toPayload: (d, f) => ({
    riskFactorsResolved: d.riskFactorsResolved,
    participants: f.members.map((m) => {
      const p = d.presence[m.id];
      return p?.took === 'absent' ? { memberId: m.id, absentReason: p.absentReason } : { memberId: m.id };
    }),
    professionals: d.professionals.filter((p) => p.trim()),
  }),
  check: (d, { family, t }) => {
    const out: ErrorMap = {};
    family.members.forEach((m, i) => {
      if (!d.presence[m.id]?.took) out[`participants.${i}.took`] = t('validation.choose');
    });
    return out;
  },
  Form: ({ draft, set, ctx }) => {
    const { t, prefix, errors, family } = ctx;
    const setPresence = (id: string, patch: Partial<{ took: string; absentReason: string }>) =>
      set({
        ...draft,
        presence: {
          ...draft.presence,
          [id]: { took: '', absentReason: '', ...draft.presence[id], ...patch },
        },
      });
    return (
      <>
        <p className="hint">
          {t('stability.intro', { from: formatDate(family.incidentFree.stableSafetyFrom) })}
        </p>
        <CheckboxField
          id={fieldId(prefix, 'riskFactorsResolved')}
          label={t('stability.riskFactorsResolved')}
          checked={draft.riskFactorsResolved}
          onChange={(riskFactorsResolved) => set({ ...draft, riskFactorsResolved })}
          error={errors.riskFactorsResolved}
        />
        <fieldset className="group" id={fieldId(prefix, 'participants')} tabIndex={-1}>
          <legend>{t('stability.members')}</legend>
          {errors.participants ? <p className="field-error">{errors.participants}</p> : null}
          {family.members.map((m, i) => {
            const p = draft.presence[m.id] ?? { took: '', absentReason: '' };
            return (
              <div className="row-group" key={m.id}>
                <RadioGroup
                  id={fieldId(prefix, `participants.${i}.took`)}
                  legend={memberLabel(m, t)}
                  value={p.took}
                  onChange={(took) => setPresence(m.id, { took })}
                  options={[
                    { value: 'present', label: t('stability.present') },
                    { value: 'absent', label: t('stability.absent') },
                  ]}
                  error={errors[`participants.${i}.took`]}
                  required
                />
                {p.took === 'absent' ? (
                  <TextField
                    id={fieldId(prefix, `participants.${i}.absentReason`)}
                    label={t('stability.absentReason', { alias: m.alias })}
                    value={p.absentReason}
                    onChange={(absentReason) => setPresence(m.id, { absentReason })}
                    error={errors[`participants.${i}.absentReason`]}
                    required
                  />
                ) : null}
              </div>
            );
          })}
        </fieldset>
        <fieldset className="group">
          <legend>{t('stability.professionals')}</legend>
          {draft.professionals.map((p, j) => (
            <TextField
              key={j}
              id={fieldId(prefix, `professionals.${j}`)}
              label={t('plan.professional', { n: j + 1 })}
              value={p}
              onChange={(v) =>
                set({ ...draft, professionals: draft.professionals.map((x, k) => (k === j ? v : x)) })
              }
              error={errors[`professionals.${j}`]}
            />
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => set({ ...draft, professionals: [...draft.professionals, ''] })}
          >
            {t('plan.addProfessional')}
          </button>
        </fieldset>
      </>
    );
  },
};

// ---------------------------------------------------------------- closing, escalation

const caseClosed: Editor<{ reasonCode: string }> = {
  init: () => ({ reasonCode: '' }),
  toPayload: (d) => ({ reasonCode: d.reasonCode || undefined }),
  Form: ({ draft, set, ctx }) => (
    <RadioGroup
      id={fieldId(ctx.prefix, 'reasonCode')}
      legend={ctx.t('eventForm.reasonCode')}
      value={draft.reasonCode}
      onChange={(reasonCode) => set({ reasonCode })}
      options={['movedAway', 'transferred', 'noGrounds', 'other'].map((v) => ({
        value: v,
        label: ctx.t(`closeReason.${v}`),
      }))}
      error={ctx.errors.reasonCode}
      required
    />
  ),
};

const escalationRaised: Editor<{ to: string }> = {
  init: () => ({ to: '' }),
  toPayload: (d) => ({ to: d.to || undefined }),
  Form: ({ draft, set, ctx }) => (
    <RadioGroup
      id={fieldId(ctx.prefix, 'to')}
      legend={ctx.t('eventForm.escalateTo')}
      value={draft.to}
      onChange={(to) => set({ to })}
      options={['MDA++', 'ZVH', 'RvdK'].map((v) => ({
        value: v,
        label: ctx.t(`escalationTarget.${v.replace(/\+/g, 'plus')}`),
      }))}
      error={ctx.errors.to}
      required
    />
  ),
};

// ---------------------------------------------------------------- monitoring

type CheckDraft = { answers: Record<string, string>; notes: string };

/**
 * Every condition that still counts (not withdrawn) can be checked, open ones first: a family whose
 * conditions were all met before must still get its periodic check (issue 12, finding 1). Only the
 * conditions answered are sent.
 */
const checkable = (f: FamilyView) =>
  f.conditions
    .filter((c) => c.status !== 'withdrawn')
    .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open'));

const checkRecorded: Editor<CheckDraft> = {
  init: () => ({ answers: {}, notes: '' }),
  toPayload: (d, f) => ({
    results: checkable(f)
      .filter((c) => d.answers[c.id])
      .map((c) => ({ conditionId: c.id, met: d.answers[c.id] === 'met' })),
    notes: d.notes.trim() ? d.notes : undefined,
  }),
  check: (d, ctx): ErrorMap =>
    checkable(ctx.family).some((c) => d.answers[c.id])
      ? {}
      : {
          results: ctx.t('monitoringCheck.atLeastOne'),
        },
  Form: ({ draft, set, ctx }) => {
    const { t, prefix, errors, family } = ctx;
    const conds = checkable(family);
    return (
      <>
        {conds.length === 0 ? (
          <p>{t('monitoringCheck.noConditions')}</p>
        ) : (
          <p className="hint">{t('monitoringCheck.intro')}</p>
        )}
        <fieldset className="group" id={fieldId(prefix, 'results')} tabIndex={-1}>
          <legend>{t('family.conditions')}</legend>
          {errors.results ? <p className="field-error">{errors.results}</p> : null}
          {conds.map((c, i) => (
            <RadioGroup
              key={c.id}
              id={fieldId(prefix, `results.${i}.met`)}
              legend={c.description}
              hint={[
                statusLabel(t, c.status),
                c.dueAt ? t('monitoringCheck.due', { date: formatDate(c.dueAt) }) : null,
                c.lastCheckedAt
                  ? t('monitoringCheck.lastChecked', {
                      date: formatDate(c.lastCheckedAt),
                      result: c.lastResult ? t('monitoringCheck.met') : t('monitoringCheck.notMet'),
                    })
                  : null,
              ]
                .filter(Boolean)
                .join(' · ')}
              value={draft.answers[c.id] ?? ''}
              onChange={(v) => set({ ...draft, answers: { ...draft.answers, [c.id]: v } })}
              options={[
                { value: 'met', label: t('monitoringCheck.met') },
                { value: 'notMet', label: t('monitoringCheck.notMet') },
              ]}
              error={errors[`results.${i}.met`]}
            />
          ))}
        </fieldset>
        <TextArea
          id={fieldId(prefix, 'notes')}
          label={t('monitoringCheck.notes')}
          hint={t('common.noPersonalData')}
          value={draft.notes}
          onChange={(notes) => set({ ...draft, notes })}
          error={errors.notes}
        />
      </>
    );
  },
};

// ---------------------------------------------------------------- measures

type MeasureDraft = { kind: string; startsAt: string; endsAt: string };
const measureKinds = ['huisverbod', 'voorlopigeOts', 'ots', 'shelter', 'other'];

const measureImposed: Editor<MeasureDraft> = {
  init: () => ({ kind: '', startsAt: isoToAmsterdamLocal(serverNowIso()), endsAt: '' }),
  toPayload: (d) => ({
    kind: d.kind || undefined,
    startsAt: amsterdamLocalToIso(d.startsAt),
    endsAt: amsterdamLocalToIso(d.endsAt),
  }),
  Form: ({ draft, set, ctx }) => {
    const { t, prefix, errors } = ctx;
    const on = update(draft, set);
    return (
      <>
        <SelectField
          id={fieldId(prefix, 'kind')}
          label={t('measure.kind')}
          hint={t('measure.kindHint')}
          value={draft.kind}
          onChange={on('kind')}
          placeholder={t('common.choose')}
          options={measureKinds.map((k) => ({ value: k, label: measureKindLabel(t, k) }))}
          error={errors.kind}
          required
        />
        <DateTimeField
          id={fieldId(prefix, 'startsAt')}
          label={t('measure.startsAt')}
          value={draft.startsAt}
          onChange={on('startsAt')}
          error={errors.startsAt}
          required
        />
        <DateTimeField
          id={fieldId(prefix, 'endsAt')}
          label={t('measure.endsAt')}
          value={draft.endsAt}
          onChange={on('endsAt')}
          error={errors.endsAt}
          required
        />
      </>
    );
  },
};

function MeasurePicker({
  ctx,
  value,
  onChange,
}: {
  ctx: EditorCtx;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t, prefix, errors, family } = ctx;
  return (
    <SelectField
      id={fieldId(prefix, 'measureId')}
      label={t('measure.which')}
      value={value}
      onChange={onChange}
      placeholder={t('common.choose')}
      options={family.measures
        .filter((m) => m.status === 'active')
        .map((m) => ({
          value: m.id,
          label: `${measureKindLabel(t, m.kind)}: ${formatDate(m.startsAt)} – ${formatDate(m.endsAt)}`,
        }))}
      error={errors.measureId}
      required
    />
  );
}

const measureExtended: Editor<{ measureId: string; endsAt: string }> = {
  init: (f) => ({ measureId: f.measures.find((m) => m.status === 'active')?.id ?? '', endsAt: '' }),
  toPayload: (d) => ({ measureId: d.measureId || undefined, endsAt: amsterdamLocalToIso(d.endsAt) }),
  Form: ({ draft, set, ctx }) => (
    <>
      <MeasurePicker
        ctx={ctx}
        value={draft.measureId}
        onChange={(measureId) => set({ ...draft, measureId })}
      />
      <DateTimeField
        id={fieldId(ctx.prefix, 'endsAt')}
        label={ctx.t('measure.newEndsAt')}
        value={draft.endsAt}
        onChange={(endsAt) => set({ ...draft, endsAt })}
        error={ctx.errors.endsAt}
        required
      />
    </>
  ),
};

const measureEnded: Editor<{ measureId: string }> = {
  init: (f) => ({ measureId: f.measures.find((m) => m.status === 'active')?.id ?? '' }),
  toPayload: (d) => ({ measureId: d.measureId || undefined }),
  Form: ({ draft, set, ctx }) => (
    <MeasurePicker ctx={ctx} value={draft.measureId} onChange={(measureId) => set({ measureId })} />
  ),
};

// ---------------------------------------------------------------- repeat report

type ReportDraft = {
  source: string;
  acute: boolean;
  summary: string;
  receivedAt: string;
  violenceForms: string[];
  members: MemberDraft[];
};

const reportReceived: Editor<ReportDraft> = {
  init: () => ({ source: '', acute: false, summary: '', receivedAt: '', violenceForms: [], members: [] }),
  toPayload: (d) => ({
    source: d.source || undefined,
    acute: d.acute,
    summary: d.summary,
    receivedAt: optionalIso(d.receivedAt),
    violenceForms: d.violenceForms,
    members: d.members.map(memberPayload),
  }),
  Form: ({ draft, set, ctx }) => {
    const { t, prefix, errors } = ctx;
    const on = update(draft, set);
    return (
      <>
        <RadioGroup
          id={fieldId(prefix, 'source')}
          legend={t('newReport.source')}
          value={draft.source}
          onChange={on('source')}
          options={['police', 'professional', 'citizen', 'anonymous', 'other'].map((s) => ({
            value: s,
            label: t(`source.${s}`),
          }))}
          error={errors.source}
          required
        />
        <CheckboxField
          id={fieldId(prefix, 'acute')}
          label={t('newReport.acute')}
          checked={draft.acute}
          onChange={on('acute')}
        />
        <fieldset className="group">
          <legend>{t('newReport.violenceForms')}</legend>
          <div className="check-grid">
            {violenceForms.map((code) => (
              <CheckboxField
                key={code}
                id={fieldId(prefix, `violenceForms-${code}`)}
                label={t(`violenceForm.${code}`)}
                checked={draft.violenceForms.includes(code)}
                onChange={(v) =>
                  set({
                    ...draft,
                    violenceForms: v
                      ? [...draft.violenceForms, code]
                      : draft.violenceForms.filter((x) => x !== code),
                  })
                }
              />
            ))}
          </div>
        </fieldset>
        <TextArea
          id={fieldId(prefix, 'summary')}
          label={t('newReport.summary')}
          hint={t('newReport.summaryHint')}
          value={draft.summary}
          onChange={on('summary')}
          error={errors.summary}
          required
        />
        <DateTimeField
          id={fieldId(prefix, 'receivedAt')}
          label={t('newReport.receivedAt')}
          hint={t('newReport.receivedAtHint')}
          value={draft.receivedAt}
          onChange={on('receivedAt')}
          error={errors.receivedAt}
        />
        <MembersEditor
          prefix={prefix}
          path="members"
          members={draft.members}
          onChange={on('members')}
          errors={errors}
        />
      </>
    );
  },
};

// ---------------------------------------------------------------- the table

/** Erases the draft type so editors of different shapes sit in one table. */
function erase<D>(e: Editor<D>): Editor<unknown> {
  return e as unknown as Editor<unknown>;
}

export const editors: Record<UserEventType, Editor<unknown>> = {
  'report.received': erase(reportReceived),
  'assessment.started': erase(empty),
  'assessment.completed': erase(decisionEditor(true)),
  'investigation.completed': erase(decisionEditor(false)),
  'handover.offered': erase(handoverOffered),
  'handover.accepted': erase(empty),
  'handover.declined': erase(empty),
  'plan.agreed': erase(planEditor),
  'plan.revised': erase(planEditor),
  'directSafety.achieved': erase(empty),
  'incident.reported': erase(incidentReported),
  'stability.confirmed': erase(stabilityConfirmed),
  'recovery.completed': erase(empty),
  'case.closed': erase(caseClosed),
  'monitoring.checkRecorded': erase(checkRecorded),
  'monitoring.takenBack': erase(empty),
  'monitoring.ended': erase(empty),
  'escalation.raised': erase(escalationRaised),
  'escalation.resolved': erase(empty),
  'measure.imposed': erase(measureImposed),
  'measure.extended': erase(measureExtended),
  'measure.ended': erase(measureEnded),
};
