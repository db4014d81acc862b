import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.ts';

// Issue 11 item 14: a fresh `npm install` rewrote the committed package-lock.json (the root package's
// `hasInstallScript`), so every clone started with a modified lock. The lock must be what npm writes.

const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('package-lock.json', () => {
  it('is the lock npm writes for package.json: root install scripts, dependencies and versions', () => {
    const pkg = read('package.json') as { scripts: Record<string, string>; dependencies: object; devDependencies: object };
    const lock = read('package-lock.json') as { packages: Record<string, Record<string, unknown>> };
    const root = lock.packages['']!;
    const installScripts = ['preinstall', 'install', 'postinstall'].some((s) => s in pkg.scripts);
    expect(root.hasInstallScript === true).toBe(installScripts);
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
  });
});
