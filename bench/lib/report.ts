import type { BenchResults } from './results.ts';
import type { LevelRun, SqlSpread } from '../suites/transitions.ts';
import { fmt, spread, type Spread } from './stats.ts';

// The Markdown summary printed after a run (and pasted into BENCHMARKS.md): every figure is the
// median over runs with its min–max, every limit comes from the same run.

const pct = (s: Spread, digits = 0) => `${fmt({ ...s, median: s.median * 100, min: s.min * 100, max: s.max * 100 }, digits)} %`;
const ok = (pass: boolean) => (pass ? 'met' : '**missed**');

/**
 * A request's server CPU outside SQL: on SQLite less its statements' time and its commits' CPU
 * (both on the server's thread); on PostgreSQL all of it (the statements run in the database).
 */
function outsideSql(backend: string, cpu: Spread, sql: SqlSpread): number {
  return backend === 'sqlite' ? cpu.median - sql.statementMs.median - sql.commitCpuMs.median : cpu.median;
}

/** Issue 17's p99 targets by client count (ms). */
const P99_TARGET_MS: Record<number, number> = { 8: 20, 32: 60 };

/** One level's queue over its runs: each figure per run, then its spread. */
export function queueFigures(rows: readonly LevelRun[], p99TargetMs: number | undefined) {
  const per = rows.map((l) => {
    const tail = l.latency.p99 / l.latency.mean;
    const utilisation = (l.serverCpuMs * l.perSec) / 1000;
    return {
      mean: l.latency.mean,
      little: (l.clients / l.perSec) * 1000,
      tail,
      utilisation,
      cpuNeeded: p99TargetMs === undefined ? Number.NaN : (p99TargetMs * utilisation) / (l.clients * tail),
    };
  });
  const of = (k: keyof (typeof per)[number]) => spread(per.map((x) => x[k]));
  const gc = rows.map((l) => l.gc).filter((g) => g !== undefined);
  return {
    mean: of('mean'),
    little: of('little'),
    tail: of('tail'),
    utilisation: of('utilisation'),
    cpuNeeded: of('cpuNeeded'),
    gcShare: gc.length > 0 ? spread(gc.map((g) => g.share)) : null,
    gcLongestMs: gc.length > 0 ? spread(gc.map((g) => g.longestMs)) : null,
  };
}

export function markdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`## Run ${r.startedAt}`);
  out.push('');
  out.push(`\`${r.command}\` — ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, SQLite ${m.sqlite}, PostgreSQL ${m.postgres ?? 'n/a'}; runs per figure: ${r.options.runs}${r.options.quick ? ', --quick' : ''}${r.options.smoke ? ', --smoke' : ''}.`);
  out.push(`Load average (1/5/15 min) before: ${r.load.before.load1.toFixed(2)} / ${r.load.before.load5.toFixed(2)} / ${r.load.before.load15.toFixed(2)}, after: ${r.load.after.load1.toFixed(2)} / ${r.load.after.load5.toFixed(2)} / ${r.load.after.load15.toFixed(2)}.`);
  for (const [suite, l] of Object.entries(r.load.perSuite)) {
    out.push(`- ${suite}: load ${l.before.load1.toFixed(2)} → ${l.after.load1.toFixed(2)} (${l.before.at} → ${l.after.at})`);
  }

  if (r.transitions) {
    out.push('', '### Durable transitions through HTTP vs the raw durable insert (same run)', '');
    out.push('| backend | clients | HTTP transitions/s | p50 ms | p99 ms | server CPU ms / transition | raw inserts/s | raw p50 ms | raw CPU ms / insert | HTTP / raw | non-200 |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const b of r.transitions) {
      for (const l of b.levels) {
        out.push(
          `| ${b.backend} | ${l.clients} | ${fmt(l.perSec)} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.serverCpuMs, 2)} | ${fmt(l.rawPerSec)} | ${fmt(l.rawP50, 2)} | ${fmt(l.rawCpuMs, 3)} | ${pct(l.ratio)} | ${l.nonOk} |`,
        );
      }
    }
    // The same levels with minimal answers (Prefer: return=minimal on three events of the cycle's four,
    // bench/loadgen.ts), measured after the full ones on the same server: the ratio is to the full
    // answer's CPU at the same level in the same run.
    const minimal = r.transitions.filter((b) => b.minimal && b.minimal.length > 0);
    if (minimal.length > 0) {
      out.push(
        '',
        '| backend | clients, `Prefer: return=minimal` on 3 events of 4 | HTTP transitions/s | p50 ms | p99 ms | server CPU ms / transition | ÷ the full answer’s in the same run | HTTP / raw | non-200 |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      );
      for (const b of minimal) {
        for (const l of b.minimal!) {
          // Per run, minimal ÷ full at this level, then their spread: the host drifts between runs.
          const perRun = b.runs.flatMap((run, i) => {
            const full = run.find((x) => x.clients === l.clients);
            const min = b.minimalRuns?.[i]?.find((x) => x.clients === l.clients);
            return full && min ? [min.serverCpuMs / full.serverCpuMs] : [];
          });
          const ratio = perRun.length > 0 ? fmt(spread(perRun), 2) : '—';
          out.push(
            `| ${b.backend} | ${l.clients} | ${fmt(l.perSec)} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.serverCpuMs, 2)} | ${ratio} | ${pct(l.ratio)} | ${l.nonOk} |`,
          );
        }
      }
    }
    const pages = r.transitions.filter((b) => b.page);
    if (pages.length > 0) {
      out.push('', '| backend | family page (GET /families/{id}, one client) server CPU ms | p50 ms | p99 ms | non-200 |', '|---|---:|---:|---:|---:|');
      for (const b of pages) out.push(`| ${b.backend} | ${fmt(b.page!.serverCpuMs, 2)} | ${fmt(b.page!.p50, 1)} | ${fmt(b.page!.p99, 1)} | ${b.page!.nonOk} |`);
    }
    // SQL per request from the server's own tally (server/db/sqlTime.ts). On SQLite a statement runs
    // on the server's thread, so its time is part of the server's CPU; on PostgreSQL it runs in the
    // database's processes and the server only waits.
    const withSql = r.transitions.filter((b) => b.page?.sql || b.levels.some((l) => l.sql));
    if (withSql.length > 0) {
      out.push(
        '',
        '| backend | request | SQL statements | SQL statement ms | commit ms | of which CPU | server CPU ms | server CPU outside SQL ms |',
        '|---|---|---:|---:|---:|---:|---:|---:|',
      );
      const row = (backend: string, what: string, cpu: Spread, sql: SqlSpread) => {
        out.push(
          `| ${backend} | ${what} | ${fmt(sql.statements, 1)} | ${fmt(sql.statementMs, 3)} | ${fmt(sql.commitMs, 3)} | ${fmt(sql.commitCpuMs, 3)} | ${fmt(cpu, 2)} | ${outsideSql(backend, cpu, sql).toFixed(2)} |`,
        );
      };
      for (const b of withSql) {
        for (const l of b.levels) if (l.sql) row(b.backend, `transition, ${l.clients} client${l.clients === 1 ? '' : 's'}`, l.serverCpuMs, l.sql);
        if (b.page?.sql) row(b.backend, 'family page, 1 client', b.page.serverCpuMs, b.page.sql);
      }
    }
    // Why p99 follows from the CPU: clients in a closed loop keep N requests in flight, so the mean
    // latency is N / throughput (Little's law), and the throughput is the server's CPU utilisation
    // over its CPU per transition. p99 = N × (p99 / mean) × CPU / utilisation; the last column solves
    // that for the CPU per transition at which p99 would meet its target, at this run's tail ratio
    // and utilisation. The GC's pauses stop every request in flight: their share of the window's wall
    // time, and the longest one, which a request's latency takes whole.
    if (r.transitions.some((b) => b.runs.length > 0)) {
      out.push(
        '',
        '| backend | clients | mean latency ms | clients / throughput ms (Little) | p99 / mean | server CPU utilisation | server CPU ms / transition | p99 target ms | CPU ms / transition the target needs | GC pauses, share of wall time | longest GC pause ms |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      );
      for (const b of r.transitions) {
        for (const l of b.levels) {
          const rows = b.runs.map((run) => run.find((x) => x.clients === l.clients)).filter((x) => x !== undefined);
          const target = P99_TARGET_MS[l.clients];
          const q = queueFigures(rows, target);
          out.push(
            `| ${b.backend} | ${l.clients} | ${fmt(q.mean, 1)} | ${fmt(q.little, 1)} | ${fmt(q.tail, 2)} | ${fmt(q.utilisation, 2)} | ${fmt(l.serverCpuMs, 2)} | ${target ?? '—'} | ${target ? fmt(q.cpuNeeded, 2) : '—'} | ${q.gcShare ? pct(q.gcShare, 1) : '—'} | ${q.gcLongestMs ? fmt(q.gcLongestMs, 1) : '—'} |`,
          );
        }
      }
    }
    const sq = r.transitions.find((b) => b.backend === 'sqlite');
    if (sq) {
      const best = Math.max(...sq.levels.map((l) => l.ratio.median));
      const at8 = sq.levels.find((l) => l.clients === 8);
      out.push('');
      const at32 = sq.levels.find((l) => l.clients === 32);
      const p99 = (l: (typeof sq.levels)[number] | undefined) =>
        l ? `${l.p99.median.toFixed(1)} ms — ${ok(l.p99.median < P99_TARGET_MS[l.clients]!)}` : 'not measured';
      // The first milestone's ratio target (≥ 50 % at the best level) and issue 17's (≥ 30 % at 8 clients).
      out.push(
        `Targets (SQLite): HTTP ≥ 50 % of raw at the best level: ${(best * 100).toFixed(0)} % — ${ok(best >= 0.5)}; ` +
          `≥ 30 % at 8 clients: ${at8 ? `${(at8.ratio.median * 100).toFixed(0)} % — ${ok(at8.ratio.median >= 0.3)}` : 'not measured'}; ` +
          `p99 < ${P99_TARGET_MS[8]} ms at 8 clients: ${p99(at8)}; p99 < ${P99_TARGET_MS[32]} ms at 32 clients: ${p99(at32)}.`,
      );
    }
  }

  if (r.floor) {
    const f = r.floor;
    out.push('', `### The floor: the same requests answered with a fixed ${f.answerBytes}-byte answer (same run)`, '');
    out.push('| server | clients | requests/s | server CPU ms / request | p50 ms | p99 ms | non-200 |');
    out.push('|---|---:|---:|---:|---:|---:|---:|');
    const label = { node: "Node's http alone", express: 'Express 5 + the app\'s middleware and body parsing' } as const;
    for (const m of f.modes) {
      for (const l of m.levels) out.push(`| ${label[m.mode]} | ${l.clients} | ${fmt(l.perSec, 0)} | ${fmt(l.serverCpuMs, 3)} | ${fmt(l.p50, 2)} | ${fmt(l.p99, 1)} | ${l.nonOk} |`);
    }
    const express = f.modes.find((m) => m.mode === 'express');
    if (r.transitions && express) {
      out.push('', '| backend | clients | transition server CPU ms | of which the Express floor | the rest (session, zod, machine, engine, SQL, view) |', '|---|---:|---:|---:|---:|');
      for (const b of r.transitions) {
        for (const l of b.levels) {
          const e = express.levels.find((x) => x.clients === l.clients);
          if (e) out.push(`| ${b.backend} | ${l.clients} | ${l.serverCpuMs.median.toFixed(2)} | ${e.serverCpuMs.median.toFixed(2)} | ${(l.serverCpuMs.median - e.serverCpuMs.median).toFixed(2)} |`);
        }
      }
    }
  }

  if (r.replay) {
    out.push('', '### Replay and verify (same run)', '');
    out.push('| backend | events | engine replay ev/s | fold only ev/s | raw transition() ev/s | replay / raw | fold / raw | same final state | verify: events | verify ms (engine) | GET /verify ms | GET /replay ms | family page during GET /verify: p50 / max ms |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
    const st = (x: Record<string, number>) => (Object.keys(x).every((k) => k === '200') ? '' : ` (HTTP ${JSON.stringify(x)})`);
    for (const b of r.replay) {
      out.push(
        `| ${b.backend} | ${b.events} | ${fmt(b.replayPerSec, 0)} | ${fmt(b.foldPerSec, 0)} | ${fmt(b.rawPerSec, 0)} | ${pct(b.ratio)} | ${pct(b.foldRatio)} | ${b.sameState} | ${b.verify.events}${b.verify.valid ? '' : ' (INVALID)'} | ${fmt(b.verify.ms, 0)} | ` +
          `${fmt(b.http.verifyMs, 0)}${st(b.http.verifyStatuses)} | ${fmt(b.http.replayMs, 0)}${st(b.http.replayStatuses)} | ` +
          `${b.http.pageDuringVerify.p50.toFixed(0)} / ${b.http.pageDuringVerify.max.toFixed(0)} (${b.http.pageDuringVerify.count} requests) |`,
      );
    }
    const worst = Math.min(...r.replay.map((b) => b.ratio.median));
    out.push('', `Target replay ≥ 25 % of raw transition(): worst backend ${(worst * 100).toFixed(0)} % — ${ok(worst >= 0.25)}.`);
  }

  if (r.growth) {
    out.push('', '### Growth: latency against history length (one client)', '');
    out.push('| backend | version | events | snapshot KiB | timers | transition p50 ms | transition p95 ms | page p50 ms | page p95 ms |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const b of r.growth) {
      for (const p of b.points) {
        out.push(`| ${b.backend} | ${p.version ?? 1} | ${p.events} | ${p.snapshotKiB.toFixed(0)} | ${p.timers} | ${fmt(p.transitionP50)} | ${fmt(p.transitionP95)} | ${fmt(p.pageP50)} | ${fmt(p.pageP95)} |`);
      }
    }
    // Issue 14: the largest history against the smallest, per backend and version, in this one run.
    out.push('', '| backend | version | events | transition p50 ratio | page p50 ratio |', '|---|---:|---|---:|---:|');
    for (const b of r.growth) {
      for (const version of [...new Set(b.points.map((p) => p.version ?? 1))]) {
        const pts = b.points.filter((p) => (p.version ?? 1) === version).sort((x, y) => x.events - y.events);
        const [small, large] = [pts[0], pts.at(-1)];
        if (!small || !large || small === large) continue;
        const ratio = (a: Spread, z: Spread) => (z.median / a.median).toFixed(2);
        out.push(`| ${b.backend} | ${version} | ${small.events} → ${large.events} | ${ratio(small.transitionP50, large.transitionP50)} × | ${ratio(small.pageP50, large.pageP50)} × |`);
      }
    }
  }

  if (r.scale) {
    for (const s of r.scale) {
      const g = s.generation;
      out.push('', `### National scale (scale ${s.scale}: ${s.world.families} families, ${s.world.regions} regions, ${s.world.municipalities} municipalities, ${s.world.users} users)`, '');
      out.push(
        `Generated ${g.families} families, ${g.events} events (${(g.events / g.families).toFixed(1)} per family), ${g.timers} timers in ${(g.wallMs / 1000).toFixed(1)} s wall ` +
          `(${g.workers} generator threads, ${(g.simulateMs / 1000).toFixed(1)} s simulation CPU, ${(g.simulateMs / g.events).toFixed(2)} ms per event; ` +
          `bulk insert ${Object.entries(g.insertMs).map(([k, v]) => `${k} ${((v ?? 0) / 1000).toFixed(1)} s`).join(', ')}; ${g.refusals} refused steps).`,
      );
      out.push(`Phases at the end: ${Object.entries(g.phases).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((v / g.families) * 100).toFixed(1)} %`).join(', ')}.`);
      out.push('');
      out.push('| backend | query | p50 ms | p95 ms | target p95 < 200 ms | response KiB | server peak RSS after, MiB |');
      out.push('|---|---|---:|---:|---|---:|---:|');
      for (const b of s.backends) {
        for (const q of b.queries) {
          const bad = Object.keys(q.statuses).some((k) => k !== '200');
          const note = `${bad ? ` (statuses ${JSON.stringify(q.statuses)})` : ''}${q.crashed ? ` — **${q.crashed}**` : ''}`;
          out.push(`| ${b.backend} | ${q.description}${note} | ${fmt(q.p50)} | ${fmt(q.p95)} | ${ok(q.p95.median < 200 && !q.crashed)} | ${(q.bytes / 1024).toFixed(0)} | ${q.peakRssMiB.toFixed(0)} |`);
        }
      }
      // Issue 17: the caseload and the monitoring list at ≤ 1 ms of server CPU plus their SQL. On
      // SQLite the statements run on the server's thread (their time is part of its CPU); on
      // PostgreSQL they run in the database's processes.
      const costed = s.backends.flatMap((b) => b.queries.filter((q) => q.serverCpuMs && q.sql && q.outsideSqlMs).map((q) => ({ b, q })));
      if (costed.length > 0) {
        out.push(
          '',
          '| backend | query | clients | server CPU ms / request | SQL statements | SQL ms | commit ms | of which CPU | server CPU outside SQL ms | outside SQL ÷ the empty inbox, same round | target ≤ 1 ms |',
          '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
        );
        for (const { b, q } of costed) {
          // The median of the rounds' own differences (QueryFigure.outsideSqlMs).
          const outside = q.outsideSqlMs!.median;
          const target = ['caseload', 'monitoring', 'caseloadAt8', 'monitoringAt8'].includes(q.name) ? ok(outside <= 1) : '—';
          out.push(
            `| ${b.backend} | ${q.name} | ${q.clients ?? 1} | ${fmt(q.serverCpuMs!, 2)} | ${fmt(q.sql!.statements, 1)} | ${fmt(q.sql!.statementMs, 2)} | ${fmt(q.sql!.commitMs, 3)} | ${fmt(q.sql!.commitCpuMs, 3)} | ${fmt(q.outsideSqlMs!, 2)} | ${q.perInboxOutsideSql ? fmt(q.perInboxOutsideSql, 2) : '—'} | ${target} |`,
          );
        }
      }
      out.push('');
      for (const b of s.backends) {
        out.push(
          `- ${b.backend}: database ${b.databaseMiB.toFixed(0)} MiB; server RSS after sign-in ${b.serverRssAtStartMiB.toFixed(0)} MiB, peak ${b.serverPeakRssMiB.toFixed(0)} MiB; ` +
            `engine verify+replay of ${b.sample.verified} random families: ${b.sample.valid} valid, ${b.sample.replayed} replayed to the stored snapshot, ${b.sample.projectionMismatches} projection mismatches; ` +
            `South Limburg: ${b.caseload.directors} directors with a caseload (median ${b.caseload.medianFamilies} families), monitoring list ${b.monitoringListSize} families; ` +
            `access log ${b.accessLog.rows} generated rows (${b.accessLog.perFamily} per family over a year, written in ${(b.accessLog.ms / 1000).toFixed(1)} s).`,
        );
        const v = b.verifyAll;
        out.push(
          `- ${b.backend}: verify-all (POST /verifications) checked ${v.families} families in ${(v.ms / 1000).toFixed(1)} s, **${v.familiesPerSec.toFixed(0)} families/s**, ${v.broken} broken (${v.status}); ` +
            `a family page meanwhile: ${v.pageDuring ? `${v.pageDuring.count} requests, p50 ${v.pageDuring.p50.toFixed(1)} ms, **p95 ${v.pageDuring.p95.toFixed(1)} ms**, max ${v.pageDuring.max.toFixed(1)} ms` : 'none'} ${JSON.stringify(v.pageStatuses)}.`,
        );
      }
    }
  }
  if (r.querybuilder) {
    out.push('', '### Hand-written SQL (server/db runner) vs a typed query builder (Kysely), the statements of one append', '');
    out.push('| backend | runner appends/s | Kysely appends/s | Kysely / runner (rate) | runner CPU µs / append | Kysely CPU µs / append | Kysely / runner (CPU) | same row read |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const b of r.querybuilder) {
      out.push(
        `| ${b.backend} | ${fmt(b.runnerPerSec, 0)} | ${fmt(b.kyselyPerSec, 0)} | ${pct(b.ratio)} | ${fmt(b.runnerCpuUs, 0)} | ${fmt(b.kyselyCpuUs, 0)} | ${pct(b.cpuRatio)} | ${b.sameRow} |`,
      );
    }
    // The commit's fsync or round trip is the same on both sides; the CPU per append tells them apart.
    const keep = r.querybuilder.every((b) => b.cpuRatio.median >= 1)
      ? 'the runner: it needs no more CPU per append than Kysely on every backend'
      : 'Kysely needed less CPU per append on at least one backend: see the table';
    out.push('', `Kept: ${keep}.`);
  }
  if (r.lighthouse) {
    const l = r.lighthouse;
    out.push('', `### Lighthouse ${l.version} (${l.chromium}; login, caseload, family page)`, '');
    out.push('| page | form factor | performance | accessibility | best practices | CLS | LCP ms | TBT ms | JS KiB (compressed) |');
    out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const p of l.pages) {
      out.push(
        `| ${p.page} | ${p.formFactor} | ${fmt(p.performance, 0)} | ${fmt(p.accessibility, 0)} | ${fmt(p.bestPractices, 0)} | ${fmt(p.cls, 3)} | ${fmt(p.lcpMs, 0)} | ${fmt(p.tbtMs, 0)} | ${p.scriptKiB.toFixed(0)} |`,
      );
    }
    const mobile = l.pages.filter((p) => p.formFactor === 'mobile');
    out.push(
      '',
      `Targets: performance ≥ 90 on mobile — ${ok(mobile.every((p) => p.performance.median >= 90))}; accessibility 100 — ${ok(l.pages.every((p) => p.accessibility.median === 100))}; ` +
        `best practices 100 — ${ok(l.pages.every((p) => p.bestPractices.median === 100))}; CLS < 0.1 — ${ok(l.pages.every((p) => p.cls.max < 0.1))}.`,
    );
    const failing = [...new Set(l.pages.flatMap((p) => p.failing.map((f) => `${f} [${p.page} ${p.formFactor}]`)))];
    if (failing.length > 0) out.push('', 'Audits below 90 in the median run:', ...failing.map((f) => `- ${f}`));
  }
  return out.join('\n');
}
