import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../server/clock.ts';
import { isAppError } from '../../server/errors.ts';
import {
  createFamily,
  dispatch,
  GENESIS_HASH,
  listEvents,
  loadFamily,
  replay,
  verify,
} from '../../server/engine/index.ts';
import { backends, type TestDb } from '../support/db.ts';
import {
  auditOf,
  expectConsistent,
  handoverTo,
  freshStore,
  planFor,
  rejection,
  reportInput,
  send,
  toPlanAgreed,
  type TestUsers,
} from './helpers.ts';

const DAY = 86_400_000;

describe.each(backends())('event store on %s', (provider) => {
  let db: TestDb, clock: ManualClock, users: TestUsers;
  beforeEach(async () => ({ db, clock, users } = await freshStore(provider)));

  afterEach(async () => {
    // Every scenario must leave histories that replay to exactly the stored snapshots.
    try {
      await expectConsistent(db);
    } finally {
      await db.drop();
    }
  });

  it('creates a family whose history starts with report.received at seq 1', async () => {
    const f = await createFamily(db, reportInput({ acute: true, reference: 'VT-2025-1001' }), { actor: users.vt, clock, audit: auditOf(users.vt) });
    expect(f).toMatchObject({
      reference: 'VT-2025-1001',
      municipality: 'Heerlen',
      region: 'zuid-limburg',
      version: 1,
      // New families start under familyCase@2, the current machine version.
      machineVersion: 2,
      phase: 'reported',
      oversight: 'vtInvolved',
      escalation: 'none',
      directorId: null,
      pendingDirectorId: null,
      acute: true,
      createdAt: '2025-03-03T09:00:00.000Z',
    });
    expect(f.snapshot.context.members.map((m) => m.alias)).toEqual(['Ouder A', 'Ouder B', 'Kind 1']);

    const events = await listEvents(db, f.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      seq: 1,
      type: 'report.received',
      actor: { id: 'u-vt', role: 'vt' },
      recordedAt: '2025-03-03T09:00:00.000Z',
      occurredAt: '2025-03-03T09:00:00.000Z',
      machineVersion: 2,
      stateAfter: { phase: 'reported', oversight: 'vtInvolved', escalation: 'none' },
      prevHash: GENESIS_HASH,
      named: null,
    });
    expect(events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    // Acute: the assessment is due within 24 hours, and that is the family's next deadline.
    const timers = await db.prisma.timer.findMany({ where: { familyId: f.id, status: 'pending' } });
    const assessment = timers.find((t) => t.kind === 'assessment');
    expect(assessment?.dueAt.toISOString()).toBe('2025-03-04T09:00:00.000Z');
    expect(f.nextDueAt).toBe('2025-03-04T09:00:00.000Z');

    const log = await db.prisma.accessLog.findMany({ where: { familyId: f.id } });
    expect(log).toMatchObject([{ action: 'create', result: 'ok', userId: 'u-vt', ip: '127.0.0.1' }]);
  });

  it('takes timer norms from the Norm table over the defaults', async () => {
    const { invalidateNorms } = await import('../../server/engine/index.ts');
    const at = new Date();
    await db.prisma.norm.create({ data: { key: 'assessmentWorkingDays', value: '3', updatedAt: at } });
    // A value that no longer fits the schema is ignored rather than breaking every dispatch.
    await db.prisma.norm.create({ data: { key: 'investigationWeeks', value: '"soon"', updatedAt: at } });
    invalidateNorms(db);
    const f = await createFamily(db, reportInput(), { actor: users.vt, clock });
    // Monday 3 March + 3 working days = Thursday 6 March.
    expect(f.nextDueAt).toBe('2025-03-06T09:00:00.000Z');
  });

  it('rejects a report with every invalid field listed', async () => {
    const err = await rejection(
      createFamily(
        db,
        { ...reportInput(), municipality: 'Amsterdam', source: 'rumour', members: [{ alias: '', kind: 'pet', birthYear: 1800 }] },
        { actor: users.vt, clock },
      ),
    );
    expect(err.status).toBe(400);
    const paths = (err.details.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['members.0.alias', 'members.0.birthYear', 'members.0.kind', 'municipality', 'source']);
    expect(await db.prisma.family.count()).toBe(0);
  });

  it('walks a family from report to closure, keeping the query columns in step', async () => {
    let f = await createFamily(db, reportInput(), { actor: users.vt, clock });
    clock.advance(DAY);
    f = await send(db, clock, f, users.vt, 'assessment.started', {});
    expect(f).toMatchObject({ version: 2, phase: 'assessment' });
    clock.advance(DAY);
    f = await send(db, clock, f, users.vt, 'assessment.completed', handoverTo(users.dir.id), 'Structurele onveiligheid');
    // Warm handover: VT stays director until the receiver accepts.
    expect(f).toMatchObject({
      phase: 'directSafety.planning',
      oversight: 'handoverPending',
      directorId: users.vt.id,
      pendingDirectorId: users.dir.id,
    });
    const events = await listEvents(db, f.id);
    expect(events.at(-1)).toMatchObject({
      seq: 3,
      reason: 'Structurele onveiligheid',
      named: { id: users.dir.id, roles: ['director'] },
      prevHash: events[1]!.hash,
    });

    // v2: the reporter and the household hear the outcome of the assessment.
    f = await send(db, clock, f, users.vt, 'reporter.informed', { channel: 'phone' });
    f = await send(db, clock, f, users.vt, 'household.informed', { channel: 'in-person' });
    clock.advance(DAY);
    f = await send(db, clock, f, users.dir, 'handover.accepted', {}, 'Akkoord');
    expect(f).toMatchObject({ oversight: 'monitoring', directorId: users.dir.id, pendingDirectorId: null });
    // v2: the new director's first contact with the family, then the plan.
    f = await send(db, clock, f, users.dir, 'contact.first', { with: f.snapshot.context.members.map((m) => m.id), warm: true });
    f = await send(db, clock, f, users.dir, 'plan.agreed', planFor(f));
    expect(f.phase).toBe('directSafety.planAgreed');
    clock.advance(14 * DAY);
    f = await send(db, clock, f, users.dir, 'directSafety.achieved', {}, 'Geweld is gestopt');
    expect(f.phase).toBe('stableSafety');
    clock.advance(200 * DAY);
    f = await send(
      db,
      clock,
      f,
      users.dir,
      'stability.confirmed',
      {
        participants: f.snapshot.context.members.map((m) => ({ memberId: m.id })),
        professionals: ['Wijkteam'],
      },
      'Zes maanden zonder incidenten, samen met het gezin beoordeeld',
    );
    expect(f.phase).toBe('recovery');
    f = await send(db, clock, f, users.vt, 'monitoring.ended', {});
    expect(f.oversight).toBe('ended');
    clock.advance(90 * DAY);
    // v2: recovery is completed after a trauma screening of every member.
    for (const m of f.snapshot.context.members)
      f = await send(db, clock, f, users.dir, 'trauma.screened', { memberId: m.id, outcome: 'noSigns', by: 'GGD jeugdarts' });
    f = await send(db, clock, f, users.dir, 'recovery.completed', {}, 'Herstel afgerond');
    expect(f).toMatchObject({ phase: 'closed', oversight: 'ended', version: 15, closedAt: clock.now().toISOString() });
    // A closed case has no deadlines left.
    expect(f.nextDueAt).toBeNull();
    expect(await db.prisma.timer.count({ where: { familyId: f.id, status: 'pending' } })).toBe(0);

    // Replay at an intermediate step rebuilds that moment's state from the events alone.
    const atThree = await replay(db, f.id, 3);
    expect(atThree.seq).toBe(3);
    expect(atThree.snapshot.value).toMatchObject({ oversight: 'handoverPending' });
    expect(await db.prisma.accessLog.count({ where: { familyId: f.id, action: 'write', result: 'ok' } })).toBe(14);
  });

  it('maps machine refusals to 403 and 422 with the guard, the state and an explanation', async () => {
    let f = await createFamily(db, reportInput(), { actor: users.vt, clock });

    const forbidden = await rejection(send(db, clock, f, users.dir, 'assessment.started', {}));
    expect(forbidden).toMatchObject({ code: 'forbidden', status: 403, details: { guard: 'roleMaySend', state: 'reported' } });

    const wrongState = await rejection(send(db, clock, f, users.vt, 'monitoring.ended', {}));
    expect(wrongState).toMatchObject({ code: 'unprocessable', status: 422, details: { state: 'reported' } });
    expect((wrongState.details.explanation as { nl: string; en: string }).nl).toMatch(/\S/);

    f = await send(db, clock, f, users.vt, 'assessment.started', {});
    const completed = (payload: object, reason?: string) => send(db, clock, f, users.vt, 'assessment.completed', payload, reason);
    const base = { decision: 'handover', acute: false, structural: true, conditions: [{ description: 'Rust in huis' }] };

    expect((await rejection(completed(base, 'motivering'))).details.guard).toBe('handoverNamesDirector');
    expect((await rejection(completed({ ...base, directorId: 'nobody' }, 'motivering'))).details.guard).toBe(
      'namedUserResolved',
    );
    expect((await rejection(completed({ ...base, directorId: users.vt2.id }, 'motivering'))).details.guard).toBe(
      'handoverNamesDirector',
    );
    expect((await rejection(completed({ ...base, directorId: users.dir.id, conditions: [] }, 'motivering'))).details.guard).toBe(
      'safetyConditionRequired',
    );
    const noReason = await rejection(completed({ ...base, directorId: users.dir.id }));
    expect(noReason).toMatchObject({ status: 422, details: { guard: 'reasonRequired', state: 'assessment' } });

    // A user may never write a system event, whatever the machine would say.
    const system = await rejection(send(db, clock, f, users.vt, 'measure.expired', { measureId: 'x1' }));
    expect(system).toMatchObject({ status: 403, details: { guard: 'roleMaySend' } });

    // Nothing was written by the refusals, and each was logged as refused or denied.
    expect((await loadFamily(db, f.id))!.version).toBe(2);
    const log = await db.prisma.accessLog.findMany({ where: { familyId: f.id }, orderBy: { id: 'asc' } });
    expect(log.map((l) => l.result)).toEqual(['denied', 'refused', 'ok', 'refused', 'refused', 'refused', 'refused', 'refused', 'denied']);
  });

  it('lists every validation issue of an event at once', async () => {
    let f = await toPlanAgreed(db, clock, users);
    const err = await rejection(
      dispatch(
        db,
        {
          familyId: f.id,
          type: 'plan.revised',
          expectedVersion: f.version,
          actor: users.dir,
          reason: 'x'.repeat(5000),
          payload: {
            agreements: [{ description: '', responsible: 7, coversConditionIds: 'c1' }],
            participants: 'everyone',
          },
        },
        { clock },
      ),
    );
    expect(err.status).toBe(400);
    const paths = (err.details.errors as { path: string; message: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual([
      'payload.agreements.0.coversConditionIds',
      'payload.agreements.0.description',
      'payload.agreements.0.responsible',
      'payload.participants',
      'reason',
    ]);

    const unknownType = await rejection(
      dispatch(db, { familyId: f.id, type: 'case.deleted', expectedVersion: f.version, actor: users.dir, payload: {} }, { clock }),
    );
    expect(unknownType).toMatchObject({ status: 400, details: { errors: [{ path: 'type' }] } });

    const missing = await rejection(
      dispatch(db, { familyId: 'no-such-family', type: 'assessment.started', expectedVersion: 1, actor: users.vt, payload: {} }, { clock }),
    );
    expect(missing.status).toBe(404);
    f = (await loadFamily(db, f.id))!;
    expect(f.version).toBe(5);
  });

  it('answers a stale expectedVersion with 409 and the current version', async () => {
    const f = await createFamily(db, reportInput(), { actor: users.vt, clock });
    await send(db, clock, f, users.vt, 'assessment.started', {});
    const err = await rejection(send(db, clock, f, users.vt, 'escalation.raised', { to: 'MDA++' }, 'Zorgen'));
    expect(err).toMatchObject({ code: 'conflict', status: 409, details: { currentVersion: 2 } });
  });

  it('lets exactly one of 20 racing dispatches on one version win', async () => {
    const f = await createFamily(db, reportInput(), { actor: users.vt, clock });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        dispatch(
          db,
          {
            familyId: f.id,
            type: 'incident.reported',
            expectedVersion: 1,
            actor: users.vt,
            payload: { occurredAt: '2025-03-03T08:00:00.000Z', severity: 'minor', description: `Incident ${i}` },
          },
          { clock },
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) {
      expect(isAppError(r.reason) && r.reason.code).toBe('conflict');
      expect((r.reason as { details: { currentVersion: number } }).details.currentVersion).toBe(2);
    }
    expect((await listEvents(db, f.id)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('lets exactly one writer win when the race spans two connections', async () => {
    const other = await (await import('../../server/db/index.ts')).openDatabase(db.url, {
      migrate: false,
      ...(db.schema ? { schema: db.schema } : {}),
    });
    try {
      let f = await createFamily(db, reportInput(), { actor: users.vt, clock });
      for (let round = 0; round < 3; round++) {
        const version = f.version;
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            dispatch(
              i % 2 === 0 ? db : other,
              {
                familyId: f.id,
                type: 'incident.reported',
                expectedVersion: version,
                actor: users.vt,
                payload: { occurredAt: '2025-03-03T08:00:00.000Z', severity: 'minor', description: `Ronde ${round}, ${i}` },
              },
              { clock },
            ),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code: string }).code);
        expect(reasons).toEqual(Array(9).fill('conflict'));
        f = (await loadFamily(db, f.id))!;
        expect(f.version).toBe(version + 1);
      }
      expect((await listEvents(db, f.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    } finally {
      await other.close();
    }
  });
});

describe.each(backends())('tamper evidence on %s', (provider) => {
  let db: TestDb, clock: ManualClock, users: TestUsers, familyId: string;
  beforeEach(async () => {
    ({ db, clock, users } = await freshStore(provider));
    familyId = (await toPlanAgreed(db, clock, users)).id;
    expect(await verify(db, familyId)).toEqual({ valid: true, events: 5 });
  });
  afterEach(() => db.drop());

  // Raw SQL, as someone with database access would do it, bypassing the engine.
  const q = (name: string) => (provider === 'postgresql' ? `"${name}"` : name);
  const exec = (sql: string, ...params: unknown[]) => db.prisma.$executeRawUnsafe(sql, ...params);
  const p = (i: number) => (provider === 'postgresql' ? `$${i}` : '?');

  it('names the seq of an edited payload', async () => {
    const events = await listEvents(db, familyId);
    const edited = JSON.stringify({ ...(events[2]!.payload as object), structural: false });
    await exec(`UPDATE ${q('Event')} SET ${q('payload')} = ${p(1)} WHERE ${q('familyId')} = ${p(2)} AND ${q('seq')} = 3`, edited, familyId);
    expect(await verify(db, familyId)).toEqual({ valid: false, events: 5, brokenAt: 3 });
  });

  it('names the seq of an edited hash (the next link no longer matches either)', async () => {
    await exec(`UPDATE ${q('Event')} SET ${q('hash')} = ${p(1)} WHERE ${q('familyId')} = ${p(2)} AND ${q('seq')} = 4`, 'f'.repeat(64), familyId);
    expect(await verify(db, familyId)).toEqual({ valid: false, events: 5, brokenAt: 4 });
  });

  it('names the gap a deleted event leaves, also at the end of the history', async () => {
    await exec(`DELETE FROM ${q('Event')} WHERE ${q('familyId')} = ${p(1)} AND ${q('seq')} = 2`, familyId);
    expect(await verify(db, familyId)).toEqual({ valid: false, events: 4, brokenAt: 2 });
    await exec(`DELETE FROM ${q('Event')} WHERE ${q('familyId')} = ${p(1)} AND ${q('seq')} >= 2`, familyId);
    expect(await verify(db, familyId)).toEqual({ valid: false, events: 1, brokenAt: 2 });
  });

  it('catches a rewritten history whose hashes were recomputed, by replaying it', async () => {
    const { hashEvent } = await import('../../server/engine/index.ts');
    const events = await listEvents(db, familyId);
    // Forge seq 5 (plan.agreed) as if it had been sent by someone else, with a valid hash.
    const forged = { ...events[4]!, familyId, actor: { id: 'u-dir2', role: 'director' } };
    const hash = hashEvent(forged.prevHash, forged);
    await exec(
      `UPDATE ${q('Event')} SET ${q('actorId')} = ${p(1)}, ${q('hash')} = ${p(2)} WHERE ${q('familyId')} = ${p(3)} AND ${q('seq')} = 5`,
      'u-dir2',
      hash,
      familyId,
    );
    expect(await verify(db, familyId)).toEqual({ valid: false, events: 5, brokenAt: 5 });
  });

  it('still verifies the untouched history of another family', async () => {
    const other = await toPlanAgreed(db, clock, users, reportInput({ reference: 'VT-2025-1002' }));
    await exec(`UPDATE ${q('Event')} SET ${q('reason')} = ${p(1)} WHERE ${q('familyId')} = ${p(2)} AND ${q('seq')} = 3`, 'Andere reden', familyId);
    expect(await verify(db, familyId)).toEqual({ valid: false, events: 5, brokenAt: 3 });
    expect(await verify(db, other.id)).toEqual({ valid: true, events: 5 });
  });
});
