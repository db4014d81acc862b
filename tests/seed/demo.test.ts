import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeAccess, planDisagreement, type FamilyContextV2 } from '../../machines/index.ts';
import { DEMO_MEMBER_CODE } from '../../server/auth/demoPasswords.ts';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { memberAccessCodeHash } from '../../server/auth/tokens.ts';
import { ManualClock } from '../../server/clock.ts';
import { loadFamily, replay, verify } from '../../server/engine/index.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { allMunicipalities } from '../../machines/schemas/regions.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';

const NOW = new Date('2026-05-12T10:15:00.000Z');

const everyState = {
  phase: [
    'reported',
    'assessment',
    'investigation',
    'directSafety.planning',
    'directSafety.planAgreed',
    'stableSafety',
    'recovery',
    'closed',
  ],
  oversight: ['vtInvolved', 'handoverPending', 'monitoring', 'ended'],
  escalation: ['none', 'escalated'],
};

describe.each(backends())('demo seed on %s', (provider) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(provider);
  });
  afterEach(() => db.drop());

  it('seeds accounts and families in every state, all produced through the engine', async () => {
    const result = await seedDemo(db, { clock: new ManualClock(NOW), production: false });
    expect(result).toMatchObject({ seeded: true, users: 5 });
    expect(result.families).toBeGreaterThanOrEqual(55);

    const users = await db.prisma.user.findMany({ orderBy: { username: 'asc' } });
    expect(users.map((u) => [u.username, u.roles])).toEqual([
      ['auditor', 'auditor'],
      ['beheerder', 'admin'],
      ['regisseur', 'director'],
      ['regisseur2', 'director'],
      ['vt', 'vt'],
    ]);
    expect(users.find((u) => u.username === 'vt')?.region).toBe('zuid-limburg');
    expect(await verifyPassword(users[0]!.passwordHash, 'demo')).toBe(true);

    const families = await db.prisma.family.findMany();
    expect(families).toHaveLength(result.families);
    expect(await db.prisma.event.count()).toBe(result.events);
    // Both versions in every state of their own: the v1 families (written before the switch), and
    // the v2 ones (new since, or moved by their director), whose investigation waits, then runs.
    const byVersion = (v: number) => families.filter((f) => (JSON.parse(f.snapshot) as { version: number }).version === v);
    for (const key of ['phase', 'oversight', 'escalation'] as const) {
      expect([...new Set(byVersion(1).map((f) => f[key]))].sort()).toEqual([...everyState[key]].sort());
    }
    expect([...new Set(byVersion(2).map((f) => f.phase))].sort()).toEqual(
      [...everyState.phase.filter((p) => p !== 'investigation'), 'investigation.waiting', 'investigation.ongoing'].sort(),
    );
    expect(new Set(byVersion(2).map((f) => f.escalation))).toEqual(new Set(everyState.escalation));
    expect(new Set(families.map((f) => f.municipality))).toEqual(new Set(allMunicipalities));

    // Histories are realistic: signals from the scheduler, measures that expired, a reopened case.
    const types = new Set((await db.prisma.event.findMany({ select: { type: true } })).map((e) => e.type));
    for (const t of ['deadline.missed', 'stagnation.detected', 'measure.expired', 'handover.declined', 'plan.revised', 'monitoring.takenBack', 'escalation.resolved', 'measure.extended']) {
      expect(types).toContain(t);
    }
    // Every familyCase@2 event, and families moved from v1 that went on under v2.
    for (const t of ['triage.recorded', 'contact.interim', 'investigation.started', 'reporter.informed', 'household.informed', 'contact.first', 'conference.held', 'riskFactors.updated', 'trauma.screened', 'case.upgraded',
      // the family's own view (issue 15)
      'member-access.granted', 'member-access.revoked', 'plan.responded', 'member.shielded']) {
      expect(types).toContain(t);
    }
    // The demo's household member: an open code, valid for days yet, of a parent with access; and a disagreement.
    const demoCode = await db.direct.get<{ familyId: string; memberId: string; expiresAt: Date; usedAt: Date | null }>(
      'SELECT "familyId", "memberId", "expiresAt", "usedAt" FROM "MemberAccessCode" WHERE "codeHash" = ?',
      [memberAccessCodeHash(DEMO_MEMBER_CODE)],
    );
    expect(demoCode?.usedAt).toBeNull();
    expect(demoCode!.expiresAt.getTime() - NOW.getTime()).toBeGreaterThan(10 * 86_400_000);
    const demoFamily = (await loadFamily(db, demoCode!.familyId))!;
    expect(activeAccess(demoFamily.snapshot.context as FamilyContextV2, demoCode!.memberId)).not.toBeNull();
    expect(planDisagreement(demoFamily.snapshot.context as FamilyContextV2)).toBe(true);
    const upgrades = await db.prisma.event.findMany({ where: { type: 'case.upgraded' }, select: { familyId: true, seq: true } });
    expect(upgrades.length).toBeGreaterThanOrEqual(3);
    for (const u of upgrades) {
      const after = await db.prisma.event.findMany({ where: { familyId: u.familyId, seq: { gt: u.seq } }, select: { machineVersion: true } });
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((e) => e.machineVersion === 2)).toBe(true);
    }
    expect(families.some((f) => JSON.parse(f.snapshot).context.cycle === 2)).toBe(true);

    for (const f of families) {
      const stored = await loadFamily(db, f.id);
      expect(await verify(db, f.id)).toEqual({ valid: true, events: f.version });
      expect((await replay(db, f.id)).snapshot).toEqual(stored!.snapshot);
      // Nothing happens after the demo's now.
      expect(f.updatedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    // Every timer due by now has fired: the seed ends with the scheduler caught up.
    expect(await db.prisma.timer.count({ where: { status: { in: ['pending', 'claimed'] }, dueAt: { lte: NOW } } })).toBe(0);

    // Seeding is for an empty database only.
    expect(await seedDemo(db, { clock: new ManualClock(NOW), production: false })).toMatchObject({ seeded: false });
    expect(await db.prisma.family.count()).toBe(result.families);
  });

  it('never seeds in production', async () => {
    expect(await seedDemo(db, { clock: new ManualClock(NOW), production: true })).toMatchObject({ seeded: false, reason: 'production' });
    expect(await db.prisma.user.count()).toBe(0);
    expect(await db.prisma.family.count()).toBe(0);
  });
});
