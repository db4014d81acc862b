// @ts-check
import tseslint from 'typescript-eslint';

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
    // The rules of the phased approach are pure: no I/O, no HTTP, no database, no UI.
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/server'], message: 'machines/ must not depend on server/.' },
            { group: ['**/client/**', '**/client'], message: 'machines/ must not depend on client/.' },
            { group: ['@prisma/*', 'prisma', '**/generated/**'], message: 'machines/ must not touch the database.' },
            { group: ['express', 'express/*', 'pg', 'better-sqlite3', 'react', 'react-dom', 'node:*', 'fs', 'path'], message: 'machines/ imports only xstate and schemas.' },
          ],
        },
      ],
    },
  },
  {
    // The browser bundle must not pull in server code or the database.
    files: ['client/**/*.ts', 'client/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/server'], message: 'client/ talks to the server over HTTP only.' },
            { group: ['@prisma/*', 'prisma', 'pg', 'better-sqlite3', 'express'], message: 'client/ must not touch the database.' },
          ],
        },
      ],
    },
  },
);
