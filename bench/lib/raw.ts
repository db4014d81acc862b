import Database from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_PRAGMAS } from '../../server/db/client.ts';

// The limits the HTTP figures are compared with: the same Event rows the server wrote in the same
// run, inserted one row per transaction with the same durability, by the driver directly (no HTTP,
// no engine, no Prisma). Each writer appends to its own family with its own seq, as the engine does
// (each raw family gets its own id and reference: references are unique per region).

export type Row = Record<string, unknown>;
export type Template = { family: Row; events: Row[] };
export type RawResult = { concurrency: number; inserts: number; ms: number; perSec: number; latenciesMs: number[] };

/** Rows as stored: SQLite text for DateTime, integers for booleans; `id` left to autoincrement. */
export function readTemplateSqlite(file: string, limit = 1000): Template {
  const db = new Database(file, { readonly: true });
  try {
    const events = db.prepare(`SELECT * FROM "Event" WHERE seq > 1 ORDER BY id LIMIT ?`).all(limit) as Row[];
    if (events.length === 0) throw new Error('no events to copy');
    const family = db.prepare(`SELECT * FROM "Family" WHERE id = ?`).get(events[0]!.familyId) as Row;
    for (const e of events) delete e.id;
    return { family, events };
  } finally {
    db.close();
  }
}

export async function readTemplatePg(connectionString: string, schema: string, limit = 1000): Promise<Template> {
  const c = new pg.Client({ connectionString, options: `-c search_path=${schema} -c TimeZone=UTC` });
  await c.connect();
  try {
    const events = (await c.query<Row>(`SELECT * FROM "Event" WHERE seq > 1 ORDER BY id LIMIT $1`, [limit])).rows;
    if (events.length === 0) throw new Error('no events to copy');
    const family = (await c.query<Row>(`SELECT * FROM "Family" WHERE id = $1`, [events[0]!.familyId])).rows[0]!;
    for (const e of events) delete e.id;
    return { family, events };
  } finally {
    await c.end();
  }
}

function columnsOf(row: Row): string[] {
  return Object.keys(row);
}

/** better-sqlite3, WAL + synchronous=FULL (the server's pragmas), autocommit: one row, one transaction, one fsync. */
export function rawSqliteInsert(file: string, template: Template, durationMs: number): RawResult {
  const db = new Database(file);
  try {
    for (const [k, v] of Object.entries(SQLITE_PRAGMAS)) db.pragma(`${k} = ${v}`);
    const famId = `raw-${process.pid}-${Date.now()}`;
    const fcols = columnsOf(template.family);
    db.prepare(`INSERT INTO "Family" (${fcols.map((c) => `"${c}"`).join(',')}) VALUES (${fcols.map(() => '?').join(',')})`).run(
      ...fcols.map((c) => (c === 'id' || c === 'reference' ? famId : template.family[c])) as never[],
    );
    const ecols = columnsOf(template.events[0]!);
    const insert = db.prepare(`INSERT INTO "Event" (${ecols.map((c) => `"${c}"`).join(',')}) VALUES (${ecols.map(() => '?').join(',')})`);
    const latencies: number[] = [];
    let seq = 1;
    const start = performance.now();
    const stopAt = start + durationMs;
    while (performance.now() < stopAt) {
      const row = template.events[seq % template.events.length]!;
      seq++;
      const t0 = performance.now();
      insert.run(...(ecols.map((c) => (c === 'familyId' ? famId : c === 'seq' ? seq : row[c])) as never[]));
      latencies.push(performance.now() - t0);
    }
    const ms = performance.now() - start;
    return { concurrency: 1, inserts: latencies.length, ms, perSec: (latencies.length / ms) * 1000, latenciesMs: latencies };
  } finally {
    db.close();
  }
}

/** node-postgres, default synchronous_commit (on): each INSERT is its own transaction; N clients in parallel. */
export async function rawPgInsert(connectionString: string, schema: string, template: Template, concurrency: number, durationMs: number): Promise<RawResult> {
  const ecols = columnsOf(template.events[0]!);
  const fcols = columnsOf(template.family);
  const sql = `INSERT INTO "Event" (${ecols.map((c) => `"${c}"`).join(',')}) VALUES (${ecols.map((_, i) => `$${i + 1}`).join(',')})`;
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const c = new pg.Client({ connectionString, options: `-c search_path=${schema} -c TimeZone=UTC` });
      await c.connect();
      return c;
    }),
  );
  try {
    const famIds = clients.map((_, i) => `raw-${process.pid}-${Date.now()}-${concurrency}-${i}`);
    for (const id of famIds) {
      await clients[0]!.query(
        `INSERT INTO "Family" (${fcols.map((c) => `"${c}"`).join(',')}) VALUES (${fcols.map((_, i) => `$${i + 1}`).join(',')})`,
        fcols.map((c) => (c === 'id' || c === 'reference' ? id : template.family[c])),
      );
    }
    const latencies: number[] = [];
    const start = performance.now();
    const stopAt = start + durationMs;
    await Promise.all(
      clients.map(async (c, i) => {
        let seq = 1;
        while (performance.now() < stopAt) {
          const row = template.events[seq % template.events.length]!;
          seq++;
          const t0 = performance.now();
          await c.query(sql, ecols.map((col) => (col === 'familyId' ? famIds[i] : col === 'seq' ? seq : row[col])));
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const ms = performance.now() - start;
    return { concurrency, inserts: latencies.length, ms, perSec: (latencies.length / ms) * 1000, latenciesMs: latencies };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
