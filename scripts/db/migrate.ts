/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (the server also does this on
 * start; this is for deployments that migrate as a separate step). Exits 1 on a refused history.
 */
import { loadConfig } from '../../server/config.ts';
import { applyMigrations, redactUrl } from '../../server/db/index.ts';

try {
  const { databaseUrl } = loadConfig();
  const applied = await applyMigrations(databaseUrl);
  console.log(
    applied.length ? `applied to ${redactUrl(databaseUrl)}:\n  ${applied.join('\n  ')}` : `${redactUrl(databaseUrl)} is up to date`,
  );
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
