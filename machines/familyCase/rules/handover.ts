import { pendingHandover } from '../context.ts';
import { ok, say, type Rule } from './rule.ts';

// A warm handover in two steps: the current director (or VT) offers, the named director accepts or
// declines. Until then the one who offered stays director, so a family never has none or two.

export const handoverRules = {
  caseDirectorAssigned: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.caseDirectorId
        ? ok
        : say(
            'Er is nog geen casusregisseur: overdragen kan pas na de veiligheidsbeoordeling.',
            'There is no case director yet: a handover is possible only after the safety assessment.',
          ),
  },
  offeredToDirector: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      ev.type !== 'handover.offered' || ev.named?.roles.includes('director')
        ? ok
        : say(
            'Overdragen kan alleen aan een casusregisseur; de genoemde gebruiker heeft die rol niet.',
            'A handover can go only to a case director; the named user does not have that role.',
          ),
  },
  notToCurrentDirector: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) =>
      ev.type !== 'handover.offered' || ev.payload.directorId !== ctx.caseDirectorId
        ? ok
        : say(
            'Deze persoon is al de casusregisseur van dit gezin.',
            "This person already is this family's case director.",
          ),
  },
  /** Issue 11 item 11: a user with both roles cannot hand a case to themselves (nor by a handover decision). */
  notToOneself: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) => {
      const to =
        ev.type === 'handover.offered'
          ? ev.payload.directorId
          : (ev.type === 'assessment.completed' || ev.type === 'investigation.completed') &&
              ev.payload.decision === 'handover'
            ? ev.payload.directorId
            : undefined;
      return to === undefined || to !== ev.actor.id
        ? ok
        : say('U kunt de zaak niet aan uzelf overdragen.', 'You cannot hand the case over to yourself.');
    },
  },
  handoverIsPending: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      pendingHandover(ctx) ? ok : say('Er staat geen overdracht open.', 'There is no pending handover.'),
  },
  isNamedReceiver: {
    kind: 'forbidden',
    needs: 'context',
    check: (ctx, ev) =>
      pendingHandover(ctx)?.toId === ev.actor.id
        ? ok
        : say(
            'Alleen de casusregisseur aan wie de overdracht is aangeboden mag die aanvaarden of weigeren.',
            'Only the case director the handover was offered to may accept or decline it.',
          ),
  },
  /** A handover is between two people: whoever offered it cannot accept it. */
  notOwnOffer: {
    kind: 'guard',
    needs: 'context',
    check: (ctx, ev) =>
      pendingHandover(ctx)?.offeredBy !== ev.actor.id
        ? ok
        : say(
            'U kunt een overdracht die u zelf hebt aangeboden niet aanvaarden.',
            'You cannot accept a handover you offered yourself.',
          ),
  },
} satisfies Record<string, Rule>;
