import { localDateOf } from '../calendar.ts';
import type { FamilyContextV2 } from '../contextV2.ts';
import { cap, eventWords } from '../words.ts';
import { ok, say, type Rule } from './rule.ts';

// familyCase@2, the family's own view (DOMAIN.md "The family's own view"): the director gives a member
// a one-time code, revokes it, shields a member's data from others; a member answers the safety plan.
// Who may send them is decided by roles.ts (`roleMaySend`, `assignedToCase`) and `caseDirectorAssigned`.

/** From this age a child gets a code of its own (a child of 12 or older has its own say). */
export const CHILD_ACCESS_AGE = 12;

type Ctx = FamilyContextV2;

function aliasOf(ctx: Ctx, memberId: string): string {
  return ctx.members.find((m) => m.id === memberId)?.alias ?? '?';
}

/** The member's current access: granted, and neither revoked nor ended with the case. */
export function activeAccess(ctx: Ctx, memberId: string) {
  const access = ctx.familyView?.access.find((a) => a.memberId === memberId);
  return access && access.revokedAt === null ? access : null;
}

/**
 * Whether a member may have a code of their own: an adult, or a child of 12 or older in the event's
 * year. Only the birth year is kept (minimised by design), so a child counts as 12 from 1 January
 * of the year in which it turns 12.
 */
export function mayHaveAccess(member: { kind: string; birthYear: number }, at: string): boolean {
  if (member.kind === 'adult') return true;
  if (member.kind !== 'child') return false;
  return Number(localDateOf(at).slice(0, 4)) - member.birthYear >= CHILD_ACCESS_AGE;
}

export const familyViewRules = {
  /** Access and shields are the family's director's to give: not VT's while it has none, not a colleague's. */
  familyDirectorActs: {
    kind: 'forbidden',
    needs: 'context',
    check: (ctx, ev) => {
      const what = eventWords[ev.type];
      if (ctx.caseDirectorId === null)
        return say(
          `Dit gezin heeft (nu) geen casusregisseur; alleen die mag ${what.nl}.`,
          `This family has no case director (now); only they may ${what.en}.`,
        );
      return ev.actor.id === ctx.caseDirectorId
        ? ok
        : say(`${cap(`alleen de casusregisseur van dit gezin mag ${what.nl}`)}.`, `Only this family's case director may ${what.en}.`);
    },
  },
  /** `member-access.granted`: an adult, or a child of 12 or older, of this family. */
  accessForAdultOrChildOf12: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'member-access.granted') return ok;
      const member = ctx.members.find((m) => m.id === ev.payload.memberId);
      if (!member) return ok; // unknownMember says so
      if (mayHaveAccess(member, ev.recordedAt)) return ok;
      return member.kind === 'unborn'
        ? say(
            `${member.alias} is nog niet geboren en krijgt geen code.`,
            `${member.alias} is not born yet and gets no code.`,
          )
        : say(
            `Een code is voor een volwassene of een kind van ${CHILD_ACCESS_AGE} jaar of ouder; ${member.alias} is jonger (geboren in ${member.birthYear}).`,
            `A code is for an adult or a child of ${CHILD_ACCESS_AGE} or older; ${member.alias} is younger (born in ${member.birthYear}).`,
          );
    },
  },
  /** The code opens for a while after it is made (the server sets 14 days). */
  accessExpiresLater: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type !== 'member-access.granted' || Date.parse(ev.payload.expiresAt) > Date.parse(ev.recordedAt)
        ? ok
        : say(
            'Een code moet na het moment van uitgeven nog geldig zijn.',
            'A code must still be valid after the moment it is issued.',
          ),
  },
  /** `member-access.revoked`: there is access to revoke. */
  accessToRevoke: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) =>
      ev.type !== 'member-access.revoked' || activeAccess(ctx, ev.payload.memberId)
        ? ok
        : say(
            `${aliasOf(ctx, ev.payload.memberId)} heeft geen toegang die kan worden ingetrokken.`,
            `${aliasOf(ctx, ev.payload.memberId)} has no access that could be revoked.`,
          ),
  },
  /** `plan.responded`: the member who answers has access to the family's view now. */
  memberHasAccess: {
    kind: 'forbidden',
    needs: 'context',
    check: (ctx, ev) =>
      ev.actor.role !== 'member' || activeAccess(ctx, ev.actor.id)
        ? ok
        : say(
            'U heeft (nog) geen toegang tot het veiligheidsplan van dit gezin.',
            'You have no access (yet) to this family’s safety plan.',
          ),
  },
  /** There is a safety plan to answer. */
  planToAnswer: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.safetyPlan
        ? ok
        : say(
            'Er is nog geen veiligheidsplan om op te antwoorden.',
            'There is no safety plan to respond to yet.',
          ),
  },
  /** The answer names the plan's current version (an older one has been replaced). */
  planVersionCurrent: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      if (ev.type !== 'plan.responded' || !ctx.safetyPlan) return ok;
      const current = ctx.safetyPlan.version;
      const named = ev.payload.planVersion;
      if (named === current) return ok;
      return named < current
        ? say(
            `Versie ${named} van het plan is vervangen door versie ${current}: antwoord op de huidige versie.`,
            `Version ${named} of the plan has been replaced by version ${current}: respond to the current version.`,
          )
        : say(
            `Het plan heeft geen versie ${named}; de huidige versie is ${current}.`,
            `The plan has no version ${named}; the current version is ${current}.`,
          );
    },
  },
  /** `member.shielded`: a member is not shielded from themselves. */
  notShieldedFromSelf: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) =>
      ev.type !== 'member.shielded' || !ev.payload.from.includes(ev.payload.memberId)
        ? ok
        : say(
            `${aliasOf(ctx, ev.payload.memberId)} kan niet voor zichzelf worden afgeschermd.`,
            `${aliasOf(ctx, ev.payload.memberId)} cannot be shielded from themselves.`,
          ),
  },
} satisfies Record<string, Rule<FamilyContextV2>>;

/** A member disagrees with the current version of the safety plan: a signal for the director, never a block. */
export function planDisagreement(ctx: Ctx): boolean {
  const version = ctx.safetyPlan?.version;
  return version !== undefined && (ctx.familyView?.responses ?? []).some((r) => r.planVersion === version && r.response === 'disagree');
}

/** The members from whom member `memberId`'s data is hidden. */
export function shieldedFrom(ctx: Ctx, memberId: string): readonly string[] {
  return ctx.familyView?.shields.find((s) => s.memberId === memberId)?.from ?? [];
}
