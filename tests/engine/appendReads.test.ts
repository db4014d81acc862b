import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../server/clock.ts';
import { appendReads } from '../../server/db/append.ts';
import { insertRows } from '../../server/db/index.ts';
import { createFamily } from '../../server/engine/index.ts';
import { backends, type TestDb } from '../support/db.ts';
import { freshStore, reportInput, type TestUsers } from './helpers.ts';

// What an append reads before it plans its timers (server/db/append.ts): the family's live timers
// (pending, claimed) and the wanted ones whatever their status (a fired one is left alone, a
// cancelled one re-armed; either, not read, would be inserted again under its id), each once, no
// other family's, and the names of the users the answer mentions.

describe.each(backends())('the reads of an append on %s', (provider) => {
  let db: TestDb;
  let clock: ManualClock;
  let users: TestUsers;
  beforeEach(async () => {
    ({ db, clock, users } = await freshStore(provider));
  });
  afterEach(() => db.drop());

  it('finds live timers and wanted ones in any status, each once, of this family only', async () => {
    const mine = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: 1 });
    const other = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: 1 });
    await db.prisma.timer.deleteMany({});
    const timer = (id: string, familyId: string, status: string) => ({
      id,
      familyId,
      kind: 'test',
      ref: id,
      dueAt: clock.now(),
      status,
      event: '{}',
    });
    await insertRows(db.direct, 'Timer', [
      timer('pending', mine.id, 'pending'),
      timer('claimed', mine.id, 'claimed'),
      timer('fired-wanted', mine.id, 'fired'),
      timer('cancelled-wanted', mine.id, 'cancelled'),
      timer('fired-old', mine.id, 'fired'),
      timer('cancelled-old', mine.id, 'cancelled'),
      timer('other-pending', other.id, 'pending'),
      timer('other-fired', other.id, 'fired'),
    ]);
    const sorted = (ts: { id: string; status: string }[]) => [...ts].sort((a, b) => a.id.localeCompare(b.id));

    const wanted = ['pending', 'fired-wanted', 'cancelled-wanted', 'other-fired', 'never-armed'];
    const read = await appendReads(db.direct, mine.id, wanted, [users.dir.id, null, users.dir.id, 'nobody']);
    expect(sorted(read.timers)).toEqual([
      { id: 'cancelled-wanted', status: 'cancelled' },
      { id: 'claimed', status: 'claimed' },
      { id: 'fired-wanted', status: 'fired' },
      { id: 'pending', status: 'pending' },
    ]);
    expect([...read.refs.keys()]).toEqual([users.dir.id]);

    // Nothing wanted: the live ones alone; no users: no names.
    const live = await appendReads(db.direct, mine.id, [], []);
    expect(sorted(live.timers)).toEqual([
      { id: 'claimed', status: 'claimed' },
      { id: 'pending', status: 'pending' },
    ]);
    expect(live.refs.size).toBe(0);
  });
});
