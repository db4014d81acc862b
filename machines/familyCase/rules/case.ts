import { decisionEventTypes } from '../../schemas/events.ts';
import { currentPhase } from '../context.ts';
import { eventWords } from '../words.ts';
import { is } from './roles.ts';
import { ok, say, type Rule } from './rule.ts';

// The case as a whole: it exists, it is open, decisions are motivated, signals are recorded once.

export const caseRules = {
  caseOpened: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      ctx.cycle > 0
        ? ok
        : say(
            'De zaak bestaat nog niet: eerst een melding registreren.',
            'The case does not exist yet: register a report first.',
          ),
  },
  phaseNotClosed: {
    kind: 'state',
    needs: 'context',
    check: (ctx) =>
      currentPhase(ctx) === 'closed' ? say('De zaak is gesloten.', 'The case is closed.') : ok,
  },
  reasonRequired: {
    kind: 'guard',
    needs: 'payload',
    check: (_ctx, ev) =>
      !is(decisionEventTypes, ev.type) || (ev.reason?.trim() ?? '') !== ''
        ? ok
        : say(
            `Dit is een besluit (${eventWords[ev.type].nl}) en vraagt een motivering.`,
            `This is a decision (${eventWords[ev.type].en}) and needs a motivation (reason).`,
          ),
  },
  membersRequired: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) =>
      ev.type !== 'report.received' || ctx.cycle > 0 || ev.payload.members.length > 0
        ? ok
        : say(
            'Een nieuwe zaak heeft minstens één directbetrokkene.',
            'A new case needs at least one household member.',
          ),
  },
  /** The scheduler fires each timer once; a second firing of the same signal is refused. */
  signalNew: {
    kind: 'guard',
    needs: 'payload',
    check: (ctx, ev) => {
      const dup = say('Dit signaal is al vastgelegd.', 'This signal has already been recorded.');
      if (ev.type === 'deadline.missed') {
        const p = ev.payload;
        return ctx.signals.missed.some(
          (s) => s.kind === p.kind && s.ref === p.ref && Date.parse(s.dueAt) === Date.parse(p.dueAt),
        )
          ? dup
          : ok;
      }
      if (ev.type === 'stability.reviewDue') {
        return ctx.signals.reviewsDue.some((s) => Date.parse(s.dueAt) === Date.parse(ev.payload.dueAt))
          ? dup
          : ok;
      }
      if (ev.type === 'stagnation.detected') {
        const p = ev.payload;
        return ctx.signals.stagnation.some(
          (s) => s.phase === p.phase && Date.parse(s.since) === Date.parse(p.since),
        )
          ? dup
          : ok;
      }
      return ok;
    },
  },
} satisfies Record<string, Rule>;
