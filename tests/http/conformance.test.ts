import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFamilyExample,
  createFamilySchema,
  eventExamples,
  familyViewExample,
  familyViewSchema,
  loginExample,
  loginRequestSchema,
  loginResponseExample,
  loginResponseSchema,
  problemExamples,
  problemSchema,
  sendableEventRequestSchema,
} from '../../contract/index.ts';
import { startHarness, type Harness } from './harness.ts';

// Third-party tools nobody on this project wrote, run on the document the server serves: Spectral with
// the Logius API Design Rules ruleset (contract/conformance/adr-ruleset.yaml, CC BY 4.0) and with
// spectral:oas, Redocly's recommended rules, and openapi-typescript, whose generated types must
// compile and refuse what the server refuses. The tools run offline: a preloaded guard makes any
// connection to a non-loopback address throw, so a rule fetched from the internet fails the test.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = (pkg: string, file: string) => path.join(root, 'node_modules', pkg, file);
const conformance = path.join(root, 'contract/conformance');

const offlineGuard = `
const net = require('node:net');
const dns = require('node:dns');
const loopback = (h) => !h || h === 'localhost' || /^127\\./.test(h) || h === '::1';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = args[0];
  const host = typeof o === 'object' && o !== null ? o.host : typeof args[1] === 'string' ? args[1] : undefined;
  const isPath = typeof o === 'object' && o !== null && typeof o.path === 'string';
  if (!isPath && !loopback(host)) throw new Error('offline guard: connection to ' + host + ' refused');
  return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  if (!loopback(host)) throw new Error('offline guard: DNS lookup of ' + host + ' refused');
  return lookup.call(this, host, ...rest);
};
`;

let h: Harness;
let dir: string;
let docFile: string;
let guardFile: string;

async function tool(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    NODE_OPTIONS: `--require ${guardFile}`,
    SCARF_ANALYTICS: 'false',
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    NO_COLOR: '1',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...args], { cwd: dir, env, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

type SpectralResult = { code: string; severity: number; path: (string | number)[]; message: string };

async function spectral(ruleset: string): Promise<SpectralResult[]> {
  const out = path.join(dir, `${path.basename(ruleset)}.json`);
  const r = await tool(bin('@stoplight/spectral-cli', 'dist/index.js'), [
    'lint',
    '--ruleset',
    path.join(conformance, ruleset),
    '--format',
    'json',
    '--output',
    out,
    '--fail-severity',
    'hint',
    docFile,
  ]);
  const { readFileSync } = await import('node:fs');
  let results: SpectralResult[];
  try {
    results = JSON.parse(readFileSync(out, 'utf8')) as SpectralResult[];
  } catch {
    throw new Error(`spectral wrote no result (exit ${r.code}): ${r.stderr || r.stdout}`);
  }
  return results;
}

const show = (rs: SpectralResult[]) => rs.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vp-conformance-'));
  guardFile = path.join(dir, 'offline-guard.cjs');
  writeFileSync(guardFile, offlineGuard);
  h = await startHarness('sqlite');
  const res = await fetch(`${h.base}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  docFile = path.join(dir, 'openapi.json');
  writeFileSync(docFile, await res.text());
});

afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the served OpenAPI document under third-party tools', () => {
  it('the offline guard refuses a connection outside the machine (so the tools below ran offline)', async () => {
    const probe = path.join(dir, 'probe.cjs');
    writeFileSync(probe, "require('node:net').connect(443, 'example.org').on('error', () => {});");
    const r = await tool(probe, []);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/offline guard/);
  });

  it('Spectral with the Logius API Design Rules ruleset: 0 errors, 0 warnings', async () => {
    const results = await spectral('adr-ruleset.yaml');
    expect(show(results)).toEqual([]);
  });

  it('Spectral with spectral:oas: 0 warnings', async () => {
    const results = await spectral('oas-ruleset.yaml');
    expect(show(results)).toEqual([]);
  });

  it('Redocly lint (recommended): valid, 0 warnings', async () => {
    const r = await tool(bin('@redocly/cli', 'bin/cli.js'), [
      'lint',
      '--config',
      path.join(conformance, 'redocly.yaml'),
      '--format',
      'json',
      docFile,
    ]);
    const report = JSON.parse(r.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(r.code).toBe(0);
  });

  it('openapi-typescript: the generated client compiles, and refuses what the server refuses', async () => {
    const types = path.join(dir, 'api.d.ts');
    const gen = await tool(bin('openapi-typescript', 'bin/cli.js'), [docFile, '--output', types]);
    expect(gen.code, gen.stderr).toBe(0);

    const usage = path.join(dir, 'usage.ts');
    const lines = [
      "import type { components, paths } from './api.d.ts';",
      "type Body = NonNullable<paths['/families/{id}/events']['post']['requestBody']>['content']['application/json'];",
      "export const closed: Body = { type: 'case.closed', expectedVersion: 3, payload: { reasonCode: 'movedAway' }, reason: 'Verhuisd.' };",
      "export const started: Body = { type: 'assessment.started', expectedVersion: 1, payload: {} };",
      "export const view = (v: components['schemas']['FamilyView']) => v.state.phase;",
      // Line 6: a decision without its motivation.
      "export const unmotivated: Body = { type: 'case.closed', expectedVersion: 3, payload: { reasonCode: 'movedAway' } };",
      // Line 7: a system event, which people may not send.
      "export const system: Body = { type: 'deadline.missed', expectedVersion: 3, payload: { kind: 'assessment', ref: 'r', dueAt: '2026-01-01T00:00:00Z' } };",
    ];
    writeFileSync(usage, lines.join('\n'));
    const program = ts.createProgram([usage], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      skipLibCheck: false,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ({
      file: d.file ? path.basename(d.file.fileName) : null,
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : null,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    // The generated declarations compile, and the valid bodies above type-check: errors only on 6 and 7.
    expect(diagnostics.filter((d) => d.line !== 6 && d.line !== 7)).toEqual([]);
    expect(diagnostics.find((d) => d.line === 6)?.text, 'case.closed without reason must not type-check').toMatch(/reason/);
    expect(diagnostics.some((d) => d.line === 7), 'a system event must not type-check').toBe(true);
  });
});

describe('what the document says', () => {
  type Schema = { description?: string; properties?: Record<string, Schema>; $ref?: string; [k: string]: unknown };
  type Doc = {
    info: { version: string; contact?: Record<string, string> };
    servers: { url: string }[];
    tags?: { name: string; description?: string }[];
    paths: Record<string, Record<string, { description?: string; tags?: string[]; parameters?: { name: string; description?: string }[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }> }>>;
    components: { schemas: Record<string, Schema> };
  };
  let doc: Doc;
  beforeAll(async () => {
    const { readFileSync } = await import('node:fs');
    doc = JSON.parse(readFileSync(docFile, 'utf8')) as Doc;
  });

  it('names its server /api/v1, its contact, and version = the API-Version header', async () => {
    expect(doc.servers.map((s) => s.url)).toEqual(['/api/v1']);
    expect(doc.info.contact).toMatchObject({ name: expect.any(String), email: expect.any(String), url: expect.any(String) });
    const res = await fetch(`${h.base}/api/v1/health`);
    expect(res.headers.get('api-version')).toBe(doc.info.version);
  });

  it('describes every operation, property and parameter, and declares every tag it uses', () => {
    const missing: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const o = node as Schema;
      if (o.properties) {
        for (const [k, v] of Object.entries(o.properties)) {
          if (!v.$ref && !v.description) missing.push(`${where}.${k}`);
        }
      }
      for (const [k, v] of Object.entries(o)) visit(v, `${where}.${k}`);
    };
    visit(doc.components.schemas, 'components');
    const declared = new Set((doc.tags ?? []).map((t) => t.name));
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!op.description) missing.push(`${m} ${p}: operation`);
        for (const t of op.tags ?? []) if (!declared.has(t)) missing.push(`${m} ${p}: tag ${t} not declared`);
        for (const prm of op.parameters ?? []) if (!prm.description) missing.push(`${m} ${p}: parameter ${prm.name}`);
        visit(op, `${m} ${p}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('declares API-Version on every response, WWW-Authenticate on 401 and Retry-After on 429', () => {
    const wrong: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        for (const [status, r] of Object.entries(op.responses)) {
          const headers = Object.keys(r.headers ?? {});
          if (!headers.includes('API-Version')) wrong.push(`${m} ${p} ${status}: API-Version`);
          if (status === '401' && !headers.includes('WWW-Authenticate')) wrong.push(`${m} ${p} 401: WWW-Authenticate`);
          if (status === '429' && !headers.includes('Retry-After')) wrong.push(`${m} ${p} 429: Retry-After`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(doc.paths['/session']!.post!.responses)).toContain('429');
    expect(Object.keys(doc.paths['/families']!.post!.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '415', '422']));
  });

  it('documents one request schema per sendable event, reason required for decisions, no system events', () => {
    const body = doc.paths['/families/{id}/events']!.post!.requestBody!.content['application/json']!.schema;
    const eventRequest = doc.components.schemas[body.$ref!.split('/').pop()!]!;
    const variants = (eventRequest.oneOf as Schema[]).map((v) => doc.components.schemas[v.$ref!.split('/').pop()!]!);
    const types = variants.map((v) => {
      const t = v.properties!.type as { const?: string; enum?: string[] };
      return t.const ?? t.enum?.[0];
    });
    expect(types).toContain('case.closed');
    for (const system of ['deadline.missed', 'stagnation.detected', 'measure.expired', 'stability.reviewDue']) {
      expect(types).not.toContain(system);
    }
    const closed = variants[types.indexOf('case.closed')]!;
    expect(closed.required).toEqual(expect.arrayContaining(['type', 'expectedVersion', 'payload', 'reason']));
    const started = variants[types.indexOf('assessment.started')]!;
    expect(started.required).not.toContain('reason');
    expect(eventRequest.discriminator).toMatchObject({ propertyName: 'type' });
  });

  it('types the history: payload by event type, stateAfter as the family state', () => {
    const variant = doc.components.schemas.CaseClosedHistoryEvent!;
    expect(variant.properties!.payload!.$ref).toBe('#/components/schemas/CaseClosedPayload');
    expect(variant.properties!.stateAfter!.$ref).toBe('#/components/schemas/FamilyState');
  });

  it('its examples are valid under the zod schemas the server validates with', () => {
    expect(loginRequestSchema.safeParse(loginExample).success).toBe(true);
    expect(loginResponseSchema.safeParse(loginResponseExample).success).toBe(true);
    expect(createFamilySchema.safeParse(createFamilyExample).error).toBeUndefined();
    expect(familyViewSchema.safeParse(familyViewExample).error).toBeUndefined();
    for (const [name, e] of Object.entries(eventExamples)) {
      expect(sendableEventRequestSchema.safeParse(e.value).error, name).toBeUndefined();
    }
    for (const p of Object.values(problemExamples)) expect(problemSchema.safeParse(p).error).toBeUndefined();
  });
});
