import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { START } from './workload.ts';

// What Node's HTTP parser refuses before Express sees the request (a request head over 16 KiB, a
// request line that is not HTTP) must still answer as application/problem+json, like every other
// 4xx. Only the real server process shows this: it owns the http.Server.

type Raw = { status: number; headers: Record<string, string>; body: string };

/** Sends raw bytes and parses whatever HTTP answer comes back. */
function rawRequest(port: number, request: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

function expectProblem(r: Raw, status: number): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = JSON.parse(r.body) as { type: unknown; title: unknown; status: unknown };
  expect(typeof p.type).toBe('string');
  expect(typeof p.title).toBe('string');
  expect(p.status).toBe(status);
}

describe('protocol limits of the server process', () => {
  let db: TestDb;
  let server: ServerProcess;
  beforeAll(async () => {
    db = await createTestDb('sqlite');
    server = await startServerProcess({ databaseUrl: db.url, clockStart: START });
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await db?.drop();
  });

  it('answers a request head over 16 KiB with a 431 problem', async () => {
    const longQuery = `GET /api/v1/families?q=${'A'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
    expectProblem(await rawRequest(server.port, longQuery), 431);
    const longHeader = `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'B'.repeat(20_000)}\r\nConnection: close\r\n\r\n`;
    expectProblem(await rawRequest(server.port, longHeader), 431);
  });

  it('answers a request that is not HTTP with a 400 problem', async () => {
    expectProblem(await rawRequest(server.port, 'HELLO THERE\r\n\r\n'), 400);
    expectProblem(
      await rawRequest(server.port, 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
      400,
    );
  });

  it('keeps serving after all of that', async () => {
    const res = await fetch(`${server.base}/api/v1/health`);
    expect(res.status).toBe(200);
  });
});
