import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// Config for the PostgreSQL side, used only by scripts/prisma-sync.ts (generate, migrate diff).
// The schema is derived from prisma/schema.prisma into the gitignored generated folder. With the
// SQLite config the CLI would try to download a PostgreSQL engine; with PrismaPg it stays offline.
// Nothing here connects: generate and `migrate diff --*-schema-datamodel` never open the URL.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  // Absolute: the CLI resolves relative paths against this file's folder, not the working directory.
  schema: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'server', 'db', 'generated', 'postgresql.prisma'),
  async adapter() {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
