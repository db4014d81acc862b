import { formatDateTime } from '../format.ts';
import { FocusedNotice } from './FocusedNotice.tsx';

/**
 * A one-time code, shown once (the administrator's activation code, a family member's access code):
 * it takes focus so keyboard and screen reader users land on it; what it is for, the code, until
 * when it works, and how to hand it over.
 */
export function OneTimeCode({
  id,
  level = 2,
  title,
  before = [],
  codeLabel,
  code,
  validLabel,
  expiresAt,
  note,
  testIds = {},
}: {
  id: string;
  level?: 2 | 3;
  title: string;
  /** Facts above the code (the user it is for). */
  before?: { term: string; value: string }[];
  codeLabel: string;
  code: string;
  validLabel: string;
  expiresAt: string;
  note: string;
  testIds?: { notice?: string; code?: string; expires?: string };
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <FocusedNotice
      as="div"
      className="notice success activation"
      focusKey={code}
      labelledBy={id}
      testId={testIds.notice}
    >
      <Heading id={id}>{title}</Heading>
      <dl className="facts">
        {before.map((f) => [<dt key={`${f.term}-t`}>{f.term}</dt>, <dd key={`${f.term}-d`}>{f.value}</dd>])}
        <dt>{codeLabel}</dt>
        <dd>
          <code className="activation-code" data-testid={testIds.code}>
            {code}
          </code>
        </dd>
        <dt>{validLabel}</dt>
        <dd data-testid={testIds.expires}>{formatDateTime(expiresAt)}</dd>
      </dl>
      <p>{note}</p>
    </FocusedNotice>
  );
}
