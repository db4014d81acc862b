import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { problemSchema } from '../../contract/index.ts';
import type { AnyRoute } from './define.ts';

// The OpenAPI document is generated from the same route table Express mounts, with the zod schemas
// the handlers validate with: what the document says is what the server does.

export const API_BASE = '/api/v1';

const problemTitles: Record<number, string> = {
  400: 'Invalid request: every failed rule in `errors: [{ path, message }]`',
  401: 'Not signed in, or the session has ended',
  403: 'Not allowed for your role or assignment (or a cross-site write)',
  404: 'Not found, or not yours to see',
  409: 'expectedVersion is not the current version: `currentVersion`',
  413: 'Body over 64 KiB',
  415: 'Body is not application/json',
  422: 'Not allowed in the current state, or a guard refused: `guard`, `state`, `explanation`',
  429: 'Too many failed sign-ins: see Retry-After',
  500: 'Internal error: quote `errorId`',
  503: 'The database does not answer',
};

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

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

  for (const route of routes) {
    const problems = [...new Set([...route.problems, 500])].sort((a, b) => a - b);
    const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {
      [String(route.success.status)]: route.success.schema
        ? {
            description: route.success.description,
            content: { [route.success.contentType ?? 'application/json']: { schema: route.success.schema } },
          }
        : { description: route.success.description },
    };
    for (const status of problems) {
      responses[String(status)] = {
        description: problemTitles[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      };
    }
    const security: Record<string, string[]>[] =
      route.access === 'session' ? [{ cookieSession: [] }, { bearerToken: [] }] : [];
    const roles = route.roles ? ` Roles: ${route.roles.join(', ')}.` : '';
    registry.registerPath({
      method: route.method,
      path: `${API_BASE}${route.path}`,
      operationId: route.operationId,
      summary: route.summary,
      description: `${route.description ?? ''}${roles}`.trim() || undefined,
      tags: [route.tag],
      security,
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.body
          ? { body: { required: true, content: { 'application/json': { schema: route.body as z.ZodType } } } }
          : {}),
      },
      responses,
    });
  }

  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Veilig Pad API',
      version: '1.0.0',
      description:
        'Workflow engine for gefaseerd samenwerken aan veiligheid. Errors are application/problem+json (RFC 9457). ' +
        'Every response carries `API-Version: 1`. A family the caller may not see answers 404.',
    },
    servers: [{ url: '/' }],
  });
}
