import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder boundaries of machines/, contract/ and client/ are lint rules (eslint.config.js). Each is
// proved here on a planted import: the text is linted as if it were a file at that path (nothing is
// written to disk), with only the boundary rule running so that no type information is needed.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  ruleFilter: ({ ruleId }) => ruleId === 'local/import-boundaries',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const cases: { file: string; allowed: string[]; refused: string[] }[] = [
  {
    file: 'machines/schemas/planted.ts',
    allowed: ["import { z } from 'zod';", "import { setup } from 'xstate';", "import { roleSchema } from './common.ts';", "export * from '../familyCase/rules.ts';"],
    refused: [
      "import { config } from '../../server/config.ts';",
      "import { problemSchema } from '../../contract/index.ts';",
      "import { App } from '../../client/src/App.tsx';",
      "import express from 'express';",
      "import { readFileSync } from 'node:fs';",
      "export * from '../../tests/support/db.ts';",
      "const m = await import('../../server/main.ts');",
    ],
  },
  {
    file: 'machines/familyCase/planted.ts',
    allowed: ["import { eventTypes } from '../schemas/events.ts';", "import { addDays } from './calendar.ts';"],
    refused: ["import { PrismaClient } from '@prisma/client';", "import type { FamilyView } from '../../contract/index.ts';"],
  },
  {
    file: 'contract/planted.ts',
    allowed: ["import { z } from 'zod';", "import { eventTypes } from '../machines/schemas/events.ts';", "import { problemSchema } from './problem.ts';"],
    refused: [
      "import { createEngine } from '../machines/familyCase/engine.ts';",
      "import { createEngine } from '../machines/index.ts';",
      "import { config } from '../server/config.ts';",
      "import { api } from '../client/src/api.ts';",
      "import { setup } from 'xstate';",
      "import express from 'express';",
    ],
  },
  {
    file: 'client/src/planted.tsx',
    allowed: [
      "import type { FamilyView } from '../../contract/index.ts';",
      "import { eventTypes } from '../../machines/schemas/events.ts';",
      "import { useState } from 'react';",
    ],
    refused: [
      "import { config } from '../../server/config.ts';",
      "import { createEngine } from '../../machines/familyCase/engine.ts';",
      "import { PrismaClient } from '@prisma/client';",
      "import express from 'express';",
    ],
  },
];

describe('lint: import boundaries of machines/, contract/ and client/', () => {
  for (const { file, allowed, refused } of cases) {
    it(`${file}: allowed imports pass`, async () => {
      for (const code of allowed) expect(await boundaryErrors(file, code), code).toEqual([]);
    });
    it(`${file}: each planted import fails lint`, async () => {
      for (const code of refused) {
        const errors = await boundaryErrors(file, code);
        expect(errors, code).toHaveLength(1);
        expect(errors[0], code).toMatch(/^local\/import-boundaries: /);
      }
    });
  }
});
