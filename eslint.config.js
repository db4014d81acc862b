// @ts-check
import tseslint from 'typescript-eslint';
import { importBoundaries } from './scripts/lint/import-boundaries.js';

const root = import.meta.dirname;
const local = { rules: { 'import-boundaries': importBoundaries } };

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
    files: ['machines/**/*.test.ts', 'machines/**/__fixtures__/**/*.ts', 'machines/familyCase/randomHistories.ts'],
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
);
