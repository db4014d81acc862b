/**
 * `npx tsx bench/profileSummary.ts FILE.cpuprofile… [--top N] [--by file|function|layer]`
 *
 * Aggregates V8 CPU profiles (as written by `npm run bench -- --cpu-prof DIR`) into self and total
 * time per layer, per file and per function, so the cost of a transition can be read per room
 * (HTTP parsing, session lookup, zod, the machine, hashing, SQL, the view, JSON, logging…).
 * Total (inclusive) time counts a sample once per layer/file/function present anywhere on its stack.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type Node = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** The layer a frame belongs to, by its file (first match wins). */
const LAYERS: [string, RegExp][] = [
  ['idle / GC / native', /^$/],
  ['zod', /node_modules\/zod\//],
  ['xstate', /node_modules\/xstate\//],
  ['express + router + body-parser', /node_modules\/(express|router|body-parser|raw-body|iconv-lite|type-is|content-type|finalhandler|send|serve-static|on-finished|qs|cookie|mime|accepts|negotiator|path-to-regexp)\//],
  ['logging (pino)', /node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|quick-format-unescaped|thread-stream|pino-http)/],
  ['pg driver', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-)/],
  ['prisma', /node_modules\/(@prisma|\.prisma)|server\/db\/generated/],
  ['better-sqlite3', /node_modules\/better-sqlite3/],
  ['tsx loader', /node_modules\/(tsx|esbuild|get-tsconfig)/],
  ['other node_modules', /node_modules\//],
  ['node: http/net', /^node:(_http|http|net|stream|internal\/(http|streams|stream_base|net|js_stream))|^node:internal\/(streams|http)/],
  ['node: crypto', /^node:(crypto|internal\/crypto)/],
  ['node: other', /^node:/],
  ['machines/', /\/machines\//],
  ['contract/', /\/contract\//],
  ['server/http', /\/server\/http\//],
  ['server/auth', /\/server\/auth\//],
  ['server/cases/views', /\/server\/cases\/views/],
  ['server/cases', /\/server\/cases\//],
  ['server/engine', /\/server\/engine\//],
  ['server/db', /\/server\/db\//],
  ['server/ (logger, metrics, other)', /\/server\//],
];

function layerOf(f: CallFrame): string {
  if (!f.url) {
    if (f.functionName === '(garbage collector)') return 'GC';
    if (f.functionName === '(idle)') return 'idle';
    if (f.functionName === '(program)') return 'program (native, unattributed)';
    return 'native: ' + (f.functionName || '(anonymous)');
  }
  for (const [name, re] of LAYERS) if (re.test(f.url)) return name;
  return 'other';
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const m = /\/(server|machines|contract|bench|simulation)\/.*/.exec(url);
  return m ? m[0].slice(1) : url.replace(/^file:\/\//, '');
}

/**
 * The server runs as one file built by esbuild (scripts/start.mjs), which starts each module's code
 * with a `// server/engine/append.ts` line when it does not minify: a frame in the bundle belongs
 * to the last such module line above it. Frames are given their source file's URL, so the layers
 * above apply to the compiled server as they do to the sources under tsx.
 */
const MODULE_LINE = /^\/\/ ((?:server|machines|contract|bench|simulation|scripts)\/[\w./-]+\.ts)$/;
const bundles = new Map<string, { line: number; url: string }[]>();

export function sourceOf(f: CallFrame): CallFrame {
  if (!/\/dist\/server\/[^/]+\.mjs$/.test(f.url)) return f;
  let modules = bundles.get(f.url);
  if (!modules) {
    const file = fileURLToPath(f.url);
    const root = path.resolve(path.dirname(file), '..', '..');
    modules = [];
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, line) => {
        const m = MODULE_LINE.exec(text);
        if (m) modules!.push({ line, url: pathToFileURL(path.join(root, m[1]!)).href });
      });
    bundles.set(f.url, modules);
  }
  let lo = 0;
  let hi = modules.length - 1;
  let found: string | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (modules[mid]!.line <= f.lineNumber) {
      found = modules[mid]!.url;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found ? { ...f, url: found } : f;
}

export type Row = { key: string; selfMs: number; totalMs: number };

export function summarise(profiles: Profile[], by: (f: CallFrame) => string): { rows: Row[]; totalMs: number; idleMs: number } {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const p of profiles) {
    const byId = new Map<number, Node>();
    const parent = new Map<number, number>();
    for (const n of p.nodes) byId.set(n.id, n);
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const keysOf = new Map<number, Set<string>>();
    const stackKeys = (id: number): Set<string> => {
      const cached = keysOf.get(id);
      if (cached) return cached;
      const up = parent.get(id);
      const s = new Set(up === undefined ? [] : stackKeys(up));
      const node = byId.get(id)!;
      if (node.callFrame.functionName !== '(root)') s.add(by(node.callFrame));
      keysOf.set(id, s);
      return s;
    };
    for (let i = 0; i < p.samples.length; i++) {
      const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
      const node = byId.get(p.samples[i]!)!;
      if (node.callFrame.functionName === '(idle)') {
        idleMs += ms;
        continue;
      }
      totalMs += ms;
      const k = by(node.callFrame);
      self.set(k, (self.get(k) ?? 0) + ms);
      for (const key of stackKeys(node.id)) total.set(key, (total.get(key) ?? 0) + ms);
    }
  }
  const rows = [...total.keys()].map((key) => ({ key, selfMs: self.get(key) ?? 0, totalMs: total.get(key) ?? 0 }));
  rows.sort((a, b) => b.selfMs - a.selfMs);
  return { rows, totalMs, idleMs };
}

function main(): void {
  const args = process.argv.slice(2);
  let top = 40;
  const modes: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--by') modes.push(args[++i]!);
    else files.push(args[i]!);
  }
  if (files.length === 0) throw new Error('usage: bench/profileSummary.ts FILE.cpuprofile… [--top N] [--by layer|file|function]');
  const profiles = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Profile);
  for (const p of profiles) for (const n of p.nodes) n.callFrame = sourceOf(n.callFrame);
  const keyers: Record<string, (f: CallFrame) => string> = {
    layer: layerOf,
    file: (f) => (f.url ? shortUrl(f.url) : layerOf(f)),
    function: (f) => `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`.trim(),
  };
  for (const mode of modes.length ? modes : ['layer', 'file', 'function']) {
    const { rows, totalMs, idleMs } = summarise(profiles, keyers[mode] ?? layerOf);
    console.log(`\n## by ${mode}: ${totalMs.toFixed(0)} ms busy (${idleMs.toFixed(0)} ms idle)\n`);
    console.log('| self ms | self % | total ms | total % | ' + mode + ' |\n|---:|---:|---:|---:|---|');
    for (const r of rows.slice(0, top)) {
      const pct = (v: number) => ((v / totalMs) * 100).toFixed(1);
      console.log(`| ${r.selfMs.toFixed(0)} | ${pct(r.selfMs)} | ${r.totalMs.toFixed(0)} | ${pct(r.totalMs)} | ${r.key} |`);
    }
  }
}

if (process.argv[1]?.endsWith("profileSummary.ts")) main();
