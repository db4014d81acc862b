/**
 * The load generator, in its own process so that it never competes with the server's event loop
 * (it still shares the machine's cores: BENCHMARKS.md says so). Jobs arrive over IPC; each answer
 * carries raw latencies (ms) so the parent computes every percentile the same way.
 *
 * transitions: `clients` closed-loop clients, each with one request in flight, each cycling through
 * its own families with an event sequence the machine always accepts in the `reported` phase
 * (measure imposed → extended → incident (minor) → measure ended), tracking expectedVersion from
 * each reply. reads: named GET paths, one request at a time, or from several closed-loop clients
 * at once (each on its own connection, one request in flight).
 *
 * With `answer: 'minimal'` a transition asks for `Prefer: return=minimal` (the family's new version and
 * state, no view) wherever the client needs nothing back: the imposed measure's id is the server's, so
 * that one answer stays the view; the extension and the end are applied to the client's own copy.
 */
import { HttpClient } from './lib/http.ts';

export type FamilyRef = { id: string; version: number };
export type TransitionJob = {
  kind: 'transitions';
  base: string;
  clients: { token: string; families: FamilyRef[] }[];
  warmupMs: number;
  durationMs: number;
  /** `minimal`: `Prefer: return=minimal` on every event but `measure.imposed` (absent: the full view). */
  answer?: 'full' | 'minimal';
};
/** One GET of a read job: the signed-in client (index into `tokens`), the path, any extra headers. */
export type ReadRequest = { token: number; path: string; headers?: Record<string, string> };
export type ReadJob = {
  kind: 'reads';
  base: string;
  tokens: string[];
  /**
   * Each query is requested `count` times, cycling through its (token, path) pairs from the one at
   * index `from` (default 0); by `clients` closed-loop clients at once (default 1: one at a time). A
   * warm-up is a job of its own, so that the server's CPU can be read between it and the measured one.
   */
  queries: { name: string; requests: ReadRequest[]; count: number; from?: number; budgetMs?: number; clients?: number }[];
};
export type SequenceJob = {
  kind: 'sequence';
  base: string;
  token: string;
  /** Sends `count` transitions to one family one after another (growth suite), then reads it `count` times. */
  family: FamilyRef;
  count: number;
  warmup: number;
};
export type Job = TransitionJob | ReadJob | SequenceJob;

export type TransitionResult = {
  kind: 'transitions';
  latenciesMs: number[];
  completed: number;
  /** Every request sent, warm-up included (for CPU time per request). */
  total: number;
  windowMs: number;
  statuses: Record<string, number>;
  finalVersions: FamilyRef[];
};
/** inFlight: the most requests of the query that were open at once. */
export type ReadResult = { kind: 'reads'; results: { name: string; latenciesMs: number[]; statuses: Record<string, number>; bytes: number; inFlight: number }[] };
export type SequenceResult = { kind: 'sequence'; writeMs: number[]; readMs: number[]; statuses: Record<string, number> };
export type JobResult = TransitionResult | ReadResult | SequenceResult;

type View = { version: number; measures?: { id: string; status: string; startsAt: string; endsAt: string }[] };

const DAY = 86_400_000;

/** The next event of a family's cycle, built against the family as the last reply showed it. */
export function nextEvent(step: number, view: View | null): { type: string; payload: unknown } {
  const now = Date.now();
  const active = view?.measures?.filter((m) => m.status === 'active').at(-1);
  // A huisverbod runs 10 days and may be extended once to 20 (the legal total is 28).
  const extendable = active && Date.parse(active.endsAt) - Date.parse(active.startsAt) <= 10 * DAY;
  const impose = () => ({
    type: 'measure.imposed',
    payload: { kind: 'huisverbod', startsAt: new Date(now).toISOString(), endsAt: new Date(now + 10 * DAY).toISOString() },
  });
  const extend = () => ({ type: 'measure.extended', payload: { measureId: active!.id, endsAt: new Date(Date.parse(active!.startsAt) + 20 * DAY).toISOString() } });
  const end = () => ({ type: 'measure.ended', payload: { measureId: active!.id } });
  switch (step % 4) {
    case 0:
      return !active ? impose() : extendable ? extend() : end();
    case 1:
      return extendable ? extend() : active ? end() : impose();
    case 2:
      return {
        type: 'incident.reported',
        payload: {
          occurredAt: new Date(now - 60_000).toISOString(),
          severity: 'minor',
          description: 'Verbale ruzie gemeld door de buren; geen fysiek geweld, afspraken besproken.',
        },
      };
    default:
      return active ? end() : impose();
  }
}

const MINIMAL = { Prefer: 'return=minimal' };

/** The client's copy of the family after an accepted event it sent without asking for the view. */
function applied(view: View | null, version: number, ev: { type: string; payload: unknown }): View {
  const { measureId, endsAt } = ev.payload as { measureId?: string; endsAt?: string };
  const measures = view?.measures?.map((m) =>
    m.id !== measureId ? m : ev.type === 'measure.extended' ? { ...m, endsAt: endsAt! } : ev.type === 'measure.ended' ? { ...m, status: 'ended' } : m,
  );
  return { version, ...(measures ? { measures } : {}) };
}

/** The first few problem bodies of a job, so that an unexpected 4xx/5xx can be explained. */
const problems: string[] = [];

function count(statuses: Record<string, number>, status: number, body?: unknown): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
  if (status >= 300 && problems.length < 5) problems.push(`${status} ${JSON.stringify(body).slice(0, 400)}`);
}

/**
 * Throughput counts completions inside the window; latencies are those of requests started inside
 * it (a request still running when the window closes is waited for, so slow ones are not dropped).
 * Every client sends at least one measured request, however slow the machine.
 */
async function runTransitions(job: TransitionJob): Promise<TransitionResult> {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const stopAt = measureFrom + job.durationMs;
  let completed = 0;
  let total = 0;
  const finalVersions: FamilyRef[] = [];

  await Promise.all(
    job.clients.map(async (c) => {
      const client = new HttpClient(job.base);
      client.token = c.token;
      const fams = c.families.map((f) => ({ ...f, step: 0, view: null as View | null }));
      let i = 0;
      let mine = 0;
      while (performance.now() < stopAt || mine === 0) {
        const f = fams[i++ % fams.length]!;
        const ev = nextEvent(f.step, f.view);
        const sentAt = performance.now();
        const minimal = job.answer === 'minimal' && ev.type !== 'measure.imposed';
        const res = await client.post(`/api/v1/families/${f.id}/events`, { ...ev, expectedVersion: f.version }, minimal ? MINIMAL : undefined);
        const doneAt = performance.now();
        total++;
        count(statuses, res.status, res.body);
        if (res.status === 200) {
          const version = (res.body as View).version;
          f.view = minimal ? applied(f.view, version, ev) : (res.body as View);
          f.version = version;
          f.step++;
        } else if (res.status === 409) {
          f.version = (res.body as { currentVersion?: number }).currentVersion ?? f.version;
        } else {
          f.step++;
        }
        if (sentAt >= measureFrom) {
          latencies.push(res.ms);
          mine++;
        }
        if (doneAt >= measureFrom && doneAt <= stopAt) completed++;
      }
      for (const f of fams) finalVersions.push({ id: f.id, version: f.version });
      client.close();
    }),
  );
  return { kind: 'transitions', latenciesMs: latencies, completed, total, windowMs: job.durationMs, statuses, finalVersions };
}

async function runReads(job: ReadJob): Promise<ReadResult> {
  // One connection per (client, token): a client of a concurrent query keeps its own connections.
  const connections: HttpClient[][] = [];
  const connection = (client: number, token: number) => {
    const row = (connections[client] ??= []);
    let c = row[token];
    if (!c) {
      c = row[token] = new HttpClient(job.base);
      c.token = job.tokens[token]!;
    }
    return c;
  };
  const results: ReadResult['results'] = [];
  for (const q of job.queries) {
    const statuses: Record<string, number> = {};
    const latencies: number[] = [];
    let bytes = 0;
    let next = 0;
    let stop = false;
    let open = 0;
    let inFlight = 0;
    const started = performance.now();
    const client = async (k: number) => {
      while (!stop && next < q.count) {
        const r = q.requests[((q.from ?? 0) + next++) % q.requests.length]!;
        inFlight = Math.max(inFlight, ++open);
        // A failed connection (the server died, e.g. out of memory) is status 0, not a crash of the job.
        const res = await connection(k, r.token)
          .get(r.path, r.headers)
          .catch((e: unknown) => ({ status: 0, body: String(e), ms: Number.NaN }));
        open--;
        count(statuses, res.status, res.body);
        if (res.status === 0) stop = true;
        else {
          latencies.push(res.ms);
          bytes += typeof res.body === 'string' ? res.body.length : JSON.stringify(res.body).length;
        }
        // Very slow queries (the country's KPIs at full scale) stop after their time budget.
        if (q.budgetMs !== undefined && latencies.length > 0 && performance.now() - started > q.budgetMs) stop = true;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, q.clients ?? 1) }, (_, k) => client(k)));
    results.push({ name: q.name, latenciesMs: latencies, statuses, bytes: latencies.length > 0 ? Math.round(bytes / latencies.length) : 0, inFlight });
  }
  for (const row of connections) for (const c of row ?? []) c?.close();
  return { kind: 'reads', results };
}

async function runSequence(job: SequenceJob): Promise<SequenceResult> {
  const client = new HttpClient(job.base);
  client.token = job.token;
  const statuses: Record<string, number> = {};
  const writeMs: number[] = [];
  const readMs: number[] = [];
  let view: View | null = null;
  let version = job.family.version;
  for (let i = 0; i < job.warmup + job.count; i++) {
    const ev = nextEvent(i, view);
    const res = await client.post(`/api/v1/families/${job.family.id}/events`, { ...ev, expectedVersion: version });
    count(statuses, res.status, res.body);
    if (res.status === 200) {
      view = res.body as View;
      version = view.version;
    } else if (res.status === 409) {
      version = (res.body as { currentVersion?: number }).currentVersion ?? version;
    }
    if (i >= job.warmup) writeMs.push(res.ms);
  }
  for (let i = 0; i < job.warmup + job.count; i++) {
    const res = await client.get(`/api/v1/families/${job.family.id}`);
    count(statuses, res.status, res.body);
    if (i >= job.warmup) readMs.push(res.ms);
  }
  client.close();
  return { kind: 'sequence', writeMs, readMs, statuses };
}

async function run(job: Job): Promise<JobResult> {
  if (job.kind === 'transitions') return runTransitions(job);
  if (job.kind === 'reads') return runReads(job);
  return runSequence(job);
}

process.on('message', (msg: Job | { kind: 'exit' }) => {
  if (msg.kind === 'exit') {
    process.exit(0);
  }
  problems.length = 0;
  run(msg).then(
    (result) => process.send?.({ ok: true, result: { ...result, problems: [...problems] } }),
    (e: unknown) => process.send?.({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
process.on('disconnect', () => process.exit(0));
