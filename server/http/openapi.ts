import { OpenApiGeneratorV31, OpenAPIRegistry, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  apiVersion,
  bySchema,
  createFamilyExample,
  documentedSchemas,
  eventExamples,
  familyViewExample,
  loginExample,
  loginResponseExample,
  problemExamples,
  problemSchema,
  propertyDescriptions,
} from '../../contract/index.ts';
import type { AnyRoute } from './define.ts';

// The OpenAPI document is generated from the same route table Express mounts, with the zod schemas
// the handlers validate with: what the document says is what the server does. What a route table
// cannot say (response headers, examples, descriptions of properties) is added here, from contract/.

export const API_BASE = '/api/v1';

const problemTitles: Record<number, string> = {
  400: 'Invalid request: every failed rule in `errors: [{ path, message }]`',
  401: 'Not signed in, or the session has ended',
  403: 'Not allowed for your role or assignment (or a cross-site write)',
  404: 'Not found, or not yours to see',
  409: 'A conflict with the current state: `expectedVersion` is not the current version (`currentVersion`), or a family with this reference already exists in your region (`existingFamilyId`)',
  413: 'Body over 64 KiB',
  415: 'Body is not application/json',
  422: 'Not allowed in the current state, or a guard refused: `guard`, `message`, `state`, `explanation`',
  429: 'Too many failed sign-ins: see Retry-After',
  500: 'Internal error: quote `errorId`',
  503: 'The database does not answer',
};

const tags = [
  { name: 'Session', description: 'Signing in and out, the signed-in user, and who can be named as case director.' },
  { name: 'Families', description: 'Registering reports and recording the decisions and events of a family’s case.' },
  { name: 'Audit', description: 'The history of a family with its hash chain, replay, verification and the access log.' },
  { name: 'Oversight', description: 'The monitoring list and the figures (KPIs) of Veilig Thuis.' },
  {
    name: 'Family view',
    description:
      "“Ons veiligheidsplan”: a household member's own view of the family's safety plan (issue 15) — access codes the case " +
      'director gives, the view in words, answers to the plan, and who read the file.',
  },
  { name: 'Administration', description: 'Users, their roles and regions, activation codes and the norms (functional administrators).' },
  { name: 'Operations', description: 'Health and, in tests and demos only, the manual clock.' },
  { name: 'Documentation', description: 'This document and its browsable rendering.' },
];

type Headers = NonNullable<Exclude<ResponseConfig['headers'], z.ZodObject>>;
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The request header of a route with a minimal answer (RouteDef.success.minimal). */
const preferHeader = z.object({
  Prefer: z
    .string()
    .optional()
    .meta({
      description:
        '`return=minimal` (RFC 7240): answer with the smaller body named in the response (`Preference-Applied` says so). ' +
        'Without it, or with `return=representation`, the full answer.',
      example: 'return=minimal',
    }),
});

/** Examples of the main requests and responses, by operation. */
const requestExamples: Record<string, Record<string, { summary: string; value: unknown }>> = {
  login: { vt: { summary: 'Sign in', value: loginExample } },
  createFamily: { report: { summary: 'A police report with three members', value: createFamilyExample } },
  sendEvent: eventExamples,
};
const responseExamples: Record<string, unknown> = {
  login: loginResponseExample,
  createFamily: familyViewExample,
  getFamily: familyViewExample,
  sendEvent: { ...familyViewExample, version: 3, updatedAt: '2026-03-02T09:10:00.000Z' },
};

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

type Json = { [key: string]: unknown };

/** Fills in the description of every property and parameter that has none, from contract/descriptions.ts. */
function describe(node: unknown, schemaName: string | null): void {
  if (Array.isArray(node)) {
    for (const item of node) describe(item, schemaName);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Json;
  const props = obj.properties;
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    for (const [name, prop] of Object.entries(props as Json)) {
      if (prop && typeof prop === 'object' && !('$ref' in prop) && !('description' in prop)) {
        const text = (schemaName && bySchema[`${schemaName}.${name}`]) ?? propertyDescriptions[name];
        if (text) (prop as Json).description = text;
      }
    }
  }
  if (obj.in && typeof obj.name === 'string' && obj.schema && !obj.description) {
    const text = propertyDescriptions[obj.name];
    if (text) obj.description = text;
  }
  for (const value of Object.values(obj)) describe(value, schemaName);
}

/** Statuses every route of its kind can answer, whatever its own list says. */
function impliedProblems(route: AnyRoute): number[] {
  // 400: a request Node's HTTP parser refuses never reaches a route; 500: a real fault.
  const implied = [400, 500];
  const write = route.method !== 'get';
  if (route.access === 'session') implied.push(401);
  // A role the route does not serve, or a cross-site write (CSRF), is refused with 403.
  if (route.roles || (write && route.access !== 'public')) implied.push(403);
  if (route.body) implied.push(413, 415);
  return implied;
}

export function buildOpenApi(routes: readonly AnyRoute[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'cookieSession', {
    type: 'apiKey',
    in: 'cookie',
    name: 'vp_session',
    description: 'Set by POST /session. Writes need X-CSRF-Token (csrfToken from sign-in) or a same-origin Origin.',
  });
  registry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from POST /session. Exempt from CSRF checks.',
  });
  registry.registerComponent('headers', 'API-Version', {
    description: `The full version of this API (${apiVersion}), on every response.`,
    required: true,
    schema: { type: 'string', example: apiVersion },
  });
  registry.registerComponent('headers', 'WWW-Authenticate', {
    description: 'How to authenticate: a bearer token (or the session cookie).',
    schema: { type: 'string', example: 'Bearer realm="veilig-pad"' },
  });
  registry.registerComponent('headers', 'Retry-After', {
    description: 'Seconds to wait before the next attempt.',
    schema: { type: 'integer', minimum: 0 },
  });
  registry.registerComponent('headers', 'Location', {
    description: 'The address of the created resource.',
    schema: { type: 'string' },
  });
  registry.registerComponent('headers', 'Preference-Applied', {
    description: 'Present when `Prefer: return=minimal` was honoured (RFC 7240): the body is the minimal answer.',
    schema: { type: 'string', enum: ['return=minimal'] },
  });
  registry.registerComponent('headers', 'Vary', {
    description: 'The answer depends on the `Prefer` request header.',
    schema: { type: 'string' },
  });
  registry.registerComponent('headers', 'Content-Language', {
    description: 'The language of `title` and `detail`: `nl` unless Accept-Language prefers `en`.',
    schema: { type: 'string', enum: ['nl', 'en'] },
  });

  for (const route of routes) {
    const problems = [...new Set([...route.problems, ...impliedProblems(route)])].sort((a, b) => a - b);
    const successHeaders: Headers = { 'API-Version': headerRef('API-Version') };
    if (route.success.status === 201) successHeaders.Location = headerRef('Location');
    const minimal = route.success.minimal;
    if (minimal) {
      successHeaders['Preference-Applied'] = headerRef('Preference-Applied');
      successHeaders.Vary = headerRef('Vary');
    }
    const successExample = responseExamples[route.operationId];
    const responses: Record<string, ResponseConfig> = {
      [String(route.success.status)]: route.success.schema
        ? {
            description: minimal ? `${route.success.description}; ${minimal.description}` : route.success.description,
            headers: successHeaders,
            content: {
              [route.success.contentType ?? 'application/json']: {
                schema: minimal ? z.union([route.success.schema, minimal.schema]) : route.success.schema,
                ...(successExample ? { example: successExample } : {}),
              },
              ...(route.success.csv ? { 'text/csv': { schema: z.string().meta({ description: route.success.csv }) } } : {}),
            },
          }
        : { description: route.success.description, headers: successHeaders },
    };
    for (const status of problems) {
      const headers: Headers = {
        'API-Version': headerRef('API-Version'),
        'Content-Language': headerRef('Content-Language'),
      };
      if (status === 401) headers['WWW-Authenticate'] = headerRef('WWW-Authenticate');
      if (status === 429) headers['Retry-After'] = headerRef('Retry-After');
      const example = route.operationId === 'sendEvent' ? problemExamples[status] : undefined;
      responses[String(status)] = {
        description: route.problemNotes?.[status] ?? problemTitles[status] ?? 'Problem',
        headers,
        content: { 'application/problem+json': { schema: problemSchema, ...(example ? { example } : {}) } },
      };
    }
    const security: Record<string, string[]>[] =
      route.access === 'session' ? [{ cookieSession: [] }, { bearerToken: [] }] : [];
    const roles = route.roles ? ` Roles: ${route.roles.join(', ')}.` : '';
    const body = route.body ? (documentedSchemas.get(route.body as z.ZodType) ?? (route.body as z.ZodType)) : undefined;
    const examples = requestExamples[route.operationId];
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      description: `${route.description ?? `${route.summary}.`}${roles}`,
      tags: [route.tag],
      security,
      request: {
        ...(minimal ? { headers: preferHeader } : {}),
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(body
          ? { body: { required: true, content: { 'application/json': { schema: body, ...(examples ? { examples } : {}) } } } }
          : {}),
      },
      responses,
    });
  }

  const generator = new OpenApiGeneratorV31(registry.definitions);
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Veilig Pad API',
      version: apiVersion,
      description:
        'Workflow engine for gefaseerd samenwerken aan veiligheid. Errors are application/problem+json (RFC 9457), ' +
        'their `title` and `detail` in the language of Accept-Language (Dutch by default, English on request). ' +
        `Every response carries \`API-Version: ${apiVersion}\`. A family the caller may not see answers 404. ` +
        'A path does not end in a slash (404); a method a known path does not answer is a 405 with Allow; an empty ' +
        'query value (`?q=`) is a 400.',
      // Who answers questions about this API. A deployment that is run by someone else says so here.
      contact: { name: 'Veilig Pad', email: 'api@veilig-pad.example', url: 'https://veilig-pad.example/api' },
      // The project has not chosen a licence (package.json is private, there is no LICENSE file): without
      // one, all rights are reserved, and the document says so rather than invent one.
      license: { name: 'All rights reserved (no licence granted)', identifier: 'LicenseRef-All-Rights-Reserved' },
    },
    servers: [{ url: API_BASE, description: 'This server, version 1 of the API' }],
    tags,
  });
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) describe(schema, name);
  describe(document.paths, null);
  return document;
}
