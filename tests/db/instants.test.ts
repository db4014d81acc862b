import { describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { sqliteDate } from '../../server/db/direct.ts';
import { harnessForBlock, newReport, PASSWORD } from '../http/harness.ts';
import { backends, createTestDb } from '../support/db.ts';

// Issue 11 item 2: instants are compared as instants in storage on both backends. PostgreSQL stores
// every DateTime as a timestamp; SQLite stores text, which orders as instants only while every value
// has the one fixed-width UTC form (`2025-03-03T09:00:00.000+00:00`): a `+01:00` offset or a
// six-digit year (`+010000-…` sorts before `2026-…`, and a timer due then fired at once). Every write
// path goes through the runner's parameter conversion or Prisma's; this suite drives them all
// (registration, events with offsets, timers, KPI facts, sessions, failed sign-ins, the access log)
// and then reads every DateTime column of every table.

const FIXED_WIDTH_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

/** The DateTime columns of the schema, as SQLite declares them: { table: [columns] }. */
async function dateTimeColumns(): Promise<Record<string, string[]>> {
  const t = await createTestDb('sqlite');
  try {
    const tables = await t.direct.all<{ name: string }>(
      `SELECT "name" FROM sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%' AND "name" NOT LIKE '\\_%' ESCAPE '\\'`,
    );
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      const cols = await t.direct.all<{ name: string; type: string }>(`PRAGMA table_info("${name}")`);
      const dates = cols.filter((c) => c.type.toUpperCase() === 'DATETIME').map((c) => c.name);
      if (dates.length > 0) out[name] = dates;
    }
    return out;
  } finally {
    await t.drop();
  }
}

describe.each(backends())('instants are stored to compare as instants (%s)', (provider) => {
  const started = harnessForBlock(provider, ['vt', 'auditor']);

  it('every write path stores every DateTime in the one comparable form', async () => {
    const { h, as } = started();
    // Offsets other than Z in every instant a request may carry.
    const created = await as.vt.post<FamilyView>('/api/v1/families', newReport({ receivedAt: '2025-03-03T08:30:00+01:00' }));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    const send = async (type: string, payload: unknown, reason?: string) => {
      const version = (await as.vt.get<FamilyView>(`/api/v1/families/${id}`)).body.version;
      const r = await as.vt.post<FamilyView>(`/api/v1/families/${id}/events`, { type, expectedVersion: version, payload, ...(reason ? { reason } : {}) });
      expect(r.status, `${type}: ${r.text}`).toBe(200);
    };
    await send('incident.reported', { occurredAt: '2025-03-02T23:30:00-02:00', severity: 'minor', description: 'Ruzie.' });
    await send('measure.imposed', { kind: 'huisverbod', startsAt: '2025-03-03T10:00:00+01:00', endsAt: '2025-03-13T10:00:00+01:00' });
    await send('assessment.started', {});
    await send(
      'assessment.completed',
      { decision: 'conditionsAndFollowUp', acute: false, structural: false, conditions: [{ description: 'Geen geweld.', dueAt: '2025-04-01T00:30:00+02:00' }] },
      'Voorwaarden en toezicht.',
    );
    // The scheduler fires what is due (timers, system events, their KPI facts).
    await as.vt.post('/api/v1/clock', { advanceDays: 20 });
    // Sessions and failed sign-ins (Prisma's writes), reads of the access log.
    expect((await h.anonymous().post('/api/v1/session', { username: 'vt', password: `${PASSWORD}!` })).status).toBe(401);
    expect((await as.auditor.get(`/api/v1/access-log?from=${encodeURIComponent('2025-03-03T10:00:00+01:00')}`)).status).toBe(200);

    const columns = await dateTimeColumns();
    expect(Object.keys(columns)).toEqual(expect.arrayContaining(['Family', 'Event', 'Timer', 'KpiFact', 'AccessLog', 'Session', 'LoginFailure']));
    if (provider === 'postgresql') {
      // Every DateTime is a timestamp: the database itself compares them as instants.
      const rows = await h.db.direct.all<{ table: string; column: string; type: string }>(
        `SELECT table_name::text AS "table", column_name::text AS "column", data_type::text AS "type"
         FROM information_schema.columns WHERE table_schema = current_schema()`,
      );
      for (const [table, cols] of Object.entries(columns))
        for (const column of cols)
          expect(rows.find((r) => r.table === table && r.column === column)?.type, `${table}.${column}`).toBe('timestamp without time zone');
      return;
    }
    let checked = 0;
    for (const [table, cols] of Object.entries(columns)) {
      for (const column of cols) {
        const values = await h.db.prisma.$queryRawUnsafe<{ v: unknown }[]>(
          `SELECT CAST("${column}" AS TEXT) AS "v" FROM "${table}" WHERE "${column}" IS NOT NULL`,
        );
        checked += values.length;
        const odd = values.filter((r) => typeof r.v !== 'string' || !FIXED_WIDTH_UTC.test(r.v));
        expect(odd.slice(0, 3), `${table}.${column}`).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('an instant that would not keep the fixed width is refused before it is written', () => {
    expect(sqliteDate(new Date('2099-12-31T23:59:59.999-01:00'))).toBe('2100-01-01T00:59:59.999+00:00');
    expect(() => sqliteDate(new Date('9999-12-31T23:59:59-01:00'))).toThrow(RangeError);
    expect(() => sqliteDate(new Date(Date.UTC(-1, 0, 1)))).toThrow(RangeError);
  });

  it('an occurredAt or receivedAt after the moment of recording is a 422 with its guard, and writes nothing', async () => {
    const { h, as } = started();
    const families = await h.db.prisma.family.count();
    // The manual clock's now, written with a +01:00 offset, and one millisecond after it.
    const inPlusOne = (ms: number) => new Date(ms + 3_600_000).toISOString().replace('Z', '+01:00');
    const later = inPlusOne(h.clock.now().getTime() + 1);
    const report = await as.vt.post<Problem>('/api/v1/families', newReport({ receivedAt: later }));
    expect(report.status, report.text).toBe(422);
    expect(report.body.guard).toBe('reportNotInFuture');
    expect(await h.db.prisma.family.count()).toBe(families);
    // Exactly now (in another offset) is not after it.
    const now = await as.vt.post<FamilyView>('/api/v1/families', newReport({ receivedAt: inPlusOne(h.clock.now().getTime()) }));
    expect(now.status, now.text).toBe(201);
    const incident = await as.vt.post<Problem>(`/api/v1/families/${now.body.id}/events`, {
      type: 'incident.reported',
      expectedVersion: 1,
      payload: { occurredAt: later, severity: 'minor', description: 'Later.' },
    });
    expect(incident.status, incident.text).toBe(422);
    expect(incident.body.guard).toBe('incidentNotInFuture');
    expect(await h.db.prisma.event.count({ where: { familyId: now.body.id } })).toBe(1);
  });
});
