import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../define.ts';
import { docsCss, docsHtml, docsJs } from '../docs.ts';
import { sendText } from '../encoding.ts';
import type { OpenApiDocument } from '../openapi.ts';

const text = z.string();

/** The document describes itself too: these routes are in the same table as every other. */
export function docsRoutes(document: () => OpenApiDocument): AnyRoute[] {
  const asset = (path: string, operationId: string, type: string, body: string, summary: string) =>
    defineRoute({
      method: 'get',
      path,
      operationId,
      summary,
      tag: 'Documentation',
      access: 'public',
      success: { status: 200, description: summary, schema: text, contentType: type },
      problems: [],
      handler: ({ req, res }) => {
        sendText(req, res, body, type);
        return undefined;
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This OpenAPI 3.1 document, generated from the zod schemas',
      tag: 'Documentation',
      access: 'public',
      success: { status: 200, description: 'The document', schema: z.record(z.string(), z.unknown()) },
      problems: [],
      handler: ({ res }) => {
        // Public and readable from any origin (API Design Rules); it holds no data.
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
        return document();
      },
    }),
    asset('/docs', 'docs', 'text/html; charset=utf-8', docsHtml, 'Browsable API documentation'),
    asset('/docs/docs.js', 'docsScript', 'text/javascript; charset=utf-8', docsJs, 'Script of the documentation page'),
    asset('/docs/docs.css', 'docsStyle', 'text/css; charset=utf-8', docsCss, 'Style of the documentation page'),
  ];
}
