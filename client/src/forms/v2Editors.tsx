import type { TFunction } from 'i18next';
import type { FieldValues } from 'react-hook-form';
import {
  conferenceHeldPayload,
  contactFirstPayload,
  obstacle,
  recoveryCompletedPayload,
  riskFactorKind,
  riskFactorsUpdatedPayload,
  traumaScreenedPayload,
} from '../../../machines/schemas/events.ts';
import type { FamilyView, Member } from '../types.ts';
import { BSelect, BText, BToggle, Group, Rows } from './bound.tsx';
import type { ErrorMap } from './errors.tsx';
import { SchemaFields, initialValues, payloadValues, type FieldSpec, type Shape } from './schemaFields.tsx';

// The forms of the familyCase@2 events (issue 14) and their additions to v1's forms: every field is
// drawn from the event's payload schema (schemaFields.tsx); an editor of its own only where the form
// needs rows or the family's members (first contact, the conference, risk factors, the screening,
// the members excused from it). Words: the `v2` block of the locale files.

export type V2EditorCtx = { family: FamilyView; prefix: string; t: TFunction };

/** Same shape as eventEditors.tsx's Editor (kept structural to avoid an import cycle). */
export type V2Editor<D> = {
  init: (family: FamilyView) => D;
  toPayload: (draft: D, family: FamilyView) => unknown;
  check?: (draft: D, ctx: { family: FamilyView; t: TFunction }) => ErrorMap;
  Form: (props: { ctx: V2EditorCtx }) => React.ReactNode;
};

/** A family on familyCase@2 (its forms ask the v2 facts; a v1 family's never do). */
export const isV2 = (f: FamilyView) => f.machineVersion >= 2;

/** The members that can be met, screened or excused: born ones (an unborn member is not screened). */
const born = (f: FamilyView) => f.members.filter((m) => m.kind !== 'unborn');

export function memberText(m: Member, t: TFunction): string {
  const kind = t(`memberKind.${m.kind}`);
  return m.kind === 'unborn' && m.expectedMonth
    ? `${m.alias} (${kind}, ${t('v2.expectedIn', { month: m.expectedMonth })})`
    : `${m.alias} (${kind}, ${m.birthYear})`;
}

/** A row's shape under the row's form path, for the fields of one row of a list. */
export function prefixed(shape: Shape, prefix: string): Shape {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [`${prefix}${k}`, v]));
}

const rowSpecs = (specs: readonly FieldSpec[], prefix: string) => specs.map((s) => ({ ...s, name: `${prefix}${s.name}` }));

/** Option words of a v2 choice: `v2.<group>.<value>`. */
const opt = (group: string) => (v: string) => `v2.${group}.${v}`;

// ---------------------------------------------------------------- simple ones: the schema's fields

export const triageSpecs: FieldSpec[] = [
  { name: 'urgency', label: 'v2.urgency', hint: 'v2.urgencyHint', option: opt('urgencyOpt') },
  { name: 'instrument', label: 'v2.instrument', option: opt('instrumentOpt'), select: true },
  { name: 'score', label: 'v2.score', hint: 'v2.scoreHint' },
  { name: 'notes', label: 'v2.notes', hint: 'common.noPersonalData', rows: 3 },
];
export const interimSpecs: FieldSpec[] = [
  { name: 'with', label: 'v2.contactWith', option: opt('withOpt') },
  { name: 'notes', label: 'v2.notes', hint: 'common.noPersonalData', rows: 3 },
];
export const informedSpecs: FieldSpec[] = [{ name: 'channel', label: 'v2.channel', option: opt('channelOpt') }];

// ---------------------------------------------------------------- first contact

type FirstContactDraft = { with: string[]; warm: boolean };
const firstContactShape = contactFirstPayload.shape as unknown as Shape;

export const firstContactEditor: V2Editor<FirstContactDraft> = {
  init: () => ({ with: [], warm: false }),
  toPayload: (d, f) => ({ with: born(f).filter((m) => d.with.includes(m.id)).map((m) => m.id), warm: d.warm }),
  check: (d, { t }): ErrorMap => (d.with.length === 0 ? { with: t('v2.chooseMember') } : {}),
  Form: ({ ctx }) => (
    <>
      <Group path="with" legend={ctx.t('v2.firstContactWith')} hint={ctx.t('v2.firstContactWithHint')}>
        {born(ctx.family).map((m) => (
          <BToggle key={m.id} name="with" item={m.id} id={`with.${m.id}`} label={memberText(m, ctx.t)} />
        ))}
      </Group>
      <SchemaFields shape={firstContactShape} specs={[{ name: 'warm', label: 'v2.warm' }]} t={ctx.t} />
    </>
  ),
};

// ---------------------------------------------------------------- case conference

const conferenceShape = conferenceHeldPayload.shape as unknown as Shape;
const professionalOption = conferenceHeldPayload.shape.participants.element.options[1];
const professionalShape = professionalOption.shape as unknown as Shape;
const conferenceAgreementShape = conferenceHeldPayload.shape.agreements.element.shape as unknown as Shape;

type ProfessionalDraft = { professional: string; organisation: string; mandate: boolean };
type ConferenceAgreementDraft = { description: string; responsible: string; dueAt: string };
type ConferenceDraft = Record<string, unknown> & {
  memberIds: string[];
  professionals: ProfessionalDraft[];
  agreements: ConferenceAgreementDraft[];
};

const conferenceSpecs: FieldSpec[] = [
  { name: 'kind', label: 'v2.conferenceKind', option: opt('conferenceKindOpt') },
  { name: 'heldAt', label: 'v2.heldAt', now: true },
];
const nextSpecs: FieldSpec[] = [{ name: 'nextAt', label: 'v2.nextAt', hint: 'v2.nextAtHint' }];
const professionalSpecs: FieldSpec[] = [
  { name: 'professional', label: 'v2.professional' },
  { name: 'organisation', label: 'v2.organisation' },
  { name: 'mandate', label: 'v2.mandate' },
];
const conferenceAgreementSpecs: FieldSpec[] = [
  { name: 'description', label: 'v2.agreementDescription' },
  { name: 'responsible', label: 'v2.responsible' },
  { name: 'dueAt', label: 'v2.agreementDueAt' },
];
const blankProfessional = (): ProfessionalDraft => ({ professional: '', organisation: '', mandate: false });
const blankConferenceAgreement = (): ConferenceAgreementDraft => ({ description: '', responsible: '', dueAt: '' });
const filled = (o: Record<string, unknown>) => Object.values(o).some((v) => typeof v === 'string' && v.trim());

export const conferenceEditor: V2Editor<ConferenceDraft> = {
  init: (f) => ({
    ...initialValues(conferenceShape, [...conferenceSpecs, ...nextSpecs], f),
    memberIds: [],
    professionals: [blankProfessional()],
    agreements: [blankConferenceAgreement()],
  }),
  // Untouched empty rows are dropped; half-filled ones are sent so the schema can point at them.
  toPayload: (d, f) => ({
    ...payloadValues(conferenceShape, [...conferenceSpecs, ...nextSpecs], d),
    participants: [
      ...f.members.filter((m) => d.memberIds.includes(m.id)).map((m) => ({ memberId: m.id })),
      ...d.professionals.filter(filled).map((p) => payloadValues(professionalShape, professionalSpecs, p)),
    ],
    agreements: d.agreements
      .filter(filled)
      .map((a) => payloadValues(conferenceAgreementShape, conferenceAgreementSpecs, a)),
  }),
  check: (d, { t }): ErrorMap =>
    d.memberIds.length === 0 && !d.professionals.some(filled) ? { participants: t('v2.participantsNeeded') } : {},
  Form: ({ ctx }) => <ConferenceForm ctx={ctx} />,
};

function ConferenceForm({ ctx }: { ctx: V2EditorCtx }) {
  const { t, family } = ctx;
  return (
    <>
      <SchemaFields shape={conferenceShape} specs={conferenceSpecs} t={t} />
      <Group path="participants" legend={t('v2.participants')} hint={t('v2.participantsHint')}>
        {family.members.map((m) => (
          <BToggle key={m.id} name="memberIds" item={m.id} id={`participants.member.${m.id}`} label={memberText(m, t)} />
        ))}
      </Group>
      <SchemaRows name="professionals" words="professional" shape={professionalShape} specs={professionalSpecs} blank={blankProfessional} t={t} />
      <SchemaRows name="agreements" words="agreement" shape={conferenceAgreementShape} specs={conferenceAgreementSpecs} blank={blankConferenceAgreement} t={t} />
      <SchemaFields shape={conferenceShape} specs={nextSpecs} t={t} />
    </>
  );
}

/**
 * Rows whose fields are one schema's (professionals, agreements, risk factors); the words are
 * `v2.<words>Rows.{legend,hint,row,add,remove}`, the first field gets focus when a row is added.
 */
function SchemaRows<T extends FieldValues>(p: {
  name: string;
  words: string;
  shape: Shape;
  specs: FieldSpec[];
  blank: () => T;
  t: TFunction;
}) {
  const k = `v2.${p.words}Rows`;
  const words = { legend: `${k}.legend`, hint: `${k}.hint`, row: `${k}.row`, add: `${k}.add`, remove: `${k}.remove` };
  return (
    <Rows<T> name={p.name} words={words} blank={p.blank} first={p.specs[0]!.name}>
      {(i) => (
        <div className="row-fields">
          <SchemaFields shape={prefixed(p.shape, `${p.name}.${i}.`)} specs={rowSpecs(p.specs, `${p.name}.${i}.`)} t={p.t} />
        </div>
      )}
    </Rows>
  );
}

// ---------------------------------------------------------------- risk factors

const factorShape = riskFactorsUpdatedPayload.shape.factors.element.shape as unknown as Shape;
const factorSpecs: FieldSpec[] = [
  { name: 'kind', label: 'v2.factorKind', option: opt('rfKind'), select: true },
  { name: 'status', label: 'v2.factorStatus', option: opt('rfStatus') },
  { name: 'notes', label: 'v2.notes', hint: 'common.noPersonalData', rows: 2 },
];
type FactorDraft = { kind: string; status: string; notes: string };
const blankFactor = (): FactorDraft => ({ kind: '', status: '', notes: '' });

export const riskFactorsEditor: V2Editor<{ factors: FactorDraft[] }> = {
  // Starts from the factors as they stand, so only what changed has to be chosen.
  init: (f) => ({
    factors: f.riskFactors.length
      ? f.riskFactors.map((r) => ({ kind: r.kind, status: r.status, notes: r.notes ?? '' }))
      : [blankFactor()],
  }),
  toPayload: (d) => ({ factors: d.factors.map((x) => payloadValues(factorShape, factorSpecs, x)) }),
  Form: ({ ctx }) => <SchemaRows name="factors" words="factor" shape={factorShape} specs={factorSpecs} blank={blankFactor} t={ctx.t} />,
};

/** A set of options chosen with checkboxes (risk factors found, obstacles), as a list at `name`. */
function Toggles({ name, options, words, t }: { name: string; options: readonly string[]; words: string; t: TFunction }) {
  return (
    <Group path={name} legend={t(`v2.${name}`)} hint={t(`v2.${name}Hint`)}>
      <div className="check-grid">
        {options.map((o) => (
          <BToggle key={o} name={name} item={o} id={`${name}-${o}`} label={t(`v2.${words}.${o}`)} />
        ))}
      </div>
    </Group>
  );
}

/** On assessment.completed / investigation.completed of a v2 family: the risk factors found. */
export const RiskFactorsFound = ({ t }: { t: TFunction }) => (
  <Toggles name="riskFactors" options={riskFactorKind.options} words="rfKind" t={t} />
);

/** The risk factors found as the payload's list (none for a v1 family). */
export const riskFactorsPayload = (kinds: readonly string[] | undefined, f: FamilyView) =>
  isV2(f) ? { riskFactors: riskFactorKind.options.filter((k) => kinds?.includes(k)).map((kind) => ({ kind })) } : {};

// ---------------------------------------------------------------- obstacles, recovery attention

/** On escalation.raised of a v2 family: what stands in the way. */
export const ObstaclesField = ({ t }: { t: TFunction }) => (
  <Toggles name="obstacles" options={obstacle.options} words="obstacleOpt" t={t} />
);

export const obstaclesPayload = (chosen: readonly string[] | undefined, f: FamilyView) =>
  isV2(f) ? { obstacles: obstacle.options.filter((o) => chosen?.includes(o)) } : {};

// ---------------------------------------------------------------- trauma screening

const screeningShape = traumaScreenedPayload.shape as unknown as Shape;
const screeningSpecs: FieldSpec[] = [
  { name: 'outcome', label: 'v2.outcome', option: opt('outcomeOpt') },
  { name: 'by', label: 'v2.screenedBy', hint: 'v2.screenedByHint' },
];

/** Members not screened yet first: the one to screen next is the first choice. */
const toScreen = (f: FamilyView) => {
  const done = new Set(f.screenings.map((s) => s.memberId));
  return [...born(f)].sort((a, b) => Number(done.has(a.id)) - Number(done.has(b.id)));
};

export const screeningEditor: V2Editor<Record<string, unknown>> = {
  init: (f) => ({ memberId: '', ...initialValues(screeningShape, screeningSpecs, f) }),
  toPayload: (d) => ({ memberId: d.memberId || undefined, ...payloadValues(screeningShape, screeningSpecs, d) }),
  Form: ({ ctx }) => {
    const { t, family } = ctx;
    const done = new Set(family.screenings.map((s) => s.memberId));
    return (
      <>
        <BSelect
          name="memberId"
          label={t('v2.screenedMember')}
          placeholder={t('common.choose')}
          options={toScreen(family).map((m) => ({
            value: m.id,
            label: done.has(m.id) ? t('v2.screenedAgain', { member: memberText(m, t) }) : memberText(m, t),
          }))}
          required
        />
        <SchemaFields shape={screeningShape} specs={screeningSpecs} t={t} />
      </>
    );
  },
};

// ---------------------------------------------------------------- recovery completed

const excusedReason = recoveryCompletedPayload.shape.excused.unwrap().element.shape.reason;
/** Members recovery needs a screening or a reason for: born members without a screening. */
const unscreened = (f: FamilyView) => {
  const done = new Set(f.screenings.map((s) => s.memberId));
  return born(f).filter((m) => !done.has(m.id));
};

export const recoveryEditor: V2Editor<{ reasons: string[] }> = {
  init: (f) => ({ reasons: isV2(f) ? unscreened(f).map(() => '') : [] }),
  toPayload: (d, f) => {
    if (!isV2(f)) return {};
    const excused = unscreened(f).flatMap((m, i) => {
      const reason = d.reasons[i]?.trim();
      return reason ? [{ memberId: m.id, reason }] : [];
    });
    return excused.length ? { excused } : {};
  },
  check: (d, { family, t }) => {
    const out: ErrorMap = {};
    if (isV2(family))
      unscreened(family).forEach((m, i) => {
        if (!d.reasons[i]?.trim()) out[`reasons.${i}`] = t('v2.excusedNeeded', { alias: m.alias });
      });
    return out;
  },
  Form: ({ ctx }) => {
    const { t, family } = ctx;
    if (!isV2(family)) return null;
    const members = unscreened(family);
    return members.length === 0 ? (
      <p className="hint">{t('v2.allScreened')}</p>
    ) : (
      <fieldset className="group">
        <legend>{t('v2.excusedLegend')}</legend>
        <p className="hint">{t('v2.excusedHint')}</p>
        {members.map((m, i) => (
          <BText
            key={m.id}
            name={`reasons.${i}`}
            label={t('v2.excusedReason', { alias: m.alias })}
            maxLength={excusedReason.maxLength ?? undefined}
            required
          />
        ))}
      </fieldset>
    );
  },
};
