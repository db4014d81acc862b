import { sampleReport } from '../../simulation/reports.ts';
import { expect } from 'vitest';
import type { Actor } from '../../machines/index.ts';
import { ManualClock, type Clock } from '../../server/clock.ts';
import type { Db } from '../../server/db/index.ts';
import { createTestDb, type Provider, type TestDb } from '../support/db.ts';
import {
  createFamily,
  dispatch,
  loadFamily,
  replay,
  verify,
  type AuditCtx,
  type CreateFamilyInput,
  type FamilyRecord,
} from '../../server/engine/index.ts';

export type TestUsers = { vt: Actor; vt2: Actor; dir: Actor; dir2: Actor };

/** Users are plain rows here (no password hashing): the engine only reads ids and roles. */
export async function makeUsers(db: Db): Promise<TestUsers> {
  const rows = [
    { id: 'u-vt', username: 'vt', roles: 'vt', region: 'zuid-limburg' },
    { id: 'u-vt2', username: 'vt2', roles: 'vt', region: 'zuid-limburg' },
    { id: 'u-dir', username: 'regisseur', roles: 'director', region: null },
    { id: 'u-dir2', username: 'regisseur2', roles: 'director', region: null },
  ];
  for (const r of rows) {
    await db.prisma.user.create({ data: { ...r, displayName: r.username, passwordHash: 'not-a-hash' } });
  }
  return {
    vt: { id: 'u-vt', role: 'vt' },
    vt2: { id: 'u-vt2', role: 'vt' },
    dir: { id: 'u-dir', role: 'director' },
    dir2: { id: 'u-dir2', role: 'director' },
  };
}

/** A fresh database with the test users, and a manual clock at `at` (a Monday morning by default). */
export async function freshStore(
  provider: Provider,
  at = new Date('2025-03-03T09:00:00.000Z'),
): Promise<{ db: TestDb; clock: ManualClock; users: TestUsers }> {
  const db = await createTestDb(provider);
  return { db, clock: new ManualClock(at), users: await makeUsers(db) };
}

export function auditOf(actor: Actor, username = actor.id): AuditCtx {
  return { userId: actor.id, username, role: actor.role as AuditCtx['role'], ip: '127.0.0.1' };
}

let references = 0;

/** A valid report; each gets its own reference (references are unique per region). */
export function reportInput(overrides: Partial<CreateFamilyInput> = {}): CreateFamilyInput {
  return sampleReport(`VT-2025-${String(++references).padStart(4, '0')}`, overrides);
}

/** VT's decision to hand the case over to `directorId`, with one safety condition. */
export function handoverTo(directorId: string) {
  return {
    decision: 'handover',
    acute: false,
    structural: true,
    directorId,
    conditions: [{ description: 'Geen geweld in het bijzijn van de kinderen' }],
  };
}

/** Sends one event on the family's current version. */
export async function send(
  db: Db,
  clock: Clock,
  family: FamilyRecord,
  actor: Actor,
  type: string,
  payload: unknown,
  reason?: string,
): Promise<FamilyRecord> {
  return dispatch(
    db,
    { familyId: family.id, type, payload, expectedVersion: family.version, actor, ...(reason ? { reason } : {}) },
    { clock, audit: auditOf(actor) },
  );
}

export function planFor(f: FamilyRecord) {
  const ctx = f.snapshot.context;
  return {
    agreements: [
      {
        description: 'Geen ruzie waar de kinderen bij zijn',
        responsible: 'Ouder A',
        coversConditionIds: ctx.conditions.filter((c) => c.status === 'open').map((c) => c.id),
      },
    ],
    participants: [
      ...ctx.members.filter((m) => m.kind === 'adult').map((m) => ({ memberId: m.id })),
      { professional: 'Wijkteam' },
    ],
    childPerspectives: ctx.members
      .filter((m) => m.kind === 'child')
      .map((m) => ({ memberId: m.id, perspective: 'Wil dat het thuis rustig is' })),
  };
}

/** Report → assessment → handover to `director` (accepted) → plan agreed. */
export async function toPlanAgreed(db: Db, clock: Clock, users: TestUsers, input = reportInput()): Promise<FamilyRecord> {
  let f = await createFamily(db, input, { actor: users.vt, clock, audit: auditOf(users.vt) });
  f = await send(db, clock, f, users.vt, 'assessment.started', {});
  f = await send(
    db,
    clock,
    f,
    users.vt,
    'assessment.completed',
    handoverTo(users.dir.id),
    'Structurele onveiligheid; lokaal team neemt over',
  );
  f = await send(db, clock, f, users.dir, 'handover.accepted', {}, 'Akkoord, ik neem de regie');
  return send(db, clock, f, users.dir, 'plan.agreed', planFor(f));
}

/** The invariant behind every scenario: the stored snapshot is what the history replays to, and the chain holds. */
export async function expectConsistent(db: Db): Promise<void> {
  const ids = (await db.prisma.family.findMany({ select: { id: true } })).map((f) => f.id);
  for (const id of ids) {
    const stored = await loadFamily(db, id);
    const replayed = await replay(db, id);
    expect(replayed.seq).toBe(stored!.version);
    expect(replayed.snapshot).toEqual(stored!.snapshot);
    expect(await verify(db, id)).toEqual({ valid: true, events: stored!.version });
  }
}

export async function rejection(p: Promise<unknown>): Promise<{ code: string; status: number; details: Record<string, unknown>; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; status: number; details: Record<string, unknown>; message: string };
    return { code: err.code, status: err.status, details: err.details, message: err.message };
  }
  throw new Error('expected a rejection');
}
