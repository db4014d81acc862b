import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { FamilyExport } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { inStableSafety, send, useVersionReader } from './flows.ts';
import { harnessForBlock } from './harness.ts';

// GET /families/{id}/export and `npm run verify-export` (API.md "Audit", issue 13): the export is
// checked offline by the npm script, as a separate process with no server and no database.

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run verify-export -- FILE`: its exit code and everything it printed. */
async function verifyExport(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'verify-export', '--', file], {
      cwd: process.cwd(),
      // No database for the verifier: it must not need one.
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe.each(backends())('family export (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'auditor', 'admin']);

  it('exports every hashed field; the offline check passes, and names the seq of one changed byte', async () => {
    const { h, as } = ctx();
    useVersionReader(as.vt);
    const f = await inStableSafety(h, as.vt, as.director, h.users.director.id);
    await send(as.director, f.id, 'incident.reported', { occurredAt: h.clock.now().toISOString(), severity: 'minor', description: 'Ruzie, geen geweld.' });
    const res = await as.auditor.get<FamilyExport>(`/api/v1/families/${f.id}/export`);
    expect(res.status, res.text).toBe(200);
    const doc = res.body;
    expect(doc.format).toBe('veilig-pad-export/1');
    expect(doc.exportedAt).toBe(h.clock.now().toISOString());
    expect(doc.exportedBy).toEqual({ id: h.users.auditor.id, username: 'auditor', displayName: 'Anna Audit' });
    expect(doc.family).toEqual({ id: f.id, reference: f.reference, municipality: f.municipality });
    expect(doc.events.map((e) => e.seq)).toEqual(doc.events.map((_, i) => i + 1));
    // The same rows and hashes as the history.
    const history = await as.auditor.get<{ events: { seq: number; hash: string; prevHash: string }[] }>(`/api/v1/families/${f.id}/history`);
    expect(doc.events.map((e) => [e.seq, e.prevHash, e.hash])).toEqual(history.body.events.map((e) => [e.seq, e.prevHash, e.hash]));
    for (const e of doc.events)
      expect(Object.keys(e).sort()).toEqual(
        ['actor', 'hash', 'machineVersion', 'named', 'occurredAt', 'payload', 'prevHash', 'reason', 'recordedAt', 'seq', 'stateAfter', 'type'],
      );
    expect(doc.people[h.users.director.id]?.displayName).toBe('Rita Regisseur');

    const file = path.join(dir, `${provider}-intact.json`);
    writeFileSync(file, res.text);
    const ok = await verifyExport(file);
    expect(ok.output).toMatch(/Export intact: \d+ gebeurtenissen/);
    expect(ok.code, ok.output).toBe(0);

    // One byte of one event's motivation changed (the assessment decision, seq 3).
    const target = doc.events.find((e) => e.type === 'assessment.completed')!;
    const reason = target.reason!;
    const changed = res.text.replace(JSON.stringify(reason), JSON.stringify(`X${reason.slice(1)}`));
    expect(changed).not.toBe(res.text);
    const tampered = path.join(dir, `${provider}-tampered.json`);
    writeFileSync(tampered, changed);
    const bad = await verifyExport(tampered);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain(`seq ${target.seq}`);

    // A byte of a state (the recorded phase after the last event) is named too.
    const last = doc.events.at(-1)!;
    const edited = { ...doc, events: doc.events.map((e) => (e.seq === last.seq ? { ...e, stateAfter: { ...e.stateAfter, phase: 'closed' } } : e)) };
    const stateFile = path.join(dir, `${provider}-state.json`);
    writeFileSync(stateFile, JSON.stringify(edited));
    const badState = await verifyExport(stateFile);
    expect(badState.code).not.toBe(0);
    expect(badState.output).toContain(`seq ${last.seq}`);
  });

  it('only an auditor exports; others 403, an unknown family 404; every attempt access-logged as export', async () => {
    const { h, as } = ctx();
    useVersionReader(as.vt);
    const f = await inStableSafety(h, as.vt, as.director, h.users.director.id);
    for (const c of [as.vt, as.director, as.admin]) {
      const r = await c.get(`/api/v1/families/${f.id}/export`);
      expect(r.status, r.text).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await as.auditor.get('/api/v1/families/no-such-family/export')).status).toBe(404);
    expect((await h.anonymous().get(`/api/v1/families/${f.id}/export`)).status).toBe(401);
    expect((await as.auditor.get(`/api/v1/families/${f.id}/export`)).status).toBe(200);
    const rows = await h.db.prisma.accessLog.findMany({ where: { action: 'export', familyId: f.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => `${r.username ?? '-'}:${r.result}`)).toEqual(['vt:denied', 'director:denied', 'admin:denied', '-:denied', 'auditor:ok']);
    const missing = await h.db.prisma.accessLog.findMany({ where: { action: 'export', familyId: 'no-such-family' } });
    expect(missing.map((r) => r.result)).toEqual(['not_found']);
  });
});

describe.each(backends())('anonymised learning review (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'auditor']);

  it('keeps the course of the case and leaves no alias, name, reference, id, date or free text', async () => {
    const { h, as } = ctx();
    useVersionReader(as.vt);
    const f = await inStableSafety(h, as.vt, as.director, h.users.director.id);
    await send(as.director, f.id, 'incident.reported', { occurredAt: h.clock.now().toISOString(), severity: 'serious', description: 'Vader sloeg met de deur in Heerlen.' });
    await send(as.director, f.id, 'measure.imposed', { kind: 'huisverbod', startsAt: h.clock.now().toISOString(), endsAt: new Date(h.clock.now().getTime() + 10 * 86_400_000).toISOString() });
    const res = await as.auditor.get<{ format: string; region: string; events: { seq: number; day: number; type: string; actor: { role: string; label?: string }; reason: unknown; payload: Record<string, unknown> }[] }>(
      `/api/v1/families/${f.id}/export?anonymised=true`,
    );
    expect(res.status, res.text).toBe(200);
    const doc = res.body;
    expect(doc.format).toBe('veilig-pad-review/1');
    expect(doc.region).toBe('zuid-limburg');
    expect(doc.events[0]).toMatchObject({ seq: 1, day: 0, type: 'report.received', actor: { role: 'vt', label: 'VT-medewerker 1' } });
    const members = (doc.events[0]!.payload.members as { alias: string }[]).map((m) => m.alias);
    expect(members).toEqual(['Ouder 1', 'Ouder 2', 'Kind 1']);
    const decision = doc.events.find((e) => e.type === 'assessment.completed')!;
    expect(decision.reason).toEqual({ kind: 'text', length: 'Structurele onveiligheid; lokaal team.'.length });
    expect(decision.payload.directorId).toBe('Regisseur 1');

    // Walk the whole document: every string value, and the text as a whole.
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (strings.push(k), walk(x)));
    };
    walk(doc);
    const history = await as.auditor.get<{ events: { reason: string | null; payload: unknown }[] }>(`/api/v1/families/${f.id}/history`);
    // Every free text the history holds (reasons and payload texts with a space), every alias and name.
    const secrets = new Set<string>([f.reference, f.municipality, f.id, 'Moeder', 'Vader', 'Kind A', 'Vera Veilig', 'Rita Regisseur', 'Anna Audit']);
    const collect = (v: unknown, key: string | null): void => {
      if (typeof v === 'string' && (/\s/.test(v) || key === 'alias' || key === 'responsible')) secrets.add(v);
      else if (Array.isArray(v)) v.forEach((x) => collect(x, key));
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => collect(x, k));
    };
    for (const e of history.body.events) {
      if (e.reason) secrets.add(e.reason);
      collect(e.payload, null);
    }
    expect(secrets.size).toBeGreaterThan(15);
    for (const s of strings) {
      for (const secret of secrets) expect(s.includes(secret), `"${s}" contains "${secret}"`).toBe(false);
      expect(s).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(s).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    expect(res.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const id of Object.values(h.users).map((u) => u.id)) expect(res.text).not.toContain(id);

    const logged = await h.db.prisma.accessLog.findMany({ where: { action: 'export', familyId: f.id, userId: h.users.auditor.id } });
    expect(logged.map((r) => r.result)).toEqual(['ok']);
  });
});
