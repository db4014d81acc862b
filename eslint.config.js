// @ts-check
import tseslint from 'typescript-eslint';
import { importBoundaries } from './scripts/lint/import-boundaries.js';

const root = import.meta.dirname;
const local = { rules: { 'import-boundaries': importBoundaries } };

/** SQL text, the Prisma client and raw queries: only server/db may hold them. */
const persistenceOnlyInDb = [
  {
    selector: 'Literal[value=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\\s/]',
    message: 'SQL belongs in server/db (a repository function).',
  },
  {
    selector: 'TemplateElement[value.raw=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\\s/]',
    message: 'SQL belongs in server/db (a repository function).',
  },
  { selector: "MemberExpression[property.name='prisma']", message: 'The Prisma client is used in server/db only.' },
  {
    selector: 'MemberExpression[property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)$/]',
    message: 'Raw queries and transactions of the Prisma client belong in server/db.',
  },
];

const onlyConfigReadsEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Only server/config.ts reads process.env (take the value from the Config).',
};

/** Database drivers and the generated client: server/db only. */
const noDrivers = [
  {
    group: ['pg', 'better-sqlite3', '@prisma/*', '**/db/generated/**'],
    message: 'Database drivers and the Prisma client are used in server/db only.',
  },
];

/**
 * @param {string[]} files
 * @param {{ group: string[]; message: string }[]} patterns
 */
const restrictImports = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

/** @param {string} room */
const noHttpFrom = (room) => [
  { group: ['**/http/**', '**/http', 'express', 'express/*'], message: `${room} must not depend on HTTP (server/http, express).` },
];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'server/db/generated/', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The rules of the phased approach are pure: no I/O, no HTTP, no database, no UI. machines/ imports
    // only xstate, zod and itself.
    files: ['machines/**/*.ts'],
    plugins: { local },
    rules: {
      'local/import-boundaries': [
        'error',
        { root, allowDirs: ['machines'], allowPackages: ['xstate', 'zod'], message: 'machines/ imports only xstate, zod and itself.' },
      ],
    },
  },
  {
    // The machine's tests and their generators may use the test tools as well.
    files: ['machines/**/*.test.ts', 'machines/**/__fixtures__/**/*.ts', 'machines/familyCase/testing/**/*.ts'],
    plugins: { local },
    rules: {
      'local/import-boundaries': [
        'error',
        {
          root,
          allowDirs: ['machines'],
          allowPackages: ['xstate', 'zod', 'vitest', 'fast-check'],
          message: 'machines/ imports only xstate, zod and itself (tests also vitest and fast-check).',
        },
      ],
    },
  },
  {
    // The HTTP contract is shared by server and client: zod and the machine's own schemas at most.
    files: ['contract/**/*.ts'],
    plugins: { local },
    rules: {
      'local/import-boundaries': [
        'error',
        {
          root,
          allowDirs: ['contract', 'machines/schemas'],
          allowPackages: ['zod'],
          message: 'contract/ imports only zod, itself and machines/schemas.',
        },
      ],
    },
  },
  {
    // The browser bundle must not pull in server code or the database: the client speaks HTTP, typed
    // by contract/ and the machine's schemas.
    files: ['client/**/*.ts', 'client/**/*.tsx'],
    plugins: { local },
    rules: {
      'local/import-boundaries': [
        'error',
        {
          root,
          allowDirs: ['client', 'contract', 'machines/schemas'],
          denyPackages: ['@prisma/*', 'prisma', 'pg', 'better-sqlite3', 'express', 'argon2', 'pino'],
          message: 'client/ talks to the server over HTTP only; it may import contract/ and machines/schemas.',
        },
      ],
    },
  },
  // ---------------------------------------------------------------- server rooms (ARCHITECTURE.md)
  // One block per room; the blocks' `files` do not overlap, so no block replaces another's
  // no-restricted-imports. tests/lint/boundaries.test.ts plants a forbidden import in each room.
  {
    // Persistence lives in server/db alone: no SQL text, no Prisma client, no database driver elsewhere.
    files: ['server/**/*.ts'],
    ignores: ['server/db/**'],
    rules: {
      'no-restricted-syntax': ['error', ...persistenceOnlyInDb, onlyConfigReadsEnv],
    },
  },
  {
    // server/config.ts parses the environment once; nothing else in server/ reads process.env.
    files: ['server/config.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...persistenceOnlyInDb],
    },
  },
  {
    files: ['server/seed/**/*.ts', 'server/cli/**/*.ts', 'server/auth/**/*.ts', 'server/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: noDrivers }],
    },
  },
  {
    // The engine never calls back into HTTP or into a use case.
    files: ['server/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...noDrivers, ...noHttpFrom('server/engine'), { group: ['**/cases/**'], message: 'server/engine must not depend on server/cases (use cases call the engine).' }] },
      ],
    },
  },
  {
    // Use cases know no HTTP.
    files: ['server/cases/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noDrivers, ...noHttpFrom('server/cases')] }],
    },
  },
  // The persistence module knows no rules of the engine, no policy, no use case, no HTTP.
  restrictImports(['server/db/**/*.ts'], [
    { group: ['**/engine/**', '**/engine'], message: 'server/db must not depend on server/engine.' },
    { group: ['**/auth/**', '**/auth'], message: 'server/db must not depend on server/auth.' },
    { group: ['**/cases/**', '**/http/**'], message: 'server/db must not depend on use cases or HTTP.' },
  ]),
  // Routes parse, call one use case (server/cases) and answer.
  restrictImports(['server/http/routes/**/*.ts'], [
    ...noDrivers,
    { group: ['**/db/**', '**/db'], message: 'Routes call use cases (server/cases), not the persistence module.' },
    { group: ['**/engine/**', '**/engine'], message: 'Routes call use cases (server/cases), not the engine.' },
  ]),
  restrictImports(['server/http/*.ts'], [
    ...noDrivers,
    { group: ['**/engine/**', '**/engine'], message: 'The HTTP layer calls use cases (server/cases), not the engine.' },
  ]),
);
