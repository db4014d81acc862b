import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 10: test kits stay out of the production module graph. Everything server/ and client/ import
// from machines/ is reached from index.ts (and the schemas); none of it may reach a test kit, a fixture
// or a test, and outside itself it imports only xstate and zod.

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../machines');
const importPattern = /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm;

function graphFrom(entries: readonly string[]): { files: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => resolve(root, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(importPattern)) {
      if (spec!.startsWith('.')) queue.push(resolve(dirname(file), spec!));
      else packages.add(spec!);
    }
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), packages };
}

describe('the production module graph of machines/', () => {
  const { files, packages } = graphFrom(['index.ts', 'schemas/events.ts', 'schemas/common.ts']);

  it('reaches the chart, its rules and its engine', () => {
    expect(files).toContain('familyCase/familyCase.machine.ts');
    expect(files).toContain('familyCase/rules/stability.ts');
  });

  it('holds no test kit, fixture or test', () => {
    expect(files.filter((f) => /(^|\/)(testing|__fixtures__)\/|\.test\.ts$/.test(f))).toEqual([]);
  });

  it('imports only xstate and zod from outside', () => {
    expect([...packages].filter((p) => p !== 'xstate' && p !== 'zod')).toEqual([]);
  });
});
