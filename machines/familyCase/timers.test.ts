import { describe, expect, it } from 'vitest';
import { addDays, addHours, addMonths, addWorkingDays } from './calendar.ts';
import { applyEvent, initialFamily, type PersistedFamily } from './engine.ts';
import { normsSchema } from './norms.ts';
import { deadlinesOf, dueTimers, type DueTimer } from './timers.ts';
import { DIR, SYSTEM, driveTo, ev, must, reportPayload, handoverDecision } from './testing/testkit.ts';

const find = (timers: DueTimer[], kind: DueTimer['kind'], ref?: string) =>
  timers.find((x) => x.kind === kind && (ref === undefined || x.ref === ref));

/** Fires a timer as the scheduler would. */
function fire(s: PersistedFamily, timer: DueTimer): PersistedFamily {
  return must(applyEvent(s, ev(timer.event.type, timer.event.payload, { at: timer.dueAt, actor: SYSTEM })));
}

describe('assessment deadline', () => {
  it('acute: within 24 hours of the report date', () => {
    const received = '2025-04-17T22:00:00.000Z';
    const s = must(
      applyEvent(
        initialFamily(1),
        ev(
          'report.received',
          { ...reportPayload(undefined, true), receivedAt: received },
          { at: '2025-04-17T23:00:00.000Z' },
        ),
      ),
    );
    expect(find(dueTimers(s), 'assessment')).toMatchObject({
      ref: 'r4',
      dueAt: addHours(received, 24),
      event: { type: 'deadline.missed' },
    });
  });

  it('otherwise 5 working days; met when the assessment is completed in time', () => {
    const { s } = driveTo('reported', '2025-12-23T09:00:00.000Z');
    expect(find(dueTimers(s), 'assessment')?.dueAt).toBe('2026-01-02T09:00:00.000Z');
    const done = must(
      applyEvent(
        must(applyEvent(s, ev('assessment.started', {}, { at: '2025-12-24T09:00:00.000Z' }))),
        ev(
          'assessment.completed',
          { decision: 'close', acute: false, structural: false },
          { at: '2025-12-29T09:00:00.000Z', reason: 'Geen zorgen' },
        ),
      ),
    );
    expect(deadlinesOf(done).find((d) => d.kind === 'assessment')?.status).toBe('met');
    expect(find(dueTimers(done), 'assessment')).toBeUndefined();
  });

  it('after deadline.missed the deadline shows missed and its timer is gone; late completion stays missed', () => {
    const { s } = driveTo('reported', '2025-01-06T09:00:00.000Z');
    const timer = find(dueTimers(s), 'assessment')!;
    const missed = fire(s, timer);
    expect(deadlinesOf(missed).find((d) => d.kind === 'assessment')).toMatchObject({
      status: 'missed',
      dueAt: '2025-01-13T09:00:00.000Z',
    });
    expect(find(dueTimers(missed), 'assessment')).toBeUndefined();
    // Firing twice is refused, so the scheduler's retries cannot record a signal twice.
    expect(
      applyEvent(missed, ev(timer.event.type, timer.event.payload, { at: timer.dueAt, actor: SYSTEM })).ok,
    ).toBe(false);
    const late = must(
      applyEvent(
        must(applyEvent(s, ev('assessment.started', {}, { at: '2025-01-14T09:00:00.000Z' }))),
        ev(
          'assessment.completed',
          { decision: 'close', acute: false, structural: false },
          { at: '2025-01-14T10:00:00.000Z', reason: 'x' },
        ),
      ),
    );
    expect(deadlinesOf(late).find((d) => d.kind === 'assessment')?.status).toBe('missed');
  });
});

describe('investigation, handover, measures', () => {
  it('investigation: 10 weeks after the decision to investigate', () => {
    const { s, t } = driveTo('assessment');
    const inv = must(
      applyEvent(
        s,
        ev(
          'assessment.completed',
          { decision: 'investigate', acute: false, structural: true },
          { at: t, reason: 'Onderzoek' },
        ),
      ),
    );
    expect(find(dueTimers(inv), 'investigation')?.dueAt).toBe(addDays(t, 70));
  });

  it('handover acceptance: 5 working days after the offer, met on acceptance', () => {
    const { s, t } = driveTo('assessment');
    const h = must(applyEvent(s, handoverDecision({ at: t, condition: 'x', reason: 'x' })));
    const timer = find(dueTimers(h), 'handoverAcceptance')!;
    expect(timer.dueAt).toBe(addWorkingDays(t, 5));
    const acc = must(
      applyEvent(h, ev('handover.accepted', {}, { at: addDays(t, 1), actor: DIR, reason: 'Akkoord' })),
    );
    expect(find(dueTimers(acc), 'handoverAcceptance')).toBeUndefined();
    expect(deadlinesOf(acc).find((d) => d.kind === 'handoverAcceptance')?.status).toBe('met');
  });

  it('measure end: measure.expired at endsAt, then the measure is expired', () => {
    const { s, t } = driveTo('directSafety.planning');
    const m = must(
      applyEvent(
        s,
        ev(
          'measure.imposed',
          { kind: 'huisverbod', startsAt: t, endsAt: addDays(t, 10) },
          { at: t, actor: DIR },
        ),
      ),
    );
    const timer = find(dueTimers(m), 'measureEnd')!;
    expect(timer).toMatchObject({
      dueAt: addDays(t, 10),
      event: { type: 'measure.expired', payload: { measureId: m.context.measures[0]!.id } },
    });
    const expired = fire(m, timer);
    expect(expired.context.measures[0]?.status).toBe('expired');
    expect(find(dueTimers(expired), 'measureEnd')).toBeUndefined();
  });
});

describe('monitoring, stability review, stagnation', () => {
  it('monitoring: at the condition due date (plus grace) and at least every 3 months', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    const cond = s.context.conditions[0]!;
    expect(find(dueTimers(s), 'monitoringCheck', cond.id)?.dueAt).toBe(addWorkingDays(cond.dueAt!, 2));
    const followUp = s.context.followUpStarts.at(-1)!;
    expect(find(dueTimers(s), 'monitoringCheck', `periodic:${followUp}`)?.dueAt).toBe(addMonths(followUp, 3));
    const checked = must(
      applyEvent(
        s,
        ev(
          'monitoring.checkRecorded',
          { results: [{ conditionId: cond.id, met: false }] },
          { at: addDays(t, 10) },
        ),
      ),
    );
    expect(find(dueTimers(checked), 'monitoringCheck', cond.id)).toBeUndefined();
    expect(find(dueTimers(checked), 'monitoringCheck', `periodic:${addDays(t, 10)}`)?.dueAt).toBe(
      addMonths(addDays(t, 10), 3),
    );
    expect(
      deadlinesOf(checked)
        .filter((d) => d.kind === 'monitoringCheck' && d.status === 'met')
        .map((d) => d.ref),
    ).toEqual(expect.arrayContaining([cond.id, `periodic:${followUp}`]));
  });

  it('monitoring stops once stable safety is confirmed', () => {
    const { s } = driveTo('recovery');
    expect(find(dueTimers(s), 'monitoringCheck')).toBeUndefined();
  });

  it('stability review: 6 months after the latest incident (or report), fired once', () => {
    const { s } = driveTo('stableSafety');
    const timer = find(dueTimers(s), 'stabilityReview')!;
    expect(timer.dueAt).toBe(addMonths(s.context.reports[0]!.receivedAt, 6));
    const fired = fire(s, timer);
    expect(find(dueTimers(fired), 'stabilityReview')).toBeUndefined();
    expect(fired.context.signals.reviewsDue).toHaveLength(1);
  });

  it('stagnation: a phase exceeding its norm raises a signal, and the norm is configurable', () => {
    const { s } = driveTo('reported');
    const timer = find(dueTimers(s), 'stagnation')!;
    expect(timer).toMatchObject({
      dueAt: addDays(s.context.phaseHistory[0]!.at, 10),
      event: { type: 'stagnation.detected' },
    });
    const custom = normsSchema.parse({ stagnationDays: { reported: 3 } });
    expect(find(dueTimers(s, custom), 'stagnation')?.dueAt).toBe(addDays(s.context.phaseHistory[0]!.at, 3));
    const fired = fire(s, timer);
    expect(deadlinesOf(fired).find((d) => d.kind === 'stagnation')?.status).toBe('missed');
    expect(find(dueTimers(fired), 'stagnation')).toBeUndefined();
  });

  it('a closed case has no timers except running measures', () => {
    const { s } = driveTo('closed');
    expect(dueTimers(s)).toEqual([]);
    expect(deadlinesOf(s).every((d) => d.status !== 'open')).toBe(true);
  });
});
