import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SQL_KINDS, sqlTotals } from './db/sqlTime.ts';

// One registry per process: prom-client refuses a second metric of the same name, and tests start
// many apps in one process.
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'veiligpad_' });

export const httpRequests = new Counter({
  name: 'veiligpad_http_requests_total',
  help: 'HTTP requests by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpDuration = new Histogram({
  name: 'veiligpad_http_request_duration_seconds',
  help: 'HTTP request duration by method and route template.',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const loginFailures = new Counter({
  name: 'veiligpad_login_failures_total',
  help: 'Failed or throttled sign-ins.',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

// Time in SQL on the direct runner (server/db/sqlTime.ts), read from its tally at each scrape.
function sqlTallyCounter(name: string, help: string, field: 'count' | 'seconds') {
  return new Counter({
    name,
    help,
    labelNames: ['kind'] as const,
    registers: [metricsRegistry],
    collect() {
      const totals = sqlTotals();
      this.reset();
      for (const kind of SQL_KINDS) this.inc({ kind }, totals[kind][field]);
    },
  });
}

export const dbStatements = sqlTallyCounter(
  'veiligpad_db_statements_total',
  'SQL statements run on the direct runner, by kind (read, write, commit).',
  'count',
);

export const dbStatementSeconds = sqlTallyCounter(
  'veiligpad_db_statement_seconds_total',
  'Seconds spent in SQL statements on the direct runner, by kind (read, write, commit). SQLite: time on the event loop, a commit including the wait for its fsync; PostgreSQL: wall time per query, overlapping between requests.',
  'seconds',
);

export const dbCommitCpuSeconds = new Counter({
  name: 'veiligpad_db_commit_cpu_seconds_total',
  help: "CPU seconds (user + system) of the process while SQLite's COMMITs ran: the fsync's work in the kernel.",
  registers: [metricsRegistry],
  collect() {
    this.reset();
    this.inc(sqlTotals().commitCpuSeconds);
  },
});
