import { afterEach, describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { harnessForBlock, newReport, type Client, type Harness, type Reply } from '../http/harness.ts';
import { storedFamily } from '../support/stored.ts';

// Issue 11 item 14: SQLite's disk fills up under a running server. Simulated with PRAGMA
// max_page_count on the server's own connection (the setting is per connection): every write that
// needs a new page then fails with SQLITE_FULL. Expected: 503 problem+json (try again later), nothing
// partial (the family's version, events, timers and KPI facts as before), the process lives, and once
// there is room again the same request succeeds. SQLite only: PostgreSQL's disk is the server's.

describe('SQLite disk full (sqlite)', () => {
  const started = harnessForBlock('sqlite', ['vt']);

  const pragma = async (h: Harness, sql: string) => Object.values((await h.db.direct.all<Record<string, number>>(sql))[0] ?? {})[0];
  /** Lets the file grow by no page beyond what it holds now. */
  const fill = async (h: Harness) => pragma(h, `PRAGMA max_page_count = ${await pragma(h, 'PRAGMA page_count')}`);
  const makeRoom = (h: Harness) => pragma(h, 'PRAGMA max_page_count = 1073741823');
  afterEach(async () => {
    await makeRoom(started().h);
  });

  const repeatReport = (version: number, i: number) => ({
    type: 'report.received',
    expectedVersion: version,
    payload: { source: 'citizen', acute: false, summary: `Melding ${i}: ${'buren horen geschreeuw. '.repeat(150)}` },
    reason: 'Nieuwe melding. '.repeat(240),
  });

  function expect503(r: Reply<Problem>) {
    expect(r.status, r.text).toBe(503);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect(r.body.type).toBe('urn:veilig-pad:problem:unavailable');
  }

  /** Sends large events until one fails for want of room; returns it with the state before it. */
  async function untilFull(h: Harness, vt: Client, familyId: string) {
    for (let i = 0; i < 200; i++) {
      const before = await storedFamily(h.db, familyId);
      const r = await vt.post<Problem>(`/api/v1/families/${familyId}/events`, repeatReport(before.family.version, i));
      if (r.status !== 200) return { r, before, i };
    }
    throw new Error('the database never filled up');
  }

  it('an event on a full disk: 503, nothing partial, the server lives, and the same event succeeds once there is room', async () => {
    const { h, as } = started();
    const f = await as.vt.post<FamilyView>('/api/v1/families', newReport());
    await fill(h);
    const { r, before, i } = await untilFull(h, as.vt, f.body.id);
    expect503(r);
    expect(await storedFamily(h.db, f.body.id)).toEqual(before);
    // The process lives and still reads.
    expect((await as.vt.get(`/api/v1/families/${f.body.id}`)).status).toBe(200);
    expect((await h.anonymous().get('/api/v1/health')).status).toBe(200);
    // Registrations on the full disk, until one finds no room: 503 and no family of its reference.
    let refused: Reply<Problem> | undefined;
    for (let n = 0; n < 200 && !refused; n++) {
      const reference = `VT-FULL-${n}`;
      const r = await as.vt.post<Problem>('/api/v1/families', newReport({ reference, summary: 'Melding. '.repeat(440) }));
      if (r.status !== 201) {
        refused = r;
        expect(await h.db.prisma.family.count({ where: { reference } })).toBe(0);
      }
    }
    expect503(refused!);
    await makeRoom(h);
    const retried = await as.vt.post<FamilyView>(`/api/v1/families/${f.body.id}/events`, repeatReport(before.family.version, i));
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.version).toBe(before.family.version + 1);
    expect(await pragma(h, 'PRAGMA integrity_check')).toBe('ok');
  });

  it('writes sent together on a full disk (one group commit): each 503, none partial', async () => {
    const { h, as } = started();
    const ids = (await Promise.all([1, 2, 3, 4].map(() => as.vt.post<FamilyView>('/api/v1/families', newReport())))).map((r) => r.body.id);
    await fill(h);
    // Fill the last free pages with one family, then write to all four at once.
    await untilFull(h, as.vt, ids[0]!);
    const before = await Promise.all(ids.map((id) => storedFamily(h.db, id)));
    const replies = await Promise.all(
      ids.map((id, i) => as.vt.post<Problem>(`/api/v1/families/${id}/events`, repeatReport(before[i]!.family.version, 1000 + i))),
    );
    // A write may still fit in a page freed by a rolled-back neighbour; none may be half done.
    for (const [i, r] of replies.entries()) {
      if (r.status === 200) expect((await storedFamily(h.db, ids[i]!)).family.version).toBe(before[i]!.family.version + 1);
      else {
        expect503(r);
        expect(await storedFamily(h.db, ids[i]!)).toEqual(before[i]);
      }
    }
    expect(replies.some((r) => r.status === 503)).toBe(true);
    await makeRoom(h);
    expect(await pragma(h, 'PRAGMA integrity_check')).toBe('ok');
  });
});
