import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldValues } from 'react-hook-form';
import {
  assessmentCompletedPayload,
  payloadSchemas,
  planPayload,
  reportReceivedPayload,
  stabilityConfirmedPayload,
  checkRecordedPayload,
  type UserEventType,
} from '../../../machines/schemas/events.ts';
import { formatDate } from '../format.ts';
import { measureKindLabel, statusLabel } from '../labels.ts';
import type { FamilyView, Member } from '../types.ts';
import {
  BCheck,
  BRadio,
  BSelect,
  BText,
  BTextArea,
  BToggle,
  Group,
  Professionals,
  Rows,
  bound,
  useValue,
} from './bound.tsx';
import { DirectorField } from './directors.tsx';
import { type ErrorMap, type MissingText } from './errors.tsx';
import { ReportFields, reportSpecs, reportValues, type MemberDraft } from './MembersEditor.tsx';
import { SchemaFields, initialValues, payloadValues, type FieldSpec, type Shape } from './schemaFields.tsx';
import {
  ObstaclesField,
  RiskFactorsFound,
  conferenceEditor,
  firstContactEditor,
  informedSpecs,
  interimSpecs,
  isV2,
  memberText,
  obstaclesPayload,
  prefixed,
  recoveryEditor,
  riskFactorsEditor,
  riskFactorsPayload,
  screeningEditor,
  triageSpecs,
} from './v2Editors.tsx';

// One editor per event type: the draft the inputs edit (react-hook-form's values), how it becomes
// the payload the shared zod schema checks, and the inputs. Most events are their schema's fields
// drawn by one renderer (schemaFields.tsx); an editor of its own only where the form needs rows or
// the family (conditions, the plan, the joint review, the check). Error keys are payload paths, so
// the schema's issues and the server's 400 `errors` land next to the same fields.

export type EditorCtx = { family: FamilyView; prefix: string; t: TFunction };

export type Editor<D extends FieldValues> = {
  init: (family: FamilyView) => D;
  toPayload: (draft: D, family: FamilyView) => unknown;
  /**
   * Rules that need this family (its members, its conditions) or the draft as a whole, which the
   * payload schema cannot know: errors by payload path, in the user's words.
   */
  check?: (draft: D, ctx: Omit<EditorCtx, 'prefix'>) => ErrorMap;
  /** Sentences for fields left empty, where the form has a better one than "Vul dit veld in.". */
  missing?: (t: TFunction) => MissingText;
  Form: (props: { ctx: EditorCtx }) => ReactNode;
};

const openConditions = (f: FamilyView) => f.conditions.filter((c) => c.status === 'open');
const children = (f: FamilyView) => f.members.filter((m) => m.kind === 'child');
const memberLabel = (m: Member, t: TFunction) => memberText(m, t);

const shapeOf = (type: UserEventType): Shape => {
  const schema = payloadSchemas[type];
  return 'shape' in schema ? (schema.shape as Shape) : {};
};

/** An event whose form is its payload's fields, each drawn from the schema (see schemaFields.tsx). */
function fieldsEditor(type: UserEventType, specs: readonly FieldSpec[]): Editor<Record<string, unknown>> {
  const shape = shapeOf(type);
  return {
    init: (f) => initialValues(shape, specs, f),
    toPayload: (d) => payloadValues(shape, specs, d),
    Form: ({ ctx }) => <SchemaFields shape={shape} specs={specs} t={ctx.t} family={ctx.family} />,
  };
}

const empty = fieldsEditor('assessment.started', []);

// ---------------------------------------------------------------- the controls of their own

const BDirector = bound(DirectorField);

/** The receiving case director from the directory (a text field for the id when there is none). */
function directorSpec(exclude?: (f: FamilyView) => string | null): FieldSpec {
  return {
    name: 'directorId',
    label: 'eventForm.director',
    render: ({ required, family }) => (
      <BDirector
        name="directorId"
        required={required}
        excludeId={family && exclude ? exclude(family) : null}
      />
    ),
  };
}

/** One of the family's active measures. */
function MeasurePicker({ family }: { family: FamilyView | undefined }) {
  const { t } = useTranslation();
  const active = (family?.measures ?? []).filter((m) => m.status === 'active');
  return (
    <BSelect
      name="measureId"
      label={t('measure.which')}
      placeholder={t('common.choose')}
      options={active.map((m) => ({
        value: m.id,
        label: `${measureKindLabel(t, m.kind)}: ${formatDate(m.startsAt)} – ${formatDate(m.endsAt)}`,
      }))}
      required
    />
  );
}

const measureSpec: FieldSpec = {
  name: 'measureId',
  label: 'measure.which',
  init: (f) => f.measures.find((m) => m.status === 'active')?.id ?? '',
  render: ({ family }) => <MeasurePicker family={family} />,
};

// ---------------------------------------------------------------- the family's own view (v2)

/**
 * Whether the family sees an item on its own page (issue 15): on unless the director turns it off,
 * and sent for a v2 family only (a v1 family has no such page).
 */
const visibility = (visibleToFamily: boolean, f: FamilyView) => (isV2(f) ? { visibleToFamily } : {});

function VisibleToFamily({ name, at, t }: { name: string; at?: string; t: TFunction }) {
  return <BCheck name={name} at={at} label={t('familyView.visibleToFamily')} />;
}

// ---------------------------------------------------------------- assessment / investigation

type ConditionDraft = { description: string; dueAt: string; visibleToFamily: boolean };
type DecisionDraft = {
  decision: string;
  acute: boolean;
  structural: boolean;
  directorId: string;
  conditions: ConditionDraft[];
  /** v2: the kinds of risk factor found. */
  riskFactors: string[];
};

const entersDirectSafety = (decision: string) =>
  decision === 'handover' || decision === 'conditionsAndFollowUp';
const conditionShape: Shape = {
  description: assessmentCompletedPayload.shape.conditions.unwrap().element.shape.description,
  dueAt: assessmentCompletedPayload.shape.conditions.unwrap().element.shape.dueAt,
};
const conditionSpecs: FieldSpec[] = [
  { name: 'description', label: 'eventForm.conditionDescription' },
  { name: 'dueAt', label: 'eventForm.conditionDueAt' },
];

const conditionWords = {
  legend: 'eventForm.conditions',
  hint: 'eventForm.conditionsHint',
  row: 'eventForm.condition',
  add: 'eventForm.addCondition',
  remove: 'eventForm.removeCondition',
};
const blankCondition = (): ConditionDraft => ({ description: '', dueAt: '', visibleToFamily: true });

function ConditionsEditor({ ctx }: { ctx: EditorCtx }) {
  const { t } = ctx;
  return (
    <Rows<ConditionDraft> name="conditions" words={conditionWords} blank={blankCondition} first="description">
      {(i) => (
        <>
          <div className="row-fields">
            <SchemaFields
              shape={prefixed(conditionShape, `conditions.${i}.`)}
              specs={conditionSpecs.map((s) => ({ ...s, name: `conditions.${i}.${s.name}` }))}
              t={t}
            />
          </div>
          {isV2(ctx.family) ? <VisibleToFamily name={`conditions.${i}.visibleToFamily`} t={t} /> : null}
        </>
      )}
    </Rows>
  );
}

const decisionShape = shapeOf('assessment.completed');

function decisionEditor(allowInvestigate: boolean): Editor<DecisionDraft> {
  const only = ['close', ...(allowInvestigate ? ['investigate'] : []), 'conditionsAndFollowUp', 'handover'];
  const specs: FieldSpec[] = [
    { name: 'decision', label: 'eventForm.decision', option: (v) => `decision.${v}`, only },
    { name: 'acute', label: 'eventForm.acute' },
    { name: 'structural', label: 'eventForm.structural' },
  ];
  return {
    init: (f) => ({
      decision: '',
      acute: f.acute,
      structural: false,
      directorId: '',
      conditions: [blankCondition()],
      riskFactors: [],
    }),
    toPayload: (d, f) => ({
      ...riskFactorsPayload(d.riskFactors, f),
      ...payloadValues(decisionShape, specs, d),
      directorId: d.decision === 'handover' && d.directorId.trim() ? d.directorId.trim() : undefined,
      // Untouched empty rows are dropped; half-filled ones are sent so the schema can point at them.
      conditions: entersDirectSafety(d.decision)
        ? d.conditions
            .filter((c) => c.description.trim() || c.dueAt.trim())
            .map((c) => ({ ...payloadValues(conditionShape, conditionSpecs, c), ...visibility(c.visibleToFamily, f) }))
        : [],
    }),
    check: (d, { t }): ErrorMap =>
      d.decision === 'handover' && !d.directorId.trim() ? { directorId: t('validation.chooseDirector') } : {},
    Form: ({ ctx }) => <DecisionForm ctx={ctx} specs={specs} />,
  };
}

function DecisionForm({ ctx, specs }: { ctx: EditorCtx; specs: FieldSpec[] }) {
  const decision = useValue<string>('decision');
  return (
    <>
      <SchemaFields shape={decisionShape} specs={specs} t={ctx.t} />
      {decision === 'handover' ? (
        <SchemaFields shape={decisionShape} specs={[directorSpec()]} t={ctx.t} />
      ) : null}
      {entersDirectSafety(decision) ? <ConditionsEditor ctx={ctx} /> : null}
      {isV2(ctx.family) ? <RiskFactorsFound t={ctx.t} /> : null}
    </>
  );
}

// ---------------------------------------------------------------- safety plan

type AgreementDraft = {
  description: string;
  responsible: string;
  coversConditionIds: string[];
  visibleToFamily: boolean;
};
type PlanDraft = {
  agreements: AgreementDraft[];
  memberIds: string[];
  professionals: { name: string }[];
  perspectives: { text: string; visibleToFamily: boolean }[];
};

const agreementShape = planPayload.shape.agreements.element.shape;
const perspectiveShape = planPayload.shape.childPerspectives.unwrap().element.shape;

const planEditor: Editor<PlanDraft> = {
  init: (f) => {
    const plan = f.safetyPlan;
    if (!plan) {
      return {
        agreements: [
          {
            description: '',
            responsible: '',
            coversConditionIds: openConditions(f).map((c) => c.id),
            visibleToFamily: true,
          },
        ],
        memberIds: [],
        professionals: [{ name: '' }],
        perspectives: children(f).map(() => ({ text: '', visibleToFamily: true })),
      };
    }
    // A revision starts from the plan in force, so only what changes has to be typed.
    return {
      agreements: plan.agreements.map((a) => ({
        description: a.description,
        responsible: a.responsible,
        coversConditionIds: [...a.coversConditionIds],
        visibleToFamily: a.visibleToFamily !== false,
      })),
      memberIds: plan.participants.flatMap((p) => ('memberId' in p ? [p.memberId] : [])),
      professionals: [
        ...plan.participants.flatMap((p) => ('professional' in p ? [{ name: p.professional }] : [])),
        { name: '' },
      ],
      perspectives: children(f).map((c) => {
        const p = plan.childPerspectives.find((x) => x.memberId === c.id);
        return { text: p?.perspective ?? '', visibleToFamily: p?.visibleToFamily !== false };
      }),
    };
  },
  toPayload: (d, f) => ({
    agreements: d.agreements.map(({ visibleToFamily, ...a }) => ({ ...a, ...visibility(visibleToFamily, f) })),
    participants: [
      ...f.members.filter((m) => d.memberIds.includes(m.id)).map((m) => ({ memberId: m.id })),
      ...d.professionals.filter((p) => p.name.trim()).map((p) => ({ professional: p.name })),
    ],
    childPerspectives: children(f).map((c, i) => ({
      memberId: c.id,
      perspective: d.perspectives[i]?.text ?? '',
      ...visibility(d.perspectives[i]?.visibleToFamily ?? true, f),
    })),
  }),
  check: (d, { t }): ErrorMap =>
    d.agreements.length === 0 ? { agreements: t('validation.minItems', { min: 1 }) } : {},
  Form: ({ ctx }) => <PlanForm ctx={ctx} />,
};

const agreementWords = {
  legend: 'plan.agreements',
  row: 'plan.agreement',
  add: 'plan.addAgreement',
  remove: 'plan.removeAgreement',
};
const blankAgreement = (): AgreementDraft => ({
  description: '',
  responsible: '',
  coversConditionIds: [],
  visibleToFamily: true,
});

function PlanForm({ ctx }: { ctx: EditorCtx }) {
  const { t, family } = ctx;
  const conds = openConditions(family);
  const memberIds = useValue<string[]>('memberIds') ?? [];
  const checkedMembers = family.members.filter((m) => memberIds.includes(m.id)).length;
  return (
    <>
      <Rows<AgreementDraft>
        name="agreements"
        words={agreementWords}
        blank={blankAgreement}
        first="description"
      >
        {(i) => (
          <>
            <SchemaFields
              shape={prefixed(agreementShape, `agreements.${i}.`)}
              specs={[
                { name: `agreements.${i}.description`, label: 'plan.agreementDescription' },
                { name: `agreements.${i}.responsible`, label: 'plan.responsible' },
              ]}
              t={t}
            />
            {isV2(family) ? <VisibleToFamily name={`agreements.${i}.visibleToFamily`} t={t} /> : null}
            {conds.length > 0 ? (
              <Group
                path={`agreements.${i}.coversConditionIds`}
                legend={t('plan.covers')}
                className="group nested"
              >
                {conds.map((c) => (
                  <BToggle
                    key={c.id}
                    name={`agreements.${i}.coversConditionIds`}
                    item={c.id}
                    id={`agreements.${i}.covers.${c.id}`}
                    label={c.description}
                  />
                ))}
              </Group>
            ) : null}
          </>
        )}
      </Rows>

      <Group path="participants" legend={t('plan.participants')} hint={t('plan.participantsHint')}>
        {family.members.map((m) => (
          <BToggle
            key={m.id}
            name="memberIds"
            item={m.id}
            id={`participants.member.${m.id}`}
            label={memberLabel(m, t)}
          />
        ))}
        <Professionals
          hint={t('plan.professionalHint')}
          // Professionals follow the checked members in the payload's participants; empty ones are not sent.
          at={(j, names) =>
            names[j]?.trim()
              ? `participants.${checkedMembers + names.slice(0, j).filter((x) => x.trim()).length}.professional`
              : null
          }
        />
      </Group>

      {children(family).length > 0 ? (
        <fieldset className="group">
          <legend>{t('plan.childPerspectives')}</legend>
          <p className="hint">{t('plan.childPerspectivesHint')}</p>
          {children(family).map((c, i) => (
            <div key={c.id} className="row-group">
              <BTextArea
                name={`perspectives.${i}.text`}
                at={`childPerspectives.${i}.perspective`}
                label={t('plan.perspectiveOf', { alias: c.alias })}
                required={!perspectiveShape.perspective.isOptional()}
              />
              {isV2(family) ? (
                <VisibleToFamily
                  name={`perspectives.${i}.visibleToFamily`}
                  at={`childPerspectives.${i}.visibleToFamily`}
                  t={t}
                />
              ) : null}
            </div>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------- stable safety

type StabilityDraft = {
  riskFactorsResolved: boolean;
  presence: { took: string; absentReason: string }[];
  professionals: { name: string }[];
};

const stabilityShape = stabilityConfirmedPayload.shape;

const stabilityConfirmed: Editor<StabilityDraft> = {
  init: (f) => ({
    riskFactorsResolved: false,
    presence: f.members.map(() => ({ took: '', absentReason: '' })),
    professionals: [{ name: '' }],
  }),
  toPayload: (d, f) => ({
    // v1 only: v2 asks every recorded risk factor to be reduced or resolved instead.
    ...(isV2(f) ? {} : { riskFactorsResolved: d.riskFactorsResolved }),
    participants: f.members.map((m, i) => {
      const p = d.presence[i];
      return p?.took === 'absent' ? { memberId: m.id, absentReason: p.absentReason } : { memberId: m.id };
    }),
    professionals: d.professionals.map((p) => p.name).filter((p) => p.trim()),
  }),
  // Every member of this family takes part in the joint review or is named as absent.
  check: (d, { family, t }) => {
    const out: ErrorMap = {};
    family.members.forEach((_, i) => {
      if (!d.presence[i]?.took) out[`participants.${i}.took`] = t('validation.choose');
    });
    return out;
  },
  Form: ({ ctx }) => <StabilityForm ctx={ctx} />,
};

function StabilityForm({ ctx }: { ctx: EditorCtx }) {
  const { t, family } = ctx;
  const presence = useValue<StabilityDraft['presence']>('presence') ?? [];
  return (
    <>
      <p className="hint">
        {t('stability.intro', { from: formatDate(family.incidentFree.stableSafetyFrom) })}
      </p>
      {isV2(family) ? null : (
        <SchemaFields
          shape={stabilityShape}
          specs={[{ name: 'riskFactorsResolved', label: 'stability.riskFactorsResolved' }]}
          t={t}
        />
      )}
      <Group path="participants" legend={t('stability.members')}>
        {family.members.map((m, i) => (
          <div className="row-group" key={m.id}>
            <BRadio
              name={`presence.${i}.took`}
              at={`participants.${i}.took`}
              legend={memberLabel(m, t)}
              options={[
                { value: 'present', label: t('stability.present') },
                { value: 'absent', label: t('stability.absent') },
              ]}
              required
            />
            {presence[i]?.took === 'absent' ? (
              <BText
                name={`presence.${i}.absentReason`}
                at={`participants.${i}.absentReason`}
                label={t('stability.absentReason', { alias: m.alias })}
                required
              />
            ) : null}
          </div>
        ))}
      </Group>
      <fieldset className="group">
        <legend>{t('stability.professionals')}</legend>
        <Professionals
          at={(j, names) =>
            names[j]?.trim() ? `professionals.${names.slice(0, j).filter((x) => x.trim()).length}` : null
          }
        />
      </fieldset>
    </>
  );
}

// ---------------------------------------------------------------- monitoring

type CheckDraft = { answers: string[]; notes: string; recoveryAttention: boolean };

/**
 * Every condition that still counts (not withdrawn) can be checked, open ones first: a family whose
 * conditions were all met before must still get its periodic check (issue 12, finding 1). Only the
 * conditions answered are sent.
 */
const checkable = (f: FamilyView) =>
  f.conditions
    .filter((c) => c.status !== 'withdrawn')
    .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open'));

const notesSpec: FieldSpec[] = [
  { name: 'notes', label: 'monitoringCheck.notes', hint: 'common.noPersonalData' },
];
const recoverySpec: FieldSpec[] = [{ name: 'recoveryAttention', label: 'v2.recoveryAttention', hint: 'v2.recoveryAttentionHint' }];

const checkRecorded: Editor<CheckDraft> = {
  init: (f) => ({ answers: checkable(f).map(() => ''), notes: '', recoveryAttention: false }),
  toPayload: (d, f) => ({
    results: checkable(f).flatMap((c, i) =>
      d.answers[i] ? [{ conditionId: c.id, met: d.answers[i] === 'met' }] : [],
    ),
    ...payloadValues(checkRecordedPayload.shape, isV2(f) ? [...notesSpec, ...recoverySpec] : notesSpec, d),
  }),
  missing: (t) => ({ results: t('monitoringCheck.atLeastOne') }),
  Form: ({ ctx }) => {
    const { t, family } = ctx;
    const conds = checkable(family);
    return (
      <>
        {conds.length === 0 ? (
          <p>{t('monitoringCheck.noConditions')}</p>
        ) : (
          <p className="hint">{t('monitoringCheck.intro')}</p>
        )}
        <Group path="results" legend={t('family.conditions')}>
          {conds.map((c, i) => (
            <BRadio
              key={c.id}
              name={`answers.${i}`}
              at={`results.${i}.met`}
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
              options={[
                { value: 'met', label: t('monitoringCheck.met') },
                { value: 'notMet', label: t('monitoringCheck.notMet') },
              ]}
            />
          ))}
        </Group>
        <SchemaFields shape={checkRecordedPayload.shape} specs={isV2(family) ? [...notesSpec, ...recoverySpec] : notesSpec} t={t} />
      </>
    );
  },
};

// ---------------------------------------------------------------- repeat report

type ReportDraft = Record<string, unknown> & { violenceForms: string[]; members: MemberDraft[] };

const reportReceived: Editor<ReportDraft> = {
  init: (f) => ({
    ...initialValues(reportReceivedPayload.shape, reportSpecs, f),
    violenceForms: [],
    members: [],
  }),
  toPayload: (d) => reportValues(d),
  Form: ({ ctx }) => <ReportFields t={ctx.t} minMembers={0} />,
};

// ---------------------------------------------------------------- escalation

const escalationSpecs: FieldSpec[] = [
  {
    name: 'to',
    label: 'eventForm.escalateTo',
    option: (v) => `escalationTarget.${v.replace(/\+/g, 'plus')}`,
  },
];
const escalationFields = fieldsEditor('escalation.raised', escalationSpecs);

/** Where to escalate to, and (v2) the obstacles behind it. */
const escalationRaised: Editor<Record<string, unknown>> = {
  init: (f) => ({ ...escalationFields.init(f), obstacles: [] }),
  toPayload: (d, f) => ({
    ...(escalationFields.toPayload(d, f) as object),
    ...obstaclesPayload(d.obstacles as string[] | undefined, f),
  }),
  Form: ({ ctx }) => (
    <>
      <escalationFields.Form ctx={ctx} />
      {isV2(ctx.family) ? <ObstaclesField t={ctx.t} /> : null}
    </>
  ),
};

// ---------------------------------------------------------------- the table

/** Erases the draft type so editors of different shapes sit in one table. */
function erase<D extends FieldValues>(e: Editor<D>): Editor<FieldValues> {
  return e as unknown as Editor<FieldValues>;
}

const caseDirector = (f: FamilyView) => f.caseDirector?.id ?? null;

export const editors: Record<UserEventType, Editor<FieldValues>> = {
  'report.received': erase(reportReceived),
  'assessment.started': erase(empty),
  'assessment.completed': erase(decisionEditor(true)),
  'investigation.completed': erase(decisionEditor(false)),
  'handover.offered': erase(fieldsEditor('handover.offered', [directorSpec(caseDirector)])),
  'handover.accepted': erase(empty),
  'handover.declined': erase(empty),
  'plan.agreed': erase(planEditor),
  'plan.revised': erase(planEditor),
  'directSafety.achieved': erase(empty),
  'incident.reported': erase(
    fieldsEditor('incident.reported', [
      { name: 'occurredAt', label: 'incident.occurredAt', now: true },
      {
        name: 'severity',
        label: 'incident.severity',
        hint: 'incident.severityHint',
        option: (v) => `severity.${v}`,
      },
      { name: 'description', label: 'incident.description', hint: 'common.noPersonalData' },
    ]),
  ),
  'stability.confirmed': erase(stabilityConfirmed),
  'recovery.completed': erase(recoveryEditor),
  'case.closed': erase(
    fieldsEditor('case.closed', [
      { name: 'reasonCode', label: 'eventForm.reasonCode', option: (v) => `closeReason.${v}` },
    ]),
  ),
  'monitoring.checkRecorded': erase(checkRecorded),
  'monitoring.takenBack': erase(empty),
  'monitoring.ended': erase(empty),
  'escalation.raised': erase(escalationRaised),
  'escalation.resolved': erase(empty),
  'measure.imposed': erase(
    fieldsEditor('measure.imposed', [
      {
        name: 'kind',
        label: 'measure.kind',
        hint: 'measure.kindHint',
        option: (v) => `measureKind.${v}`,
        select: true,
      },
      { name: 'startsAt', label: 'measure.startsAt', now: true },
      { name: 'endsAt', label: 'measure.endsAt' },
    ]),
  ),
  'measure.extended': erase(
    fieldsEditor('measure.extended', [measureSpec, { name: 'endsAt', label: 'measure.newEndsAt' }]),
  ),
  'measure.ended': erase(fieldsEditor('measure.ended', [measureSpec])),
  // familyCase@2 (issue 14): a v1 family never offers these (allowedEvents); v2Editors.tsx.
  'investigation.started': erase(empty),
  'case.upgraded': erase({ ...fieldsEditor('case.upgraded', []), toPayload: () => ({ toVersion: 2 }) }),
  'triage.recorded': erase(fieldsEditor('triage.recorded', triageSpecs)),
  'contact.interim': erase(fieldsEditor('contact.interim', interimSpecs)),
  'reporter.informed': erase(fieldsEditor('reporter.informed', informedSpecs)),
  'household.informed': erase(fieldsEditor('household.informed', informedSpecs)),
  'contact.first': erase(firstContactEditor),
  'conference.held': erase(conferenceEditor),
  'riskFactors.updated': erase(riskFactorsEditor),
  'trauma.screened': erase(screeningEditor),
  // The family's own view (issue 15) has its own panel, not the generic event form: the family page
  // never offers these (the server leaves them out of allowedEvents; see FamilyView.familyAccess).
  'member-access.granted': erase(empty),
  'member-access.revoked': erase(empty),
  'plan.responded': erase(empty),
  'member.shielded': erase(empty),
};
