import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { familyViewSchema, memberAccessIssuedSchema } from '../../../contract/index.ts';
import { api, isApiError } from '../api.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { CheckboxField } from '../components/fields.tsx';
import { FocusedNotice } from '../components/FocusedNotice.tsx';
import { OneTimeCode } from '../components/OneTimeCode.tsx';
import { problemText } from '../forms/errors.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import type { FamilyView, Member } from '../types.ts';

// The director's side of the family's own view (issue 15), on a v2 family's page: per member whether
// they may have a code, the access given, from whom their data is shielded and their answer to the
// plan. The family's director gives a one-time code (shown once, like the administrator's activation
// code), revokes it, and shields a member's data from other members (member.shielded).

type Access = NonNullable<FamilyView['familyAccess']>;
type MemberAccess = Access['members'][number];
type Issued = { alias: string; code: string; expiresAt: string };

const familyPath = (f: FamilyView) => `/families/${encodeURIComponent(f.id)}`;

export function FamilyAccessPanel({
  family,
  onFamily,
  onReload,
}: {
  family: FamilyView;
  /** A fresher family after a write (its answer). */
  onFamily: (f: FamilyView) => void;
  /** Ask the family again (after a refused write). */
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [issued, setIssued] = useState<Issued | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shielding, setShielding] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const access = family.familyAccess;
  if (!access) return null;
  const byId = new Map(family.members.map((m) => [m.id, m]));
  const alias = (id: string) => byId.get(id)?.alias ?? t('v2page.formerMember');

  async function run(what: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await what();
    } catch (err) {
      const text = isApiError(err) ? problemText(err.problem, t) : t('errors.generic');
      setError(text);
      announce(text);
      onReload();
    } finally {
      setBusy(false);
    }
  }

  const issue = (m: Member) =>
    run(async () => {
      const res = await api.post(memberAccessIssuedSchema, `${familyPath(family)}/member-access`, {
        memberId: m.id,
      });
      setIssued({ alias: m.alias, code: res.code, expiresAt: res.expiresAt });
      onFamily(res.family);
      announce(t('memberAccess.codeTitle', { alias: m.alias }));
    });

  const revoke = (m: Member) =>
    run(async () => {
      const next = await api.delete(
        familyViewSchema,
        `${familyPath(family)}/member-access/${encodeURIComponent(m.id)}`,
      );
      setIssued((i) => (i?.alias === m.alias ? null : i));
      const text = t('memberAccess.revokedDone', { alias: m.alias });
      setDone(text);
      announce(text);
      onFamily(next);
    });

  const shield = (m: Member, from: string[]) =>
    run(async () => {
      const next = await api.post(familyViewSchema, `${familyPath(family)}/events`, {
        type: 'member.shielded',
        expectedVersion: family.version,
        payload: { memberId: m.id, from },
      });
      setShielding(null);
      const text = t(from.length > 0 ? 'memberAccess.shieldDone' : 'memberAccess.shieldLiftedDone', {
        alias: m.alias,
      });
      setDone(text);
      announce(text);
      onFamily(next);
    });

  return (
    <section aria-labelledby="member-access-title" className="wide" data-testid="member-access">
      <h2 id="member-access-title">{t('memberAccess.title')}</h2>
      <p>{t('memberAccess.intro')}</p>
      {!access.canManage ? <p className="muted">{t('memberAccess.manageOnly')}</p> : null}
      {issued ? (
        <OneTimeCode
          id="member-code-title"
          level={3}
          title={t('memberAccess.codeTitle', { alias: issued.alias })}
          codeLabel={t('memberAccess.code')}
          code={issued.code}
          validLabel={t('memberAccess.validUntil')}
          expiresAt={issued.expiresAt}
          note={t('memberAccess.codeOnce', { alias: issued.alias })}
          testIds={{ notice: 'member-code', code: 'member-code-value', expires: 'member-code-expires' }}
        />
      ) : null}
      {done ? <FocusedNotice focusKey={done}>{done}</FocusedNotice> : null}
      {error ? (
        <FocusedNotice className="form-error" role="alert" focusKey={error}>
          {error}
        </FocusedNotice>
      ) : null}
      <ul className="access-list">
        {access.members.map((a) => {
          const m = byId.get(a.memberId);
          if (!m) return null;
          return (
            <li key={a.memberId} data-testid="member-access-row">
              <h3>
                {m.alias} <span className="muted">({t(`memberKind.${m.kind}`).toLowerCase()})</span>
              </h3>
              <dl className="facts">
                <div>
                  <dt>{t('memberAccess.access')}</dt>
                  <dd data-testid="member-access-status">{accessText(a, m)}</dd>
                </div>
                <div>
                  <dt>{t('memberAccess.shieldedFrom')}</dt>
                  <dd>
                    {a.shieldedFrom.length > 0
                      ? a.shieldedFrom.map(alias).join(', ')
                      : t('memberAccess.shieldedFromNone')}
                  </dd>
                </div>
                <div>
                  <dt>{t('memberAccess.answer')}</dt>
                  <dd data-testid="member-access-answer">{answerText(a)}</dd>
                </div>
              </dl>
              {access.canManage ? (
                <div className="button-row">
                  {a.eligible ? (
                    <button type="button" disabled={busy} onClick={() => void issue(m)}>
                      {t(
                        a.access && a.access.revokedAt === null
                          ? 'memberAccess.issueAgain'
                          : 'memberAccess.issue',
                        { alias: m.alias },
                      )}
                    </button>
                  ) : null}
                  {a.access && a.access.revokedAt === null ? (
                    <button type="button" disabled={busy} onClick={() => void revoke(m)}>
                      {t('memberAccess.revoke', { alias: m.alias })}
                    </button>
                  ) : null}
                  {m.kind !== 'unborn' && family.members.length > 1 ? (
                    <button
                      type="button"
                      disabled={busy}
                      aria-expanded={shielding === m.id}
                      onClick={() => setShielding(shielding === m.id ? null : m.id)}
                    >
                      {t('memberAccess.shieldOpen', { alias: m.alias })}
                    </button>
                  ) : null}
                </div>
              ) : null}
              {shielding === m.id ? (
                <ShieldForm
                  member={m}
                  others={family.members.filter((o) => o.id !== m.id && o.kind !== 'unborn')}
                  current={a.shieldedFrom}
                  busy={busy}
                  onSave={(from) => void shield(m, from)}
                  onCancel={() => setShielding(null)}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );

  function accessText(a: MemberAccess, m: Member): string {
    if (a.access?.revokedAt) return t('memberAccess.revokedOn', { date: formatDate(a.access.revokedAt) });
    if (a.access)
      return t('memberAccess.hasAccess', {
        date: formatDate(a.access.grantedAt),
        until: formatDateTime(a.access.expiresAt),
      });
    if (a.eligible) return t('memberAccess.noAccess');
    return m.kind === 'unborn' ? t('memberAccess.notEligibleUnborn') : t('memberAccess.notEligibleChild');
  }

  function answerText(a: MemberAccess): string {
    const r = a.response;
    if (!r) return t('memberAccess.noAnswer');
    const head = t(r.response === 'agree' ? 'memberAccess.answerAgree' : 'memberAccess.answerDisagree', {
      version: r.planVersion,
      date: formatDate(r.at),
    });
    return r.comment ? `${head} ${t('memberAccess.answerComment', { comment: r.comment })}` : head;
  }
}

/** From whom `member`'s data is hidden: the other members, the current shield ticked. */
function ShieldForm({
  member,
  others,
  current,
  busy,
  onSave,
  onCancel,
}: {
  member: Member;
  others: Member[];
  current: readonly string[];
  busy: boolean;
  onSave: (from: string[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState<string[]>([...current]);
  const prefix = `shield-${member.id}`;
  return (
    <form
      className="shield-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSave(from);
      }}
    >
      <fieldset className="group">
        <legend>{t('memberAccess.shieldLegend', { alias: member.alias })}</legend>
        <p className="hint">{t('memberAccess.shieldHint', { alias: member.alias })}</p>
        {others.map((o) => (
          <CheckboxField
            key={o.id}
            id={`${prefix}-${o.id}`}
            label={o.alias}
            checked={from.includes(o.id)}
            onChange={(on) =>
              setFrom(on ? [...from.filter((x) => x !== o.id), o.id] : from.filter((x) => x !== o.id))
            }
          />
        ))}
      </fieldset>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('common.saving') : t('memberAccess.shieldSave')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
