import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The rooms of ARCHITECTURE.md are enforced by eslint.config.js. Each case plants a forbidden import
// or statement in a file of a room (linted as text under that path, nothing is written) and proves
// the rule fires; a control proves the same text passes where it is allowed.

const root = path.resolve(import.meta.dirname, '../..');

// Type information is not needed for the boundary rules; the planted files do not exist on disk.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax',
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const sqlText = 'export const q = `SELECT "id" FROM "Family" WHERE "id" = ?`;\n';
const plainSql = "export const q = 'UPDATE \"Timer\" SET \"status\" = 1';\n";
const prismaCall = 'declare const db: { prisma: { family: { count(): Promise<number> } } };\nexport const n = db.prisma.family.count();\n';
const rawQuery = 'declare const c: { $queryRaw: (s: TemplateStringsArray) => unknown };\nexport const r = c.$queryRaw`x`;\n';

describe('lint keeps the rooms apart', () => {
  it.each([
    ['server/engine/planted.ts', sqlText],
    ['server/cases/planted.ts', plainSql],
    ['server/http/routes/planted.ts', prismaCall],
    ['server/seed/planted.ts', rawQuery],
    ['server/auth/planted.ts', sqlText],
  ])('refuses SQL and Prisma outside server/db (%s)', async (file, code) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(/^no-restricted-syntax: .*server\/db/)]);
  });

  it('allows SQL and Prisma inside server/db', async () => {
    for (const code of [sqlText, plainSql, prismaCall, rawQuery]) expect(await problems('server/db/planted.ts', code)).toEqual([]);
  });

  it.each([
    ['server/engine/planted.ts', "import pg from 'pg';\nexport const x = pg;\n"],
    ['server/cases/planted.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['server/http/routes/planted.ts', "import { Pool } from 'pg';\nexport const x = Pool;\n"],
    ['server/engine/planted.ts', "export { PrismaClient } from '../db/generated/sqlite/client.ts';\n"],
    ['server/seed/planted.ts', "import { PrismaPg } from '@prisma/adapter-pg';\nexport const x = PrismaPg;\n"],
  ])('refuses database drivers outside server/db (%s)', async (file, code) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*server\/db only/)]);
  });

  it.each([
    ['server/db/planted.ts', "import { dispatch } from '../engine/store.ts';\nexport const x = dispatch;\n", /server\/db must not depend on server\/engine/],
    ['server/db/planted.ts', "import { visibleAs } from '../auth/policy.ts';\nexport const x = visibleAs;\n", /server\/db must not depend on server\/auth/],
    ['server/db/planted.ts', "import { viewFamily } from '../cases/viewFamily.ts';\nexport const x = viewFamily;\n", /use cases or HTTP/],
    ['server/engine/planted.ts', "import { mountRoutes } from '../http/define.ts';\nexport const x = mountRoutes;\n", /server\/engine must not depend on HTTP/],
    ['server/engine/planted.ts', "import { recordEvent } from '../cases/recordEvent.ts';\nexport const x = recordEvent;\n", /server\/engine must not depend on server\/cases/],
    ['server/cases/planted.ts', "import type { Request } from 'express';\nexport type X = Request;\n", /server\/cases must not depend on HTTP/],
    ['server/http/routes/planted.ts', "import { findFamily } from '../../db/families.ts';\nexport const x = findFamily;\n", /not the persistence module/],
    ['server/http/routes/planted.ts', "import { dispatch } from '../../engine/store.ts';\nexport const x = dispatch;\n", /not the engine/],
    ['server/http/planted.ts', "import { dispatch } from '../engine/store.ts';\nexport const x = dispatch;\n", /not the engine/],
  ])('refuses a forbidden import between rooms (%s)', async (file, code, message) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(message)]);
  });

  it('lets only server/config.ts read process.env', async () => {
    const code = 'export const level = process.env.LOG_LEVEL;\n';
    for (const file of ['server/logger.ts', 'server/seed/planted.ts', 'server/engine/planted.ts']) {
      expect(await problems(file, code)).toEqual([expect.stringMatching(/^no-restricted-syntax: Only server\/config.ts reads process.env/)]);
    }
    expect(await problems('server/config.ts', code)).toEqual([]);
  });

  it('allows what the rooms may import', async () => {
    expect(await problems('server/cases/planted.ts', "import { findFamily } from '../db/families.ts';\nimport { dispatch } from '../engine/store.ts';\nexport const x = [findFamily, dispatch];\n")).toEqual([]);
    expect(await problems('server/engine/planted.ts', "import { findFamily } from '../db/families.ts';\nexport const x = findFamily;\n")).toEqual([]);
    expect(await problems('server/http/routes/planted.ts', "import { recordEvent } from '../../cases/recordEvent.ts';\nexport const x = recordEvent;\n")).toEqual([]);
  });
});
