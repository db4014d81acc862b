import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersion, type FamilyView, type Problem } from '../../contract/index.ts';
import { createApp } from '../../server/http/app.ts';
import { answerClientError } from '../../server/http/problem.ts';
import { createLogger } from '../../server/logger.ts';
import { backends } from '../support/db.ts';
import { newReport, startHarness, type Client, type Harness } from './harness.ts';

// Issue 18, the server side: the Dutch API Design Rules and a fast first screen, over real HTTP on
// each backend: compression, caching of the client's files, real 404s for missing files, robots.txt,
// API-Version everywhere (a request Node's parser refuses included), no trailing slash, 405 with
// Allow, empty query values refused, problem bodies complete and in the caller's language.

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A plain node:http request: fetch would decompress and hide Content-Encoding. */
function raw(base: string, pathname: string, headers: Record<string, string> = {}, method = 'GET', body?: unknown): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const sent = body === undefined ? undefined : JSON.stringify(body);
    const withType = sent === undefined ? headers : { ...headers, 'Content-Type': 'application/json' };
    const req = http.request(`${base}${pathname}`, { method, headers: withType }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(sent);
  });
}

function problemOf(r: Raw): Problem {
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const text = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body).toString('utf8') : r.body.toString('utf8');
  return JSON.parse(text) as Problem;
}

function expectComplete(p: Problem, status: number) {
  expect(p.status).toBe(status);
  expect(p.title.length).toBeGreaterThan(0);
  expect(p.detail.length).toBeGreaterThan(0);
  expect(p.instance.length).toBeGreaterThan(0);
}

describe.each(backends())('API Design Rules and caching over HTTP (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let site: Server;
  let siteBase: string;
  let clientDir: string;
  const assetName = 'index-3f9a1c2b.js';
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

  beforeAll(async () => {
    h = await startHarness(provider);
    vt = await h.login('vt');
    // A built client as Vite lays it out: index.html and content-hashed files under assets/.
    clientDir = mkdtempSync(path.join(os.tmpdir(), 'vp-client-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(path.join(clientDir, 'index.html'), `<!doctype html><title>Veilig Pad</title><script src="/assets/${assetName}"></script>`);
    writeFileSync(path.join(clientDir, 'assets', assetName), script);
    const app = createApp({
      db: h.db,
      clock: h.clock,
      config: { trustProxy: false, nodeEnv: 'test', clock: 'manual' },
      logger: createLogger({ level: 'silent' }),
      clientDir,
    });
    site = http.createServer(app);
    site.on('clientError', answerClientError);
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteBase = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      if (!site) return resolve();
      site.closeAllConnections();
      site.close(() => resolve());
    });
    await h?.close();
    if (clientDir) rmSync(clientDir, { recursive: true, force: true });
  });

  it('compresses API answers and assets for a client that accepts gzip', async () => {
    const doc = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': 'gzip' });
    expect(doc.status).toBe(200);
    expect(doc.headers['content-encoding']).toBe('gzip');
    const parsed = JSON.parse(gunzipSync(doc.body).toString('utf8')) as { info: { version: string } };
    expect(parsed.info.version).toBe(apiVersion);
    expect(doc.body.length).toBeLessThan(Number(gunzipSync(doc.body).length) / 3);

    const list = await raw(h.base, '/api/v1/families?pageSize=100', { 'Accept-Encoding': 'gzip', Authorization: `Bearer ${vt.token!}` });
    expect(list.status).toBe(200);
    const asset = await raw(siteBase, `/assets/${assetName}`, { 'Accept-Encoding': 'gzip' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(asset.body).toString('utf8')).toBe(script);
    // Without Accept-Encoding: identity.
    const plain = await raw(siteBase, `/assets/${assetName}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
  });

  it('answers a read without Accept-Encoding as identity, varying by the header like a compressed one', async () => {
    const plain = await raw(h.base, '/api/v1/openapi.json');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/\bAccept-Encoding\b/);
    const zipped = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/\bAccept-Encoding\b/);
    // The same answer either way.
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    // An empty header accepts identity only: answered plainly.
    const none = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': '' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.equals(plain.body)).toBe(true);
  });

  it('compresses an API answer in the coding the client names first, and never a HEAD or a short answer', async () => {
    const plain = await raw(h.base, '/api/v1/openapi.json');
    const text = plain.body.toString('utf8');
    const br = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(text);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.headers['content-type']).toBe('application/json; charset=utf-8');
    // A browser's header (Chromium's): the client's order decides between codings of equal weight.
    const browser = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(browser.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(browser.body).toString('utf8')).toBe(text);
    const weighed = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': 'gzip;q=0.5, br' });
    expect(weighed.headers['content-encoding']).toBe('br');
    for (const refused of ['identity', 'gzip;q=0, br;q=0', 'deflate']) {
      const r = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': refused });
      expect(r.headers['content-encoding'], refused).toBeUndefined();
      expect(r.body.toString('utf8'), refused).toBe(text);
    }
    // HEAD: the headers of an identity answer, as the `compression` middleware gave.
    const head = await raw(h.base, '/api/v1/openapi.json', { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.headers.vary).toMatch(/\bAccept-Encoding\b/);
    // An answer under 1,024 characters goes out as it is.
    const auth = { Authorization: `Bearer ${vt.token!}` };
    const small = await raw(h.base, '/api/v1/health', { ...auth, 'Accept-Encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('compresses a CSV download like a JSON answer', async () => {
    const auth = { Authorization: `Bearer ${vt.token!}`, Accept: 'text/csv' };
    const plain = await raw(h.base, '/api/v1/kpis', auth);
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThanOrEqual(1024);
    const zipped = await raw(h.base, '/api/v1/kpis', { ...auth, 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zipped.headers['content-disposition']).toBe(plain.headers['content-disposition']);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
  });

  it('answers a write uncompressed, even to a client that accepts gzip', async () => {
    const auth = { 'Accept-Encoding': 'gzip', Authorization: `Bearer ${vt.token!}` };
    const created = await raw(h.base, '/api/v1/families', auth, 'POST', newReport());
    expect(created.status).toBe(201);
    expect(created.headers['content-encoding']).toBeUndefined();
    const family = JSON.parse(created.body.toString('utf8')) as { id: string; version: number };
    // Large enough to be compressed if it were a read: the same family read back is.
    expect(created.body.length).toBeGreaterThan(1024);
    const read = await raw(h.base, `/api/v1/families/${family.id}`, auth);
    expect(read.status).toBe(200);
    expect(read.headers['content-encoding']).toBe('gzip');
    const bad = await raw(h.base, `/api/v1/families/${family.id}/events`, auth, 'POST', { type: 'no.such.event' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-encoding']).toBeUndefined();
    expectComplete(problemOf(bad), 400);
  });

  it('never compresses an answer that carries a session secret (BREACH)', async () => {
    const me = await raw(h.base, '/api/v1/me', { 'Accept-Encoding': 'gzip', Authorization: `Bearer ${vt.token!}` });
    expect(me.status).toBe(200);
    expect(me.headers['content-encoding']).toBeUndefined();
  });

  it('caches hashed assets for a year, revalidates index.html and the app routes', async () => {
    const asset = await raw(siteBase, `/assets/${assetName}`);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const page of ['/', '/index.html', '/families/f1']) {
      const r = await raw(siteBase, page, { Accept: 'text/html' });
      expect(r.status, page).toBe(200);
      expect(r.headers['content-type'], page).toMatch(/^text\/html/);
      expect(r.headers['cache-control'], page).toBe('no-cache');
    }
  });

  it('answers a missing file with a real 404, not the app', async () => {
    for (const file of ['/assets/missing.js', '/assets/missing', '/favicon.ico', '/logo.png']) {
      const r = await raw(siteBase, file, { Accept: 'text/html,*/*' });
      expect(r.status, file).toBe(404);
      expect(r.body.toString('utf8'), file).not.toMatch(/<!doctype html>/i);
      expectComplete(problemOf(r), 404);
    }
  });

  it('serves a robots.txt that keeps every crawler out', async () => {
    for (const base of [siteBase, h.base]) {
      const r = await raw(base, '/robots.txt');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.body.toString('utf8')).toBe('User-agent: *\nDisallow: /\n');
    }
  });

  it('sends API-Version equal to info.version on every answer, the parser-level 400 included', async () => {
    const answers = [
      await raw(h.base, '/api/v1/health'),
      await raw(h.base, '/api/v1/families'),
      await raw(h.base, '/api/v1/nothing-here'),
      await raw(siteBase, '/robots.txt'),
      await raw(siteBase, `/assets/${assetName}`),
      await raw(siteBase, '/'),
    ];
    for (const a of answers) expect(a.headers['api-version']).toBe(apiVersion);

    // Not HTTP at all: Node's parser refuses it before Express sees it.
    const reply = await new Promise<string>((resolve, reject) => {
      const { port } = site.address() as AddressInfo;
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GARBAGE / HTTP/9\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = reply.split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(new RegExp(`\\r\\nAPI-Version: ${apiVersion.replaceAll('.', '\\.')}\\r\\n`, 'i'));
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expectComplete(JSON.parse(body) as Problem, 400);
  });

  it('answers a trailing slash with 404', async () => {
    for (const p of ['/api/v1/families/', '/api/v1/health/', '/api/v1/openapi.json/']) {
      const r = await vt.get<Problem>(p);
      expect(r.status, p).toBe(404);
      expect(r.headers.get('api-version')).toBe(apiVersion);
    }
    expect((await vt.get('/api/v1/families')).status).toBe(200);
  });

  it('answers a method a known path does not support with 405 and Allow', async () => {
    const put = await vt.request<Problem>('PUT', '/api/v1/families', {});
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    expectComplete(put.body, 405);
    const del = await vt.delete<Problem>('/api/v1/health');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD']);
    const family = (await vt.post<FamilyView>('/api/v1/families', newReport())).body;
    const patch = await vt.request<Problem>('PATCH', `/api/v1/families/${family.id}/events`, {});
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('POST');
    // An unknown path stays a 404.
    expect((await vt.request('PUT', '/api/v1/nothing-here', {})).status).toBe(404);
  });

  it('refuses empty query values with 400 naming the parameter', async () => {
    for (const [query, name] of [
      ['q=', 'query.q'],
      ['pageSize=', 'query.pageSize'],
      ['page=', 'query.page'],
      ['phase=', 'query.phase'],
      ['municipality=', 'query.municipality'],
      ['overdue=', 'query.overdue'],
    ] as const) {
      const r = await vt.get<Problem>(`/api/v1/families?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.errors?.map((e) => e.path), query).toContain(name);
    }
    const kpis = await (await h.login('auditor')).get<Problem>('/api/v1/kpis?from=');
    expect(kpis.status).toBe(400);
    expect((await vt.get('/api/v1/families?q=Maas')).status).toBe(200);
  });

  it('gives every problem detail and instance, title and detail in the language asked for (nl by default)', async () => {
    const anon = h.anonymous();
    const dutch = await anon.get<Problem>('/api/v1/families');
    expect(dutch.status).toBe(401);
    expectComplete(dutch.body, 401);
    expect(dutch.body.title).toBe('Niet aangemeld');
    expect(dutch.body.detail).toMatch(/Meld u/);
    expect(dutch.body.instance).toBe('/api/v1/families');
    expect(dutch.headers.get('content-language')).toBe('nl');
    expect(dutch.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const english = await anon.get<Problem>('/api/v1/families', { headers: { 'Accept-Language': 'en-GB,en;q=0.9,nl;q=0.5' } });
    expect(english.body.title).toBe('Not signed in');
    expect(english.body.detail).toMatch(/Sign in/);
    expect(english.headers.get('content-language')).toBe('en');

    const german = await anon.get<Problem>('/api/v1/families', { headers: { 'Accept-Language': 'de-DE' } });
    expect(german.body.title).toBe('Niet aangemeld');

    // A refusal by a rule: guard, and the sentence in the language asked for.
    const family = (await vt.post<FamilyView>('/api/v1/families', newReport())).body;
    const send = (lang: string) =>
      vt.post<Problem>(
        `/api/v1/families/${family.id}/events`,
        { type: 'recovery.completed', expectedVersion: family.version, payload: {}, reason: 'Te vroeg.' },
        { headers: { 'Accept-Language': lang } },
      );
    const nl = await send('nl');
    const en = await send('en');
    expect(nl.status).toBe(422);
    expectComplete(nl.body, 422);
    expect(nl.body.title).toBe('Niet toegestaan in de huidige toestand');
    expect(nl.body.message).toBe(nl.body.explanation?.nl);
    expect(nl.body.detail).toBe(nl.body.explanation?.nl);
    expect(en.body.title).toBe('Not allowed in the current state');
    expect(en.body.message).toBe(en.body.explanation?.en);

    // Other problems: complete, and the Dutch detail is not the English one.
    const tries = [
      (lang: string) => vt.get<Problem>('/api/v1/families/does-not-exist', { headers: { 'Accept-Language': lang } }),
      (lang: string) => vt.post<Problem>('/api/v1/families', { reference: '' }, { headers: { 'Accept-Language': lang } }),
      (lang: string) =>
        vt.request<Problem>('POST', '/api/v1/families', undefined, {
          raw: '{"broken',
          headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
        }),
      (lang: string) => vt.request<Problem>('PUT', '/api/v1/families', {}, { headers: { 'Accept-Language': lang } }),
    ];
    for (const attempt of tries) {
      const [inDutch, inEnglish] = [await attempt('nl'), await attempt('en')];
      expectComplete(inDutch.body, inDutch.status);
      expectComplete(inEnglish.body, inEnglish.status);
      expect(inDutch.body.title).not.toBe(inEnglish.body.title);
      expect(inDutch.body.detail).not.toBe(inEnglish.body.detail);
    }
  });
});
