import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Builds the web client into a new temporary directory (never touching dist/) and returns that
 * directory: for the browser tests and the Lighthouse bench, which serve their own build.
 */
export async function buildClient(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'veilig-client-'));
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
  if (!existsSync(path.join(dir, 'index.html'))) throw new Error('vite build produced no index.html');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
