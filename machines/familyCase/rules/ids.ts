import type { FamilyContext, Member } from '../context.ts';
import { listWords } from '../words.ts';
import { ok, say, type Rule } from './rule.ts';

// The members and conditions a payload names must be this family's, each named once where one is
// meant (API.md "Additions to v1"). Refusals name members by alias and conditions by description,
// never by their internal ids.

const quoted = (texts: readonly string[]) => listWords(texts.map((t) => `“${t}”`));

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

function aliases(ctx: FamilyContext, ids: readonly string[]): string[] {
  const byId = new Map<string, Member>(ctx.members.map((m) => [m.id, m]));
  return ids.map((id) => byId.get(id)?.alias ?? '?');
}

function conditionTexts(ctx: FamilyContext, ids: readonly string[]): string[] {
  return ids.map((id) => ctx.conditions.find((c) => c.id === id)?.description ?? '?');
}

function participantIds(ev: Parameters<Rule['check']>[1]): string[] | null {
  if (ev.type === 'plan.agreed' || ev.type === 'plan.revised')
    return ev.payload.participants.flatMap((p) => ('memberId' in p ? [p.memberId] : []));
  if (ev.type === 'stability.confirmed') return ev.payload.participants.map((p) => p.memberId);
  // familyCase@2
  if (ev.type === 'contact.first') return ev.payload.with;
  if (ev.type === 'conference.held')
    return ev.payload.participants.flatMap((p) => ('memberId' in p ? [p.memberId] : []));
  return null;
}

/** Members a v2 payload names besides participants: the one screened, those excused from screening, the family view's. */
function otherMemberIds(ev: Parameters<Rule['check']>[1]): string[] | null {
  if (ev.type === 'trauma.screened') return [ev.payload.memberId];
  if (ev.type === 'recovery.completed') return (ev.payload.excused ?? []).map((x) => x.memberId);
  // The family's own view: the member given or denied access, shielded, and those shielded from.
  if (ev.type === 'member-access.granted' || ev.type === 'member-access.revoked') return [ev.payload.memberId];
  if (ev.type === 'member.shielded') return [ev.payload.memberId, ...ev.payload.from];
  return null;
}

export const idRules = {
  unknownCondition: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      let ids: string[];
      if (ev.type === 'plan.agreed' || ev.type === 'plan.revised')
        ids = ev.payload.agreements.flatMap((a) => a.coversConditionIds);
      else if (ev.type === 'monitoring.checkRecorded') ids = ev.payload.results.map((r) => r.conditionId);
      else return ok;
      const known = new Set(ctx.conditions.filter((c) => c.status !== 'withdrawn').map((c) => c.id));
      const unknown = new Set(ids.filter((id) => !known.has(id)));
      if (unknown.size === 0) return ok;
      return unknown.size === 1
        ? say(
            'Een genoemde veiligheidsvoorwaarde hoort niet (meer) bij dit gezin.',
            'A safety condition named here is not (or no longer) one of this family’s.',
          )
        : say(
            `${unknown.size} genoemde veiligheidsvoorwaarden horen niet (meer) bij dit gezin.`,
            `${unknown.size} safety conditions named here are not (or no longer) this family’s.`,
          );
    },
  },
  unknownMember: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      let ids: string[];
      if (ev.type === 'plan.agreed' || ev.type === 'plan.revised') {
        ids = [...(participantIds(ev) ?? []), ...ev.payload.childPerspectives.map((c) => c.memberId)];
      } else ids = participantIds(ev) ?? otherMemberIds(ev) ?? [];
      if (ids.length === 0) return ok;
      const known = new Set(ctx.members.map((m) => m.id));
      const unknown = new Set(ids.filter((id) => !known.has(id)));
      if (unknown.size === 0) return ok;
      return unknown.size === 1
        ? say(
            'Een genoemde directbetrokkene hoort niet bij dit gezin.',
            'A household member named here is not one of this family’s.',
          )
        : say(
            `${unknown.size} genoemde directbetrokkenen horen niet bij dit gezin.`,
            `${unknown.size} household members named here are not this family’s.`,
          );
    },
  },
  /** Participants of a plan or of the joint assessment: each member once. */
  memberNamedOnce: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      const twice = duplicates(participantIds(ev) ?? []);
      if (twice.length === 0) return ok;
      const who = listWords(aliases(ctx, twice));
      return say(
        `Elke directbetrokkene staat één keer bij de deelnemers; twee keer genoemd: ${who.nl}.`,
        `Each household member is listed once among the participants; listed twice: ${who.en}.`,
      );
    },
  },
  /** A perspective is a child's, one per child. */
  perspectiveOnlyForChild: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const adults = new Set(ctx.members.filter((m) => m.kind !== 'child').map((m) => m.id));
      const given = ev.payload.childPerspectives.map((c) => c.memberId).filter((id) => adults.has(id));
      if (given.length === 0) return ok;
      const who = listWords(aliases(ctx, [...new Set(given)]));
      return say(
        `Een perspectief wordt voor een kind vastgelegd; volwassen: ${who.nl}.`,
        `A perspective is recorded for a child; an adult: ${who.en}.`,
      );
    },
  },
  childPerspectiveOnce: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const twice = duplicates(ev.payload.childPerspectives.map((c) => c.memberId));
      if (twice.length === 0) return ok;
      const who = listWords(aliases(ctx, twice));
      return say(
        `Per kind wordt één perspectief vastgelegd; meer dan één voor: ${who.nl}.`,
        `One perspective is recorded per child; more than one for: ${who.en}.`,
      );
    },
  },
  /** An agreement covers a condition once. (Two agreements may cover the same condition.) */
  conditionCoveredOnce: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.agreed' && ev.type !== 'plan.revised') return ok;
      const twice = [...new Set(ev.payload.agreements.flatMap((a) => duplicates(a.coversConditionIds)))];
      if (twice.length === 0) return ok;
      const what = quoted(conditionTexts(ctx, twice));
      return say(
        `Een afspraak noemt dezelfde veiligheidsvoorwaarde twee keer: ${what.nl}.`,
        `An agreement names the same safety condition twice: ${what.en}.`,
      );
    },
  },
  /** A check records one outcome per condition: met and not met at once would leave the last one. */
  conditionCheckedOnce: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'monitoring.checkRecorded') return ok;
      const results = ev.payload.results;
      const twice = duplicates(results.map((r) => r.conditionId));
      if (twice.length === 0) return ok;
      const contradicts = twice.some(
        (id) => new Set(results.filter((r) => r.conditionId === id).map((r) => r.met)).size > 1,
      );
      const what = quoted(conditionTexts(ctx, twice));
      return contradicts
        ? say(
            `Een controle legt per voorwaarde één uitkomst vast; zowel nagekomen als niet nagekomen: ${what.nl}.`,
            `A check records one outcome per condition; both met and not met: ${what.en}.`,
          )
        : say(
            `Een controle legt per voorwaarde één uitkomst vast; twee keer genoemd: ${what.nl}.`,
            `A check records one outcome per condition; named twice: ${what.en}.`,
          );
    },
  },
} satisfies Record<string, Rule>;
