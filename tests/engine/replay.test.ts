import { describe, expect, it } from 'vitest';
import { addDays, applyEvent, initialFamily, type FamilyEvent, type PersistedFamily } from '../../machines/index.ts';
import type { Db } from '../../server/db/index.ts';
import { eventRow, type EventRow } from '../../server/engine/append.ts';
import {
  fold,
  GENESIS_HASH,
  hashEvent,
  listEvents,
  replay,
  stateAfterOf,
  verify,
} from '../../server/engine/index.ts';

// Replay and verify over a long chain (several slices of 500 events), served from memory through a
// stand-in for the two queries they make, so the test needs no database and no thousand dispatches.

const FAMILY = 'f-long';
const VT = { id: 'u-vt', role: 'vt' } as const;
const DIR = { id: 'u-dir', role: 'director' } as const;
const HOUR = 3_600_000;

type Row = EventRow;

/** A family under monitoring that keeps receiving checks, incidents, reports and measures. */
function longHistory(events: number): { envelopes: FamilyEvent[]; final: PersistedFamily } {
  let t = Date.parse('2024-01-08T09:00:00.000Z');
  let s = initialFamily();
  const envelopes: FamilyEvent[] = [];
  const send = (e: Omit<FamilyEvent, 'recordedAt'>) => {
    t += 6 * HOUR;
    const envelope = { ...e, recordedAt: new Date(t).toISOString() } as FamilyEvent;
    const r = applyEvent(s, envelope);
    if (!r.ok) throw new Error(`${envelope.type} refused: ${JSON.stringify(r.refusal)}`);
    s = r.next;
    envelopes.push(envelope);
  };
  const members = [
    { alias: 'Ouder A', kind: 'adult', birthYear: 1985 },
    { alias: 'Kind 1', kind: 'child', birthYear: 2015 },
  ];
  const report = { source: 'police', acute: false, summary: 'Ruzie', violenceForms: ['partnergeweld'] };
  send({ type: 'report.received', payload: { ...report, members }, actor: VT } as never);
  send({ type: 'assessment.started', payload: {}, actor: VT } as never);
  const dueAt = addDays(new Date(t).toISOString(), 30);
  send({
    type: 'assessment.completed',
    payload: { decision: 'handover', acute: false, structural: true, directorId: DIR.id, conditions: [{ description: 'Geen geweld', dueAt }] },
    reason: 'Structureel',
    named: { id: DIR.id, roles: ['director'] },
    actor: VT,
  } as never);
  send({ type: 'handover.accepted', payload: {}, reason: 'Akkoord', actor: DIR } as never);
  const condition = s.context.conditions[0]!.id;
  const plan = {
    agreements: [{ description: 'Afspraak', responsible: 'Ouder A', coversConditionIds: [condition] }],
    participants: [{ memberId: 'm1' }],
    childPerspectives: [{ memberId: 'm2', perspective: 'Rustig' }],
  };
  send({ type: 'plan.agreed', payload: plan, actor: DIR } as never);
  send({ type: 'directSafety.achieved', payload: {}, reason: 'Gestopt', actor: DIR } as never);
  for (let i = 0; envelopes.length < events; i++) {
    const at = new Date(t).toISOString();
    const active = s.context.measures.find((m) => m.status === 'active');
    const next = [
      () => ({ type: 'monitoring.checkRecorded', payload: { results: [{ conditionId: condition, met: true }] }, actor: VT }),
      () => ({ type: 'incident.reported', payload: { occurredAt: at, severity: 'minor', description: 'Ruzie' }, actor: VT }),
      () => ({ type: 'report.received', payload: { ...report, members: [], receivedAt: at }, actor: VT }),
      () =>
        active
          ? { type: 'measure.ended', payload: { measureId: active.id }, actor: DIR }
          : { type: 'measure.imposed', payload: { kind: 'huisverbod', startsAt: at, endsAt: addDays(at, 10) }, actor: DIR },
    ][i % 4]!;
    send(next() as never);
  }
  return { envelopes, final: s };
}

/** The rows the store would have written for these events (append.ts's eventRow: stateAfter and the hash chain). */
function rowsOf(envelopes: readonly FamilyEvent[]): Row[] {
  let s = initialFamily();
  let prevHash = GENESIS_HASH;
  return envelopes.map((e, i) => {
    const r = applyEvent(s, e);
    if (!r.ok) throw new Error('refused');
    s = r.next;
    const row = eventRow(FAMILY, i + 1, e, s.version, prevHash, stateAfterOf(s));
    prevHash = row.hash;
    return row;
  });
}

/** Only what replay and verify ask of the database: the family's version and its events (up to a seq). */
function dbOf(rows: readonly Row[]): Db {
  return {
    direct: {
      get: async () => ({ version: rows.length }),
      all: async (_sql: string, params: unknown[]) =>
        rows.filter((r) => params[1] === undefined || r.seq <= (params[1] as number)),
    },
  } as unknown as Db;
}

/** Re-chains the rows from `from` on, so that only the machine's check can tell a rewritten history. */
function rechain(rows: Row[], from: number): void {
  for (let i = from; i < rows.length; i++) {
    const row = rows[i]!;
    row.prevHash = i === 0 ? GENESIS_HASH : rows[i - 1]!.hash;
    row.hash = hashEvent(row.prevHash, {
      familyId: FAMILY,
      seq: row.seq,
      type: row.type,
      payload: JSON.parse(row.payload) as unknown,
      reason: row.reason,
      actor: { id: row.actorId, role: row.actorRole },
      named: row.named ? (JSON.parse(row.named) as { id: string; roles: string[] }) : null,
      recordedAt: row.recordedAt.toISOString(),
      occurredAt: null,
      machineVersion: row.machineVersion,
      stateAfter: JSON.parse(row.stateAfter) as unknown,
    });
  }
}

describe('replay and verify of a long history', () => {
  const { envelopes, final } = longHistory(1_300);

  it('verify accepts the chain; fold and replay rebuild the snapshot byte for byte', async () => {
    const db = dbOf(rowsOf(envelopes));
    expect(await verify(db, FAMILY)).toEqual({ valid: true, events: 1_300 });
    const replayed = await replay(db, FAMILY);
    expect(replayed.seq).toBe(1_300);
    expect(JSON.stringify(replayed.snapshot)).toBe(JSON.stringify(final));
    expect(JSON.stringify(fold(await listEvents(db, FAMILY)).snapshot)).toBe(JSON.stringify(final));
    const upto = await replay(db, FAMILY, 700);
    expect(upto.seq).toBe(700);
    expect(JSON.stringify(upto.snapshot)).toBe(JSON.stringify(fold(await listEvents(db, FAMILY, 700)).snapshot));
  });

  it('names the first rewritten event, also past the first slices and with a recomputed chain', async () => {
    const rows = rowsOf(envelopes);
    const target = rows[1_099]!;
    const state = JSON.parse(target.stateAfter) as { phase: string };
    target.stateAfter = JSON.stringify({ ...state, phase: 'recovery' });
    rechain(rows, 1_099);
    expect(await verify(dbOf(rows), FAMILY)).toEqual({ valid: false, events: 1_300, brokenAt: 1_100 });
  });

  it('gives other work a turn while it folds', async () => {
    const db = dbOf(rowsOf(envelopes));
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await verify(db, FAMILY);
    running = false;
    expect(result.valid).toBe(true);
    // 1,300 events are folded in three slices: at least two turns in between.
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
