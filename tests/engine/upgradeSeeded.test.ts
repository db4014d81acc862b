import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../machines/index.ts';
import { ManualClock } from '../../server/clock.ts';
import { dispatch, loadFamily, replay, verify } from '../../server/engine/index.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { projectionProblems } from '../support/invariants.ts';
import { auditOf } from './helpers.ts';

// Issue 14, "Upgrade": every family of the demo region that runs on familyCase@1 is moved to v2 by
// the functional administrator with `case.upgraded`; afterwards each verifies, replays (v1 events
// under v1, the rest under v2) to exactly its stored snapshot, and its projection (list columns, KPI
// facts) equals a fresh fold of its history. Closed families move too (a repeat report may reopen them).

const NOW = new Date('2026-05-12T10:15:00.000Z');
const REASON = 'De regio werkt vanaf nu met versie 2 van het gefaseerd samenwerken.';

describe.each(backends())('upgrading the demo region to familyCase@2 (%s)', (provider) => {
  let db: TestDb;
  const clock = new ManualClock(NOW);
  beforeAll(async () => {
    db = await createTestDb(provider);
    expect(await seedDemo(db, { clock, production: false })).toMatchObject({ seeded: true });
  });
  afterAll(() => db?.drop());

  it('moves every v1 family, closed ones included; each verifies, replays and projects as a fresh fold', async () => {
    const admin = await db.prisma.user.findFirstOrThrow({ where: { username: 'beheerder' } });
    const actor: Actor = { id: admin.id, role: 'admin' };
    const ids = (
      await db.prisma.family.findMany({ select: { id: true }, orderBy: { reference: 'asc' } })
    ).map((f) => f.id);
    const counts = { upgraded: 0, closed: 0, alreadyV2: 0 };
    for (const id of ids) {
      const before = (await loadFamily(db, id))!;
      if (before.snapshot.version >= 2) {
        counts.alreadyV2++;
        continue;
      }
      const after = await dispatch(
        db,
        {
          familyId: id,
          type: 'case.upgraded',
          payload: { toVersion: 2 },
          reason: REASON,
          expectedVersion: before.version,
          actor,
        },
        { clock, audit: auditOf(actor, 'beheerder') },
      );
      expect(after.snapshot.version, before.reference).toBe(2);
      expect(after.version).toBe(before.version + 1);
      // The phase and the oversight are kept; only the version and the context's shape change.
      expect(after.phase.split('.')[0]).toBe(before.phase.split('.')[0]);
      expect(after.oversight).toBe(before.oversight);
      counts.upgraded++;
      if (before.phase === 'closed') counts.closed++;
    }
    console.log(`demo region upgraded (${provider}): ${JSON.stringify(counts)} of ${ids.length} families`);
    expect(counts.upgraded).toBeGreaterThan(40);
    expect(counts.closed).toBeGreaterThan(0);

    for (const id of ids) {
      const stored = (await loadFamily(db, id))!;
      expect(await verify(db, id)).toEqual({ valid: true, events: stored.version });
      const replayed = await replay(db, id);
      expect(replayed.seq).toBe(stored.version);
      expect(replayed.snapshot).toEqual(stored.snapshot);
    }
    expect(await projectionProblems(db)).toEqual([]);
  }, 240_000);
});
