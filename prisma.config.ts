import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI runs with the JS schema engine through a driver adapter: Prisma's native engines
// cannot be downloaded here. `url = env(...)` stays in the datasource, or the CLI fetches one.
process.env.DATABASE_URL ??= 'file:./data/veilig-pad.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    const file = (process.env.DATABASE_URL ?? 'file:./data/veilig-pad.db').replace(/^file:/, '');
    // On a fresh clone data/ does not exist yet, and opening the file would fail (`External error`).
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSQLite3({ url: file });
  },
});
