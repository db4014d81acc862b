import type { MyFamily } from '../../contract/index.ts';
import { incidentFree, localDateOf, phaseNames, shieldedFrom, stateOf, type FamilyContextV2, type PersistedFamily, type PhaseName } from '../../machines/index.ts';
import {
  conditionWords,
  dateWords,
  directorRole,
  phaseWords,
  veiligThuisRole,
  type Audience,
  type Language,
} from './memberWords.ts';

// The family's own view (issue 15, GET /my-family) from the family's snapshot: what one household
// member may see, in words. Pure: the use case reads the family and the director's name. Left out:
// whatever the director marked `visibleToFamily: false`, whatever a `member.shielded` event hides from
// this member (the shielded member among the members and their child perspective), and everything of
// Veilig Thuis's assessment beyond the conditions (no risk factors, triage, incidents or decisions).

/** Veilig Thuis holds oversight in these states (then it is among those involved). */
const VT_INVOLVED = new Set(['vtInvolved', 'handoverPending', 'monitoring']);

/** Who the member is to the view: a child (under 18) gets the simpler words. */
export function audienceOf(kind: string): Audience {
  return kind === 'child' ? 'child' : 'adult';
}

/** Member `id` is hidden from `viewer`: a shield of `id` names the viewer. */
function hiddenFrom(ctx: FamilyContextV2, id: string, viewer: string): boolean {
  return id !== viewer && shieldedFrom(ctx, id).includes(viewer);
}

export function memberView(
  snapshot: PersistedFamily,
  memberId: string,
  ctx: { lang: Language; now: Date; directorName: string | null },
): MyFamily {
  const c = snapshot.context as FamilyContextV2;
  const me = c.members.find((m) => m.id === memberId);
  const audience = audienceOf(me?.kind ?? 'adult');
  const { lang } = ctx;
  const say = (words: Record<Language, Record<Audience, string>>) => words[lang][audience];
  const state = stateOf(snapshot);
  const phaseCode = (phaseNames as readonly string[]).includes(state.phase.split('.')[0]!)
    ? (state.phase.split('.')[0] as PhaseName)
    : 'reported';
  const closed = phaseCode === 'closed';
  const visible = (item: { visibleToFamily?: boolean | undefined }) => item.visibleToFamily !== false;
  const aliasOf = (id: string) => c.members.find((m) => m.id === id)?.alias ?? null;

  const plan = c.safetyPlan;
  const mine = c.familyView?.responses.find((r) => r.memberId === memberId && plan && r.planVersion === plan.version);
  const conditions = c.conditions.filter((x) => x.status !== 'withdrawn' && visible(x));

  const nextDates: MyFamily['nextDates'] = [];
  const nowMs = ctx.now.getTime();
  if (!closed) {
    for (const x of conditions)
      if (x.dueAt && x.status === 'open' && Date.parse(x.dueAt) >= nowMs)
        nextDates.push({ what: say(dateWords.conditionDue).replace('{what}', x.description), at: localDateOf(x.dueAt) });
    if (c.conference?.nextAt && Date.parse(c.conference.nextAt) >= nowMs)
      nextDates.push({ what: say(dateWords.nextConference), at: localDateOf(c.conference.nextAt) });
    const from = incidentFree(snapshot, ctx.now.toISOString()).stableSafetyFrom;
    if (from && (phaseCode === 'directSafety' || phaseCode === 'stableSafety') && from >= localDateOf(ctx.now.toISOString()))
      nextDates.push({ what: say(dateWords.stableSafetyFrom), at: from });
    // Days as YYYY-MM-DD sort as text.
    nextDates.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  return {
    audience,
    me: { alias: me?.alias ?? '', kind: me?.kind ?? 'adult' },
    phase: { code: phaseCode, text: say(phaseWords[phaseCode].text), explanation: say(phaseWords[phaseCode].explanation) },
    director: ctx.directorName ? { displayName: ctx.directorName, role: say(directorRole) } : null,
    involved: [
      ...(ctx.directorName ? [{ role: say(directorRole), name: ctx.directorName }] : []),
      ...(VT_INVOLVED.has(state.oversight) && !closed ? [{ role: say(veiligThuisRole), name: null }] : []),
    ],
    plan: plan
      ? {
          version: plan.version,
          agreedAt: plan.agreedAt,
          revisedAt: plan.revisedAt,
          agreements: plan.agreements.filter(visible).map((a) => ({ description: a.description, responsible: a.responsible })),
          childPerspectives: plan.childPerspectives
            .filter((p) => visible(p) && !hiddenFrom(c, p.memberId, memberId))
            .flatMap((p) => {
              const alias = aliasOf(p.memberId);
              return alias ? [{ alias, perspective: p.perspective }] : [];
            }),
          myResponse: mine ? { response: mine.response, comment: mine.comment, at: mine.at } : null,
          canRespond: !closed,
        }
      : null,
    conditions: conditions.map((x) => {
      const status = x.status === 'met' ? ('met' as const) : x.lastResult === false ? ('notMet' as const) : ('open' as const);
      return { description: x.description, status, statusText: say(conditionWords[status]), dueAt: x.dueAt };
    }),
    nextDates,
    members: c.members
      .filter((m) => !hiddenFrom(c, m.id, memberId))
      .map((m) => ({ alias: m.alias, kind: m.kind, me: m.id === memberId })),
  };
}
