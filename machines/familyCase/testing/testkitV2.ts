import type { FamilyEvent } from '../../schemas/events.ts';
import { addDays } from '../calendar.ts';
import { applyEvent, initialFamily, type PersistedFamily } from '../engine.ts';
import type { FamilyContextV2 } from '../contextV2.ts';
import { DIR, VT, ev, must, namedDirector, planFor, reportPayload, stabilityFor } from './testkit.ts';

// Test kit for familyCase@2: a driver along the happy path that records every event, so a test can
// stop at any phase, continue, or replay the history.

export const ctxV2 = (s: PersistedFamily) => s.context as FamilyContextV2;

export class V2Family {
  s: PersistedFamily;
  t: string;
  readonly history: FamilyEvent[] = [];

  constructor(t0 = '2026-01-05T08:00:00.000Z', report = reportPayload()) {
    this.t = t0;
    this.s = initialFamily(2);
    this.send(ev('report.received', report, { at: t0 }));
  }

  /** Applies the event (failing loudly on a refusal) and moves the clock to its time. */
  send(event: FamilyEvent): this {
    this.s = must(applyEvent(this.s, event));
    this.history.push(event);
    this.t = event.recordedAt;
    return this;
  }

  /** Applies an event at `days` after the current time. */
  at(days: number, type: FamilyEvent['type'], payload: unknown, opts: Omit<Parameters<typeof ev>[2], 'at'> = {}): this {
    return this.send(ev(type, payload, { ...opts, at: addDays(this.t, days) }));
  }

  /** Assessment → handover to DIR, accepted (direct safety, planning). */
  handedOver(opts: { riskFactors?: boolean } = {}): this {
    this.at(1, 'assessment.started', {});
    this.at(1, 'assessment.completed', {
      decision: 'handover',
      acute: false,
      structural: true,
      directorId: DIR.id,
      conditions: [{ description: 'Geen geweld in bijzijn kinderen' }],
      ...(opts.riskFactors ? { riskFactors: [{ kind: 'debts' }, { kind: 'housing' }] } : {}),
    }, { reason: 'Structurele onveiligheid', named: namedDirector(DIR.id) });
    return this.at(1, 'handover.accepted', {}, { actor: DIR, reason: 'Akkoord' });
  }

  /** From handedOver: first contact, plan, direct safety achieved (stable safety). */
  stable(): this {
    this.at(1, 'contact.first', { with: [this.s.context.members[0]!.id], warm: true }, { actor: DIR });
    this.at(1, 'plan.agreed', planFor(this.s), { actor: DIR });
    return this.at(14, 'directSafety.achieved', {}, { actor: DIR, reason: 'Geweld gestopt' });
  }

  /** From stable: six months later, stability confirmed (recovery). */
  recovery(): this {
    return this.at(200, 'stability.confirmed', stabilityFor(this.s), { actor: DIR, reason: 'Zes maanden rustig' });
  }
}

export { DIR, VT };
