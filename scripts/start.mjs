// `npm start`. Builds the server (server/main.ts and everything it imports from server/, machines/,
// contract/) into one JavaScript file with esbuild — about a second, at every start, so it is never
// stale — builds the web client on the first start in a process of its own, then runs the server in
// this process. Plain JavaScript on purpose: without the TypeScript loader (tsx, ≈150 MiB on its own)
// and without Vite in memory, the server starts at a fraction of the memory (BENCHMARKS.md, issue 17).
// `npm run dev` still runs the sources under tsx. `node scripts/start.mjs bench/server.ts` runs another
// entry the same way (the bench's server, so that its figures are those of `npm start`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2] ?? 'server/main.ts';
const outDir = path.join(root, 'dist', 'server');
const out = path.join(outDir, `${path.basename(entry, '.ts')}.mjs`);

/** Runs a build step; a failed one ends `npm start` with its own message and exit code. */
function run(what, command, args) {
  const done = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (done.status !== 0) {
    console.error(`npm start: ${what} failed (${done.error?.message ?? `exit code ${done.status}`})`);
    process.exit(done.status || 1);
  }
}

// Built under a name of its own and renamed into place, so two starts at once never read half a file.
mkdirSync(outDir, { recursive: true });
const tmp = `${out.slice(0, -'.mjs'.length)}.${process.pid}.mjs`;
run('building the server', path.join(root, 'node_modules', '.bin', 'esbuild'), [
  entry,
  '--bundle',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--packages=external',
  '--sourcemap',
  '--log-level=warning',
  `--outfile=${tmp}`,
]);
const mapComment = `//# sourceMappingURL=${path.basename(tmp)}.map`;
writeFileSync(tmp, readFileSync(tmp, 'utf8').replace(mapComment, `//# sourceMappingURL=${path.basename(out)}.map`));
renameSync(`${tmp}.map`, `${out}.map`);
renameSync(tmp, out);

const clientMissing = !existsSync(path.join(root, 'dist', 'client', 'index.html'));
if (entry === 'server/main.ts' && clientMissing && existsSync(path.join(root, 'client', 'index.html'))) {
  console.log('npm start: building the web client (first start)');
  rmSync(path.join(root, 'dist', 'client'), { recursive: true, force: true });
  run('building the web client', process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
}

// Stack traces in the log name the TypeScript sources.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(out).href);
