/**
 * Backup and restore of the database named by DATABASE_URL (see RELIABILITY.md for the procedure).
 * Backups go to data/backups/ unless --out says otherwise (data/ is not versioned).
 *
 *   npm run backup  -- [--out FILE]        online, consistent copy while the server keeps running
 *   npm run restore -- --from FILE [--force]
 *   npm run backup  -- verify              check every family's hash chain and replay
 *
 * SQLite: `VACUUM INTO` writes a consistent copy in one read transaction: safe in WAL mode while the
 * server writes (readers never block the writer, the copy includes every committed transaction up
 * to its start and nothing after). Restore copies the file into place: the server must be stopped.
 * PostgreSQL: `pg_dump --format=custom` of the one schema (a single repeatable-read snapshot);
 * restore with `pg_restore --single-transaction --exit-on-error` into a database where that schema
 * does not exist yet (a fresh database, or after dropping the damaged schema). The schema keeps its
 * name: a dump of `?schema=x` restores as schema x.
 * Both: the restored database is opened the way the server opens it (migration history checked) and
 * every family's chain is verified and replayed before the command reports success.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { openDatabase, providerOf, redactUrl, type Db } from '../server/db/index.ts';
import { canonicalJson, loadFamily, replay, verify } from '../server/engine/index.ts';

export type Io = { out: (line: string) => void; err: (line: string) => void };

function sqlitePath(url: string): string {
  return path.resolve(decodeURIComponent(url.replace(/^file:(\/\/)?/, '').split('?')[0] ?? ''));
}

/** libpq's URL without Prisma's `schema` parameter, and the schema it named. */
function pgTarget(url: string): { conn: string; schema: string } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'public';
  u.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  return { conn: u.toString(), schema };
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(`${cmd} could not run (${r.error.message}); install the PostgreSQL client tools`);
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${(r.stderr || r.stdout).trim()}`);
}

function defaultOut(provider: 'sqlite' | 'postgresql'): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.resolve('data', 'backups', `veilig-pad-${stamp}.${provider === 'sqlite' ? 'db' : 'dump'}`);
}

export async function backup(url: string, out: string, io: Io): Promise<void> {
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  if (existsSync(out)) throw new Error(`${out} exists; choose another --out`);
  if (providerOf(url) === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const source = sqlitePath(url);
    if (!existsSync(source)) throw new Error(`no database at ${source}`);
    const conn = new Database(source, { fileMustExist: true, timeout: 15_000 });
    try {
      conn.prepare('VACUUM INTO ?').run(path.resolve(out));
    } finally {
      conn.close();
    }
    const copy = new Database(path.resolve(out), { readonly: true });
    try {
      const verdict = copy.pragma('integrity_check', { simple: true });
      if (verdict !== 'ok') throw new Error(`the copy fails integrity_check: ${String(verdict)}`);
    } finally {
      copy.close();
    }
  } else {
    const { conn, schema } = pgTarget(url);
    run('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--schema=${schema}`,
      `--file=${out}`,
      `--dbname=${conn}`,
    ]);
  }
  io.out(`backup of ${redactUrl(url)} written to ${out} (${statSync(out).size} bytes)`);
}

export async function restore(url: string, from: string, opts: { force?: boolean }, io: Io): Promise<void> {
  if (!existsSync(from)) throw new Error(`no backup at ${from}`);
  if (providerOf(url) === 'sqlite') {
    const target = sqlitePath(url);
    if (existsSync(target)) {
      if (!opts.force)
        throw new Error(
          `${target} exists; stop the server and pass --force to replace it (it is kept aside)`,
        );
      const aside = `${target}.before-restore-${Date.now()}`;
      renameSync(target, aside);
      for (const suffix of ['-wal', '-shm'])
        if (existsSync(target + suffix)) renameSync(target + suffix, aside + suffix);
      io.out(`the previous database is kept at ${aside}`);
    }
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(from, target);
  } else {
    const { conn, schema } = pgTarget(url);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: conn });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'SELECT COUNT(*)::text AS n FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      const tables = Number(rows[0]?.n ?? 0);
      if (tables > 0) {
        if (!opts.force)
          throw new Error(`schema ${schema} already holds ${tables} tables; drop it first or pass --force`);
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
        io.out(`dropped the existing schema ${schema}`);
      } else if (schema !== 'public') {
        // An empty schema of that name (e.g. created by a server that then found nothing to migrate
        // into) would make the dump's CREATE SCHEMA fail: it holds nothing, so it goes.
        await client.query(`DROP SCHEMA IF EXISTS "${schema}"`);
      }
    } finally {
      await client.end();
    }
    run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${conn}`,
      from,
    ]);
  }
  const db = await openDatabase(url);
  try {
    const checked = await verifyAll(db, io);
    io.out(
      `restored ${redactUrl(url)} from ${from}: ${checked.families} families, ${checked.events} events, all chains valid`,
    );
  } finally {
    await db.close();
  }
}

/** Every family's chain verifies and its replay equals the stored state; throws naming the bad ones. */
export async function verifyAll(db: Db, io: Io): Promise<{ families: number; events: number }> {
  const ids = (await db.prisma.family.findMany({ select: { id: true } })).map((f) => f.id);
  const bad: string[] = [];
  let events = 0;
  for (const id of ids) {
    const v = await verify(db, id);
    events += v.events;
    if (!v.valid) {
      bad.push(`${id}: chain broken at ${v.brokenAt}`);
      continue;
    }
    const [stored, replayed] = await Promise.all([loadFamily(db, id), replay(db, id)]);
    if (!stored || canonicalJson(stored.snapshot) !== canonicalJson(replayed.snapshot))
      bad.push(`${id}: stored state differs from its replay`);
  }
  if (bad.length > 0) {
    for (const b of bad) io.err(b);
    throw new Error(`${bad.length} of ${ids.length} families fail verification`);
  }
  return { families: ids.length, events };
}

const usage = `Usage:
  npm run backup  -- [--out FILE]           consistent online backup of DATABASE_URL
  npm run restore -- --from FILE [--force]  restore into DATABASE_URL (SQLite: server stopped)
  npm run backup  -- verify                 verify every family's chain and replay`;

export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        from: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  // `npm run backup -- verify` arrives as `backup verify`: the last word is the command.
  const command = parsed.positionals.at(-1) ?? 'backup';
  if (parsed.values.help || !['backup', 'restore', 'verify'].includes(command)) {
    io.err(usage);
    return parsed.values.help ? 0 : 2;
  }
  try {
    const { databaseUrl } = loadConfig(env);
    if (command === 'backup')
      await backup(databaseUrl, parsed.values.out ?? defaultOut(providerOf(databaseUrl)), io);
    else if (command === 'restore') {
      if (!parsed.values.from) throw new Error('give --from FILE');
      await restore(databaseUrl, parsed.values.from, { force: parsed.values.force ?? false }, io);
    } else {
      const db = await openDatabase(databaseUrl, { migrate: false });
      try {
        const r = await verifyAll(db, io);
        io.out(`${r.families} families, ${r.events} events: all chains valid`);
      } finally {
        await db.close();
      }
    }
    return 0;
  } catch (e) {
    io.err(`Error: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2), process.env, {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
}
