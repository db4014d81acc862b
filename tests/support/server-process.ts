/**
 * The real server as a child process: `node scripts/start.mjs`, exactly what `npm start` runs (the
 * server built into one JavaScript file and run without the TypeScript loader), with its own
 * configuration from the environment. Used where an in-process server cannot
 * tell the truth: kill -9 (crash recovery), two servers on one database, the process's memory, and
 * the log lines it really writes to stdout/stderr.
 *
 *   const server = await startServerProcess({ databaseUrl: db.url, clockStart: START });
 *   await fetch(`${server.base}/api/v1/health`);
 *   server.kill();                       // SIGKILL, no shutdown code runs
 *   await server.exited;
 *
 * The node process is spawned directly (not through npm) and runs the server itself, so the pid is
 * the server's own: a SIGKILL reaches the process that holds the database connection, and its RSS is
 * the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const START_SCRIPT = path.join(ROOT, 'scripts', 'start.mjs');
const CLIENT_INDEX = path.join(ROOT, 'dist', 'client', 'index.html');

/**
 * Runs one of the project's TypeScript commands (e.g. `scripts/backup.ts`, `server/cli/user.ts`) as a
 * separate process on `databaseUrl`, as a user would from the shell; resolves with its exit code
 * and everything it printed.
 */
export function runTsScript(script: string, args: string[], databaseUrl: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

export type ServerProcessOptions = {
  /** DATABASE_URL of the child (SQLite `file:` or PostgreSQL with `?schema=`). */
  databaseUrl: string;
  /** CLOCK=manual starts here (CLOCK_START). */
  clockStart: Date;
  /** LOG_LEVEL of the child; default info (request lines included). */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Extra environment (overrides the defaults). */
  env?: Record<string, string>;
  /** How long to wait for the "listening" line. */
  startTimeoutMs?: number;
};

export type ServerProcess = {
  pid: number;
  port: number;
  base: string;
  /** Every line the process wrote to stdout or stderr, in order (pino JSON lines, or anything else). */
  lines: string[];
  /** Resolves when the process has exited (after kill or stop). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident set size in bytes now (Linux /proc), or null once the process is gone. */
  rss(): number | null;
  /** kill -9: the process gets no chance to finish anything. */
  kill(): void;
  /** SIGTERM and wait for the graceful shutdown. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * A fresh clone has no dist/client, and server/main.ts builds it on first start. Several servers
 * started at once (parallel test files) would then build into the same directory together, so the
 * first caller builds it here, once, under a lock directory that the others wait for.
 */
export async function ensureClientBuilt(): Promise<void> {
  if (existsSync(CLIENT_INDEX)) return;
  const lock = path.join(
    os.tmpdir(),
    `veilig-client-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`,
  );
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(CLIENT_INDEX)) return;
      // A lock older than five minutes belongs to a run that crashed while building.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Removed by its owner meanwhile.
      }
      if (Date.now() > deadline)
        throw new Error('waited too long for another process to build the web client');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (existsSync(CLIENT_INDEX)) return;
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The environment of the child: ours minus anything that would change what it connects to. */
function childEnv(opts: ServerProcessOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (k.startsWith('VITEST') || k === 'TEST_DATABASE_URL' || k === 'DATABASE_URL') continue;
    env[k] = v;
  }
  return {
    ...env,
    DATABASE_URL: opts.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    CLOCK: 'manual',
    CLOCK_START: opts.clockStart.toISOString(),
    DEMO_DATA: 'false',
    NODE_ENV: 'test',
    LOG_LEVEL: opts.logLevel ?? 'info',
    ...opts.env,
  };
}

function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  await ensureClientBuilt();
  const child: ChildProcess = spawn(process.execPath, [START_SCRIPT], {
    cwd: ROOT,
    env: childEnv(opts),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  let onLine: ((line: string) => void) | null = null;
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine?.(line);
      }
    });
    stream.on('end', () => {
      if (partial) lines.push(partial);
      partial = '';
    });
  }

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`server did not start within ${opts.startTimeoutMs ?? 60_000} ms:\n${lines.join('\n')}`),
      );
    }, opts.startTimeoutMs ?? 60_000);
    const check = (line: string) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          onLine = null;
          resolve(entry.port);
        }
      } catch {
        // Not a log line (e.g. a Node warning): keep it, it is not the one we wait for.
      }
    };
    onLine = check;
    for (const line of lines) check(line);
    void exited.then((info) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (${JSON.stringify(info)}):\n${lines.join('\n')}`));
    });
  });

  const pid = child.pid!;
  return {
    pid,
    port,
    base: `http://127.0.0.1:${port}`,
    lines,
    exited,
    rss: () => (exitInfo ? null : rssOf(pid)),
    kill: () => {
      if (!exitInfo) child.kill('SIGKILL');
    },
    stop: async () => {
      if (!exitInfo) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
}
