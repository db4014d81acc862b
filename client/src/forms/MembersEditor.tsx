import type { TFunction } from 'i18next';
import { memberInput, reportReceivedPayload } from '../../../machines/schemas/events.ts';
import { BSelect, BText, BToggle, Group, Rows, useValue } from './bound.tsx';
import { SchemaFields, payloadValues, type FieldSpec } from './schemaFields.tsx';

// What a report holds, on the new-report page and as a repeat report (`report.received`) on a
// family: its source, whether it is acute, the forms of violence, a summary, when it came in, and
// the household members it names.

/** Codes, not sentences, so the stored data does not depend on the UI language. */
export const violenceForms = [
  'partnerViolence',
  'childAbuse',
  'childWitness',
  'elderAbuse',
  'honourBased',
  'forcedMarriage',
  'sexualViolence',
  'neglect',
  'other',
] as const;

export type MemberDraft = {
  alias: string;
  kind: '' | 'adult' | 'child' | 'unborn';
  birthYear: string;
  /** v2: an unborn member's expected month (YYYY-MM). */
  expectedMonth?: string;
};

export const emptyMember = (): MemberDraft => ({ alias: '', kind: '', birthYear: '', expectedMonth: '' });

/**
 * A member row as the schema's member: an unchosen kind left out, the birth year a number; an unborn
 * member's expected month (its year the birth year when that is left empty).
 */
export function memberPayload(m: MemberDraft) {
  const month = (m.expectedMonth ?? '').trim();
  const year = m.birthYear.trim() || (m.kind === 'unborn' ? month.slice(0, 4) : '');
  return {
    alias: m.alias,
    kind: m.kind || undefined,
    birthYear: year === '' ? Number.NaN : Number(year),
    ...(m.kind === 'unborn' ? { expectedMonth: month } : {}),
  };
}

const memberWords = {
  legend: 'members.legend',
  hint: 'members.hint',
  row: 'members.member',
  add: 'members.add',
  remove: 'members.remove',
};

/** Rows of household members (directbetrokkenen): alias, adult or child, birth year — nothing more. */
export function MembersEditor({ t, minRows = 0 }: { t: TFunction; minRows?: number }) {
  return (
    <Rows<MemberDraft> name="members" words={memberWords} blank={emptyMember} first="alias" minRows={minRows}>
      {(i) => (
        <div className="row-fields">
          <BText
            name={`members.${i}.alias`}
            label={t('members.alias')}
            autoComplete="off"
            maxLength={memberInput.shape.alias.maxLength ?? undefined}
            required
          />
          <BSelect
            name={`members.${i}.kind`}
            label={t('members.kind')}
            placeholder={t('common.choose')}
            options={memberInput.shape.kind.options.map((k) => ({ value: k, label: t(`memberKind.${k}`) }))}
            required
          />
          <MemberYear t={t} i={i} />
        </div>
      )}
    </Rows>
  );
}

/** The birth year, or for an unborn member the expected month (its year is the birth year). */
function MemberYear({ t, i }: { t: TFunction; i: number }) {
  const kind = useValue<string>(`members.${i}.kind`);
  return kind === 'unborn' ? (
    <BText
      name={`members.${i}.expectedMonth`}
      label={t('v2.expectedMonth')}
      hint={t('v2.expectedMonthHint')}
      inputMode="numeric"
      autoComplete="off"
      maxLength={7}
      required
    />
  ) : (
    <BText
      name={`members.${i}.birthYear`}
      label={t('members.birthYear')}
      inputMode="numeric"
      autoComplete="off"
      maxLength={4}
      required
    />
  );
}

/** The report's own fields, drawn from the shared schema (schemaFields.tsx). */
export const reportSpecs: FieldSpec[] = [
  { name: 'source', label: 'newReport.source', option: (v) => `source.${v}` },
  { name: 'acute', label: 'newReport.acute', hint: 'newReport.acuteHint' },
  { name: 'summary', label: 'newReport.summary', hint: 'newReport.summaryHint', rows: 4 },
  { name: 'receivedAt', label: 'newReport.receivedAt', hint: 'newReport.receivedAtHint' },
];

/** A report draft as the payload the schema checks. */
export function reportValues(
  d: Record<string, unknown> & { violenceForms: string[]; members: MemberDraft[] },
) {
  return {
    ...payloadValues(reportReceivedPayload.shape, reportSpecs, d),
    violenceForms: d.violenceForms,
    members: d.members.map(memberPayload),
  };
}

const [sourceSpec, acuteSpec, ...restSpecs] = reportSpecs as [FieldSpec, FieldSpec, ...FieldSpec[]];

/** The report's fields in the order a worker takes a report down. */
export function ReportFields({ t, minMembers }: { t: TFunction; minMembers: number }) {
  const shape = reportReceivedPayload.shape;
  return (
    <>
      <SchemaFields shape={shape} specs={[sourceSpec, acuteSpec]} t={t} />
      <Group path="violenceForms" legend={t('newReport.violenceForms')}>
        <div className="check-grid">
          {violenceForms.map((code) => (
            <BToggle
              key={code}
              name="violenceForms"
              item={code}
              id={`violenceForms-${code}`}
              label={t(`violenceForm.${code}`)}
            />
          ))}
        </div>
      </Group>
      <SchemaFields shape={shape} specs={restSpecs} t={t} />
      <MembersEditor t={t} minRows={minMembers} />
    </>
  );
}
