import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';

const writer = path.join(import.meta.dirname, 'fixtures', 'sqlite-writer.ts');

function run(url: string, times: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, url, String(times)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('SQLite with two processes on one file (server + admin CLI)', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb('sqlite');
    await t.prisma.norm.create({ data: { key: 'counter', value: '0', updatedAt: new Date() } });
  });
  afterEach(() => t.drop());

  it('read-then-write transactions wait for each other: none fails, no update is lost', async () => {
    const times = 60;
    const results = await Promise.all([run(t.url, times), run(t.url, times), run(t.url, times)]);
    for (const r of results) expect(r.code, r.out).toBe(0);
    expect((await t.prisma.norm.findUniqueOrThrow({ where: { key: 'counter' } })).value).toBe(String(3 * times));
  });
});
