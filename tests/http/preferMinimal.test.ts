import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyReceiptSchema, type FamilyReceipt, type FamilyView, type Problem } from '../../contract/index.ts';
import { prefersMinimal } from '../../server/http/define.ts';
import { backends } from '../support/db.ts';
import { createFamily, current, iso } from './flows.ts';
import { newReport, startHarness, type Client, type Harness } from './harness.ts';

// POST /families and POST /families/{id}/events with `Prefer: return=minimal` (RFC 7240, issue 17): the same write, a
// smaller answer. The full view stays the default; errors stay problems; the history and its access
// log are those of any other write.

describe('prefersMinimal (the Prefer header, RFC 7240)', () => {
  it.each([
    ['return=minimal', true],
    ['RETURN=MINIMAL', true],
    ['return="minimal"', true],
    ['return = minimal', true],
    ['respond-async, return=minimal', true],
    ['return=minimal; foo=bar, wait=10', true],
    ['return=representation', false],
    ['return=representation, return=minimal', false],
    ['return=minimalist', false],
    ['foo=return=minimal', false],
    ['minimal', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(prefersMinimal(header)).toBe(expected);
  });
});

describe.each(backends())('Prefer: return=minimal on an event (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let auditor: Client;

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, auditor] = await Promise.all([h.login('vt'), h.login('auditor')]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const incident = () => ({ occurredAt: iso(h, -1), severity: 'minor', description: 'Ruzie, geen letsel.' });
  const sendAs = (client: Client, id: string, expectedVersion: number, prefer?: string) =>
    client.post<FamilyReceipt & FamilyView & Problem>(
      `/api/v1/families/${id}/events`,
      { type: 'incident.reported', expectedVersion, payload: incident() },
      prefer ? { headers: { Prefer: prefer } } : {},
    );

  it('answers with the new version and state only, and records the event as any write', async () => {
    const f = await createFamily(vt);
    const logged = () => h.db.prisma.accessLog.count({ where: { familyId: f.id, action: 'write', result: 'ok' } });
    const writesBefore = await logged();

    const res = await sendAs(vt, f.id, f.version, 'return=minimal');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('return=minimal');
    expect(res.headers.get('vary') ?? '').toMatch(/\bPrefer\b/);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'machineVersion', 'state', 'updatedAt', 'version']);
    expect(familyReceiptSchema.parse(res.body)).toEqual(res.body);

    // The receipt says what the view says.
    const view = await current(vt, f.id);
    expect(res.body).toEqual({
      id: view.id,
      version: f.version + 1,
      machineVersion: view.machineVersion,
      state: view.state,
      updatedAt: view.updatedAt,
    });
    expect(view.version).toBe(f.version + 1);
    expect(view.incidents).toHaveLength(f.incidents.length + 1);
    // The write's access-log row, as for a full answer.
    expect(await logged()).toBe(writesBefore + 1);

    // Its version is the next write's expectedVersion; the chain stays whole.
    const next = await sendAs(vt, f.id, res.body.version, 'return=minimal');
    expect(next.status, next.text).toBe(200);
    expect(next.body.version).toBe(f.version + 2);
    const verify = await auditor.get<{ valid: boolean; events: number }>(`/api/v1/families/${f.id}/verify`);
    expect(verify.body).toMatchObject({ valid: true, events: f.version + 2 });
  });

  it('gives the full view without the preference, or with return=representation', async () => {
    const f = await createFamily(vt);
    const plain = await sendAs(vt, f.id, f.version);
    expect(plain.status, plain.text).toBe(200);
    expect(plain.headers.get('preference-applied')).toBeNull();
    expect(plain.headers.get('vary') ?? '').toMatch(/\bPrefer\b/);
    expect(plain.body.allowedEvents.length).toBeGreaterThan(0);
    expect(plain.body.incidents).toHaveLength(f.incidents.length + 1);

    const full = await sendAs(vt, f.id, plain.body.version, 'return=representation');
    expect(full.status, full.text).toBe(200);
    expect(full.headers.get('preference-applied')).toBeNull();
    expect(full.body.version).toBe(f.version + 2);
    expect(full.body.members.length).toBe(f.members.length);
  });

  it('refuses as without it: a stale version is a 409 problem and writes nothing', async () => {
    const f = await createFamily(vt);
    const stale = await sendAs(vt, f.id, f.version - 1, 'return=minimal');
    expect(stale.status, stale.text).toBe(409);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(stale.headers.get('preference-applied')).toBeNull();
    expect(stale.body.currentVersion).toBe(f.version);

    const invalid = await vt.post<Problem>(
      `/api/v1/families/${f.id}/events`,
      { type: 'incident.reported', expectedVersion: f.version, payload: { severity: 'enorm' } },
      { headers: { Prefer: 'return=minimal' } },
    );
    expect(invalid.status, invalid.text).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await current(vt, f.id)).version).toBe(f.version);
  });

  it('registers a report with the receipt as its answer, and refuses a duplicate as without it', async () => {
    const report = newReport();
    const created = await vt.post<FamilyReceipt>('/api/v1/families', report, { headers: { Prefer: 'return=minimal' } });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('preference-applied')).toBe('return=minimal');
    expect(created.headers.get('vary') ?? '').toMatch(/\bPrefer\b/);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'machineVersion', 'state', 'updatedAt', 'version']);
    expect(created.headers.get('location')).toBe(`/api/v1/families/${created.body.id}`);
    const view = await current(vt, created.body.id);
    expect(created.body).toEqual({
      id: view.id,
      version: view.version,
      machineVersion: view.machineVersion,
      state: view.state,
      updatedAt: view.updatedAt,
    });
    expect(view.version).toBe(1);
    expect(await h.db.prisma.accessLog.count({ where: { familyId: view.id, action: 'create', result: 'ok' } })).toBe(1);

    const again = await vt.post<Problem>('/api/v1/families', report, { headers: { Prefer: 'return=minimal' } });
    expect(again.status, again.text).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.headers.get('preference-applied')).toBeNull();
  });

  it('is refused to a reader who may not write, as without it', async () => {
    const f = await createFamily(vt);
    const res = await sendAs(auditor, f.id, f.version, 'return=minimal');
    expect([403, 404]).toContain(res.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await current(vt, f.id)).version).toBe(f.version);
  });
});
