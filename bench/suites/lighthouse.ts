import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { buildClient } from '../../scripts/buildClient.ts';
import { systemClock } from '../../server/clock.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { freshDb } from '../lib/db.ts';
import type { BenchOptions } from '../lib/options.ts';
import { startServer } from '../lib/server.ts';
import { median, spread, type Spread } from '../lib/stats.ts';

// Issue 18: Lighthouse (the npm package, with Debian's Chromium — nothing downloaded) on the login
// page, a case director's caseload and a family page, mobile (Lighthouse's default: a mid-range phone
// on a slow 4G line, simulated) and desktop. The server is the bench's own process with production
// settings and the built client, over a SQLite database with the demo seed; the signed-in pages get
// the session cookie of a real sign-in. Targets: performance ≥ 90 on mobile, accessibility 100, best
// practices 100, CLS < 0.1. Scores that measure time are recorded here and never asserted in tests.

export const CHROMIUM = '/usr/bin/chromium';

export type LighthousePage = {
  page: 'login' | 'caseload' | 'family';
  formFactor: 'mobile' | 'desktop';
  /** Category scores 0–100, over the runs. */
  performance: Spread;
  accessibility: Spread;
  bestPractices: Spread;
  /** Cumulative layout shift, largest contentful paint (ms), total blocking time (ms). */
  cls: Spread;
  lcpMs: Spread;
  tbtMs: Spread;
  /** Bytes of JavaScript transferred (compressed) on the page's first load. */
  scriptKiB: number;
  /** Audits of the three categories that did not pass in the median run, by title. */
  failing: string[];
};

export type LighthouseResult = { version: string; chromium: string; pages: LighthousePage[] };

type Lhr = {
  lighthouseVersion: string;
  environment: { hostUserAgent: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  /** Set when Lighthouse could not measure the page (its scores are then null). */
  runtimeError?: { code: string; message: string };
  audits: Record<
    string,
    {
      id: string;
      title: string;
      score: number | null;
      scoreDisplayMode: string;
      numericValue?: number;
      details?: unknown;
    }
  >;
};


/** Signs in as the demo case director and returns the session cookie and a family of theirs. */
async function signIn(base: string): Promise<{ cookie: string; familyId: string }> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ username: 'regisseur', password: 'demo' }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const list = await fetch(`${base}/api/v1/families?pageSize=5`, { headers: { Cookie: cookie } });
  const body = (await list.json()) as { items: { id: string }[] };
  const familyId = body.items[0]?.id;
  if (!familyId) throw new Error('the demo director has no family');
  return { cookie, familyId };
}

function scriptKiB(lhr: Lhr): number {
  const items =
    (
      lhr.audits['network-requests']?.details as
        { items?: { resourceType?: string; transferSize?: number }[] } | undefined
    )?.items ?? [];
  return (
    items.filter((i) => i.resourceType === 'Script').reduce((a, i) => a + (i.transferSize ?? 0), 0) / 1024
  );
}

/** What a console error said (its path, never a query string), so the record says what to fix. */
function detailOf(a: Lhr['audits'][string]): string {
  if (a.id !== 'errors-in-console') return '';
  const items =
    (a.details as { items?: { description?: string; sourceLocation?: { url?: string } }[] } | undefined)
      ?.items ?? [];
  const said = items.map(
    (i) =>
      `${i.description ?? ''}${i.sourceLocation?.url ? ` at ${new URL(i.sourceLocation.url).pathname}` : ''}`,
  );
  return said.length > 0 ? `: ${said.join('; ')}` : '';
}

function failingAudits(lhr: Lhr): string[] {
  const out: string[] = [];
  for (const key of ['performance', 'accessibility', 'best-practices']) {
    for (const ref of lhr.categories[key]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (
        !a ||
        a.score === null ||
        a.scoreDisplayMode === 'informative' ||
        a.scoreDisplayMode === 'manual' ||
        a.scoreDisplayMode === 'notApplicable'
      )
        continue;
      if (a.score < 0.9 && (ref.weight > 0 || key !== 'performance'))
        out.push(`${key}: ${a.title} (${Math.round(a.score * 100)})${detailOf(a)}`);
    }
  }
  return out;
}

function sizes(o: BenchOptions) {
  return { runs: o.smoke ? 1 : o.quick ? Math.min(o.runs, 2) : o.runs };
}

export async function lighthouseSuite(o: BenchOptions): Promise<LighthouseResult> {
  const { runs } = sizes(o);
  const client = await buildClient();
  const b = await freshDb('sqlite', { pgUrl: o.pgUrl, label: 'lighthouse' });
  let chrome: LaunchedChrome | null = null;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const seeded = await seedDemo(b.db, { clock: systemClock, production: false });
    if (!seeded.seeded) throw new Error(`demo seed did not run: ${seeded.reason}`);
    server = await startServer(b.url, { clientDir: client.dir, logLevel: 'warn' });
    // localhost, not 127.0.0.1: a secure context for the browser, as HTTPS is in production.
    const base = server.base.replace('127.0.0.1', 'localhost');
    const { cookie, familyId } = await signIn(base);
    chrome = await launch({
      chromePath: CHROMIUM,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
    });
    const pages = [
      { page: 'login' as const, url: `${base}/login`, headers: {} as Record<string, string> },
      { page: 'caseload' as const, url: `${base}/`, headers: { Cookie: cookie } },
      { page: 'family' as const, url: `${base}/families/${familyId}`, headers: { Cookie: cookie } },
    ];
    const out: LighthousePage[] = [];
    let version = '';
    let chromium = '';
    for (const p of pages) {
      for (const formFactor of ['mobile', 'desktop'] as const) {
        const lhrs: Lhr[] = [];
        for (let run = 0; run < runs; run++) {
          const result = await lighthouse(
            p.url,
            {
              port: chrome.port,
              output: 'json',
              logLevel: 'error',
              onlyCategories: ['performance', 'accessibility', 'best-practices'],
              extraHeaders: p.headers,
            },
            formFactor === 'desktop' ? desktopConfig : undefined,
          );
          if (!result) throw new Error(`lighthouse returned nothing for ${p.page}`);
          const lhr = result.lhr as unknown as Lhr;
          if (lhr.runtimeError) o.log(`  ${p.page} ${formFactor} run ${run + 1}: Lighthouse could not measure it: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
          lhrs.push(lhr);
        }
        const score = (k: string) =>
          spread(lhrs.map((l) => Math.round((l.categories[k]?.score ?? Number.NaN) * 100)));
        const num = (k: string) => spread(lhrs.map((l) => l.audits[k]?.numericValue ?? Number.NaN));
        const perf = lhrs.map((l) => l.categories.performance?.score ?? 0);
        const mid = lhrs[perf.indexOf(median(perf))] ?? lhrs[0]!;
        version = mid.lighthouseVersion;
        chromium =
          mid.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? mid.environment.hostUserAgent;
        const r: LighthousePage = {
          page: p.page,
          formFactor,
          performance: score('performance'),
          accessibility: score('accessibility'),
          bestPractices: score('best-practices'),
          cls: num('cumulative-layout-shift'),
          lcpMs: num('largest-contentful-paint'),
          tbtMs: num('total-blocking-time'),
          scriptKiB: scriptKiB(mid),
          failing: failingAudits(mid),
        };
        o.log(
          `  ${p.page} ${formFactor}: performance ${r.performance.median}, accessibility ${r.accessibility.median}, best practices ${r.bestPractices.median}, ` +
            `CLS ${r.cls.median.toFixed(3)}, LCP ${r.lcpMs.median.toFixed(0)} ms, TBT ${r.tbtMs.median.toFixed(0)} ms, JS ${r.scriptKiB.toFixed(0)} KiB`,
        );
        out.push(r);
      }
    }
    return { version, chromium, pages: out };
  } finally {
    if (chrome) chrome.kill();
    if (server) await server.stop();
    await b.remove();
    client.remove();
  }
}
