import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivePostgresSchema } from '../../scripts/prisma-sync.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('one model source', () => {
  it('the committed migrations match prisma/schema.prisma (no model change without a migration)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'prisma-sync.ts'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('migrations match prisma/schema.prisma');
  });

  it('the PostgreSQL schema differs from the SQLite one only in provider and client output', () => {
    const sqlite = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
    const pg = derivePostgresSchema(sqlite, './postgresql');
    expect(pg).toMatch(/provider\s*=\s*"postgresql"/);
    expect(pg).toMatch(/output\s*=\s*"\.\/postgresql"/);
    const strip = (s: string) =>
      s
        .replace(/^\/\/ GENERATED.*\n/, '')
        .replace(/"sqlite"|"postgresql"/g, 'P')
        .replace(/output\s*=\s*"[^"]*"/, 'output');
    expect(strip(pg)).toBe(strip(sqlite));
  });

  it('refuses a schema whose provider is not sqlite', () => {
    expect(() => derivePostgresSchema('datasource db {\n provider = "mysql"\n}', './x')).toThrow(/provider = "sqlite"/);
  });
});
