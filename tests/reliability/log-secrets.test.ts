import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { backends } from '../support/db.ts';
import { errorLines, findLeaks, marker, parseLogLines } from '../support/logs.ts';
import { newReport, startHarness, type Client, type Harness } from '../http/harness.ts';

// Nothing secret and nothing personal reaches the log, whatever the request does: sign-ins (right and
// wrong passwords), writes full of personal data, requests the server refuses (400, 403, 413, 415),
// and a database that fails halfway through a write (the 500 path logs the error). Distinctive
// markers are planted in every such field and the captured pino output is searched for them.
// The soak and crash suites run the same scan over the real process's stdout/stderr.

describe.each(backends())('no secrets or personal data in the logs (%s)', (provider) => {
  let h: Harness;
  const m = {
    password: `${marker('password')}-Pw1!`,
    wrongPassword: `${marker('wrongpw')}-Pw2!`,
    alias: marker('alias'),
    summary: marker('summary'),
    description: marker('description'),
    reason: marker('reason'),
    violence: marker('violence'),
  };
  const secrets: string[] = [];

  beforeAll(async () => {
    h = await startHarness(provider);
    await createUser(h.db, {
      username: 'geheim',
      password: m.password,
      roles: ['vt'],
      region: 'zuid-limburg',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const report = () =>
    newReport({
      summary: `${m.summary} samenvatting`,
      violenceForms: [m.violence],
      members: [
        { alias: `${m.alias} ouder`, kind: 'adult', birthYear: 1980 },
        { alias: `${m.alias} kind`, kind: 'child', birthYear: 2015 },
      ],
    });

  it('keeps passwords, tokens, cookies and case data out of every log line', async () => {
    const wrong = await h
      .anonymous()
      .post('/api/v1/session', { username: 'geheim', password: m.wrongPassword });
    expect(wrong.status).toBe(401);
    const vt = await h.login('geheim', m.password);
    const cookieClient = await h.login('geheim', m.password);
    cookieClient.mode = 'cookie';
    secrets.push(
      vt.token!,
      vt.csrfToken!,
      cookieClient.token!,
      cookieClient.csrfToken!,
      cookieClient.cookie!,
    );

    const created = await vt.post<FamilyView>('/api/v1/families', report());
    expect(created.status).toBe(201);
    const id = created.body.id;
    const ok = await cookieClient.post(`/api/v1/families/${id}/events`, {
      type: 'report.received',
      expectedVersion: 1,
      payload: { source: 'citizen', acute: false, summary: `${m.summary} tweede` },
      reason: `${m.reason} reden`,
    });
    expect(ok.status, ok.text).toBe(200);
    // Refusals of every kind, each carrying the markers.
    const refusals: [string, Promise<{ status: number }>][] = [
      ['validation', vt.post('/api/v1/families', { ...report(), municipality: `${m.alias} stad` })],
      [
        'malformed',
        vt.post('/api/v1/families', undefined, {
          raw: `{"summary": "${m.summary}", `,
          headers: { 'Content-Type': 'application/json' },
        }),
      ],
      [
        'media type',
        vt.post('/api/v1/families', undefined, {
          raw: `summary=${m.summary}`,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      ],
      [
        'too large',
        vt.post('/api/v1/families', { ...report(), summary: `${m.summary} ${'x'.repeat(70_000)}` }),
      ],
      [
        'conflict',
        vt.post(`/api/v1/families/${id}/events`, {
          type: 'incident.reported',
          expectedVersion: 1,
          payload: { occurredAt: h.clock.now().toISOString(), severity: 'minor', description: m.description },
        }),
      ],
      [
        'guard',
        vt.post(`/api/v1/families/${id}/events`, {
          type: 'plan.agreed',
          expectedVersion: 2,
          payload: {
            agreements: [{ description: m.description, responsible: m.alias, coversConditionIds: [] }],
            participants: [],
          },
        }),
      ],
      [
        'csrf',
        cookieClient.post('/api/v1/families', report(), { headers: { 'X-CSRF-Token': `${m.description}` } }),
      ],
      ['query', vt.get(`/api/v1/families?q=${m.alias}&phase=${m.summary}.x-y`)],
    ];
    for (const [what, p] of refusals) expect((await p).status, what).toBeGreaterThanOrEqual(400);
    // A search for a member's alias: query strings are never logged.
    expect((await vt.get(`/api/v1/families?q=${m.alias}`)).status).toBe(200);
    expect((await cookieClient.delete('/api/v1/session')).status).toBe(204);

    // The scanner itself finds a planted value in each spelling it knows.
    for (const spelled of [
      m.alias,
      JSON.stringify(`${m.password}"`),
      encodeURIComponent(m.password),
      Buffer.from(m.summary).toString('base64'),
    ]) {
      expect(
        findLeaks([`{"msg":"x","v":${JSON.stringify(spelled)}}`], [m.alias, m.password, m.summary]),
      ).not.toEqual([]);
    }
    const leaks = findLeaks(h.logs, [...Object.values(m), ...secrets]);
    expect(leaks).toEqual([]);
    // The log is not silent: every request left its line (so the scan above scanned something).
    const requests = parseLogLines(h.logs).filter((l) => l.entry?.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(12);
  });

  it('logs a failing database write as an error with an id, without the data that was being written', async () => {
    const vt: Client = await h.login('geheim', m.password);
    secrets.push(vt.token!);
    const created = await vt.post<FamilyView>('/api/v1/families', report());
    const id = created.body.id;
    const before = h.logs.length;
    // The database fails under the server's feet: the table the write needs is gone.
    await h.db.prisma.$executeRawUnsafe('ALTER TABLE "Event" RENAME TO "Event_away"');
    try {
      const failed = await vt.post<{ errorId: string }>(`/api/v1/families/${id}/events`, {
        type: 'report.received',
        expectedVersion: 1,
        payload: { source: 'citizen', acute: false, summary: `${m.summary} derde` },
        reason: `${m.reason} nogmaals`,
      });
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const lines = h.logs.slice(before);
      const errors = errorLines(lines);
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors.join('\n')).toContain(failed.body.errorId);
      expect(findLeaks(lines, [...Object.values(m), ...secrets])).toEqual([]);
    } finally {
      await h.db.prisma.$executeRawUnsafe('ALTER TABLE "Event_away" RENAME TO "Event"');
    }
  });
});
