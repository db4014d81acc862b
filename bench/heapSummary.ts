/**
 * `npx tsx bench/heapSummary.ts FILE.heapprofile [--top N] [--per REQUESTS]`
 *
 * Sums a sampled allocation profile (as written by `npm run bench -- --cpu-prof DIR --heap-prof`, one
 * per measured window) per function: what the function allocates itself (self) and what it and
 * everything it calls allocate (total, a function counted once per stack). With `--per`, in KiB per
 * request of the window (its request count from the bench's log line). Allocation drives the
 * garbage collector's scavenges, whose pauses every request in flight waits out.
 */
import { readFileSync } from 'node:fs';
import { sourceOf } from './profileSummary.ts';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type HeapNode = { callFrame: CallFrame; selfSize: number; children: HeapNode[] };

/** A function by name and file; frames of dependencies and Node keep their line (names repeat there). */
function keyOf(f: CallFrame): string {
  const s = sourceOf(f);
  const own = /\/((?:server|machines|contract|bench)\/.*)$/.exec(s.url);
  if (own) return `${f.functionName || '(anonymous)'} ${own[1]}`;
  const dep = /node_modules\/(.*)$/.exec(s.url);
  return `${f.functionName || '(anonymous)'} ${dep ? dep[1] : s.url || '(native)'}:${f.lineNumber + 1}`;
}

export function summariseHeap(head: HeapNode): { self: Map<string, number>; total: Map<string, number>; bytes: number } {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let bytes = 0;
  const walk = (n: HeapNode, stack: ReadonlySet<string>): number => {
    const key = keyOf(n.callFrame);
    const seen = stack.has(key);
    const next = seen ? stack : new Set([...stack, key]);
    const below = n.children.reduce((sum, c) => sum + walk(c, next), 0);
    self.set(key, (self.get(key) ?? 0) + n.selfSize);
    if (!seen) total.set(key, (total.get(key) ?? 0) + n.selfSize + below);
    bytes += n.selfSize;
    return n.selfSize + below;
  };
  walk(head, new Set());
  return { self, total, bytes };
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const v = Number(args.splice(i, 2)[1]);
    if (!(v > 0)) throw new Error(`${name} needs a positive number`);
    return v;
  };
  const top = option('--top', 30);
  const per = option('--per', 1);
  const [file] = args;
  if (!file) throw new Error('usage: npx tsx bench/heapSummary.ts FILE.heapprofile [--top N] [--per REQUESTS]');
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
  const { self, total, bytes } = summariseHeap(head);
  const kib = (b: number) => (b / 1024 / per).toFixed(1);
  const unit = per === 1 ? 'KiB' : 'KiB per request';
  console.log(`\n## ${file}: ${kib(bytes)} ${unit} allocated (sampled)\n`);
  for (const [title, map] of [['self', self], ['total', total]] as const) {
    console.log(`| ${title} ${unit} | % | function |`, '\n|---:|---:|---|');
    for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`| ${kib(v)} | ${((100 * v) / bytes).toFixed(1)} | ${k} |`);
    console.log('');
  }
}

if (process.argv[1]?.endsWith('heapSummary.ts')) main();
