import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.ts';

// Where the server's log lines go when no destination is given (server/logSink.ts stdoutDestination):
// a pipe through the pipe sink that never blocks; a file, a terminal or /dev/null by synchronous
// writes, not through libuv's thread pool (two thread wake-ups per line, BENCHMARKS.md session 18).

const FIXTURE = path.join(ROOT, 'tests', 'reliability', 'fixtures', 'log-destination.ts');
type Report = { kind: 'pipe' | 'sync' | 'async'; shared: boolean; inFileAtOnce: boolean | null };

const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-log-destination-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(stdout: 'file' | 'pipe' | 'ignore'): Promise<{ report: Report; lines: string[] }> {
  const file = path.join(dir, `${stdout}.log`);
  const fd = stdout === 'file' ? openSync(file, 'w') : null;
  const target: number | 'pipe' | 'ignore' = fd ?? (stdout === 'pipe' ? 'pipe' : 'ignore');
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...(fd !== null ? { STDOUT_FILE: file } : {}) },
    stdio: ['ignore', target, 'pipe'],
  });
  if (fd !== null) closeSync(fd);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, err).toBe(0);
  const report = JSON.parse(err.trim().split('\n').at(-1)!) as Report;
  const text = stdout === 'file' ? readFileSync(file, 'utf8') : out;
  return { report, lines: text.split('\n').filter(Boolean) };
}

describe('the log destination by what stdout is', () => {
  it('a file: written synchronously, each line in the file when the call returns', async () => {
    const { report, lines } = await run('file');
    expect(report).toEqual({ kind: 'sync', shared: true, inFileAtOnce: true });
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['first line', 'second line']);
  });

  it('/dev/null (stdout ignored, as the bench runs the server): written synchronously too', async () => {
    const { report } = await run('ignore');
    expect(report.kind).toBe('sync');
    expect(report.shared).toBe(true);
  });

  it('a pipe: through the pipe sink, which never blocks, every line delivered', async () => {
    const { report, lines } = await run('pipe');
    expect(report.kind).toBe('pipe');
    expect(report.shared).toBe(true);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['first line', 'second line']);
  });
});
