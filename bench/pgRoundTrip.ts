/**
 * The Node CPU of one PostgreSQL round trip through `pg`, as the server makes them (a parameterised
 * query on a pooled connection, unnamed statement): the floor under every statement of a request on
 * PostgreSQL, which the server's CPU outside SQL includes (the database's own work is in its
 * processes). `npx tsx bench/pgRoundTrip.ts [url]`; prints CPU and wall per query, for one
 * statement's shape at a time.
 */
import pg from 'pg';

const url = process.argv[2] ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const pool = new pg.Pool({ connectionString: url, max: 4 });
const N = 3000;

async function measure(name: string, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await run();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await run();
  const wall = (performance.now() - t0) / N;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${name}: ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms CPU, ${wall.toFixed(3)} ms wall per query`);
}

await measure('SELECT $1 (one row, one column)', () => pool.query({ text: 'SELECT $1::text AS "a"', values: ['x'] }));
await measure('SELECT 20 rows × 20 columns', () =>
  pool.query({
    text: `SELECT g AS "id", ${Array.from({ length: 19 }, (_, i) => `'value ${i}' AS "c${i}"`).join(', ')} FROM generate_series(1, 20) g WHERE g > $1`,
    values: [0],
  }),
);
const client = await pool.connect();
await measure('BEGIN; COMMIT (two round trips, one connection)', async () => {
  await client.query('BEGIN');
  await client.query('COMMIT');
});
client.release();
await pool.end();
