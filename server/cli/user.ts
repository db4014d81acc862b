import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { roleSchema, type Role } from '../../machines/schemas/common.ts';
import { regions } from '../../machines/schemas/regions.ts';
import { loadConfig, processEnvironment } from '../config.ts';
import { isUniqueViolation, openDatabase } from '../db/index.ts';
import { systemClock } from '../clock.ts';
import { addUser } from '../cases/createUser.ts';
import { setPassword } from '../cases/setPassword.ts';
import { updateUser } from '../cases/updateUser.ts';
import { findUserIdByUsername } from '../db/users.ts';
import { AppError, isAppError } from '../errors.ts';

// Production accounts come from this command, never from seed data: the password is typed (twice,
// unechoed) on a terminal or piped on stdin, so it appears in no shell history or process list.
// The first administrator of an install is added here; after that the administration screens do
// the same through the same use cases (server/cases: addUser, updateUser, setPassword), with the
// same password rules and admin-log rows (actor: the command line).

const usage = `Usage:
  npm run user -- add --username NAME --role ROLE [--role ROLE…] [--display-name "Name"] [--region zuid-limburg]
  npm run user -- disable --username NAME      (also revokes every session of the user)
  npm run user -- password --username NAME     (sets a new password)
The password is read from standard input (asked twice on a terminal).
Roles: vt, director, auditor, admin. Regions: ${Object.keys(regions).join(', ')}.`;

export type CliIo = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
};

/** Reads one line without echoing it when stdin is a terminal. */
function askHidden(io: CliIo, prompt: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  io.stderr.write(prompt);
  const rl = createInterface({ input: io.stdin, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    });
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function readPassword(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) {
    const first = await askHidden(io, 'Password: ');
    const second = await askHidden(io, 'Repeat password: ');
    if (first !== second) throw new Error('The passwords differ');
    return first;
  }
  const text = await readAll(io.stdin);
  return (text.split(/\r?\n/)[0] ?? '').trimEnd();
}

function rolesOf(values: string[]): Role[] {
  const roles = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (roles.length === 0) throw new Error('Give at least one --role');
  return [...new Set(roles.map((r) => {
    const parsed = roleSchema.safeParse(r);
    if (!parsed.success) throw new Error(`Unknown role "${r}"`);
    return parsed.data;
  }))];
}

/** Runs the command; returns the process exit code. */
export async function runUserCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        username: { type: 'string' },
        role: { type: 'string', multiple: true },
        'display-name': { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const [command] = parsed.positionals;
  const o = parsed.values;
  if (o.help || !command || !['add', 'disable', 'password'].includes(command) || !o.username) {
    io.stderr.write(`${usage}\n`);
    return o.help ? 0 : 2;
  }

  let db;
  try {
    const config = loadConfig(io.env);
    db = await openDatabase(config.databaseUrl);
    const deps = { db, clock: systemClock };
    const operator = { principal: null, ip: null };
    if (command === 'disable') {
      const id = await findUserIdByUsername(db.direct, o.username);
      if (!id) throw new AppError('not_found', 'No such user');
      const { sessionsEnded } = await updateUser(deps, operator, id, { disabled: true });
      io.stdout.write(`Disabled ${o.username}; their sessions have ended (revoked ${sessionsEnded} session(s)).\n`);
      return 0;
    }
    const roles = command === 'add' ? rolesOf(o.role ?? []) : [];
    if (o.region !== undefined && !(o.region in regions)) throw new Error(`Unknown region "${o.region}"`);
    const password = await readPassword(io);
    if (command === 'password') {
      await setPassword(db, o.username, password);
      io.stdout.write(`Password of ${o.username} changed.\n`);
      return 0;
    }
    const { user } = await addUser(deps, operator, {
      username: o.username,
      password,
      roles,
      displayName: o['display-name'] ?? '',
      region: o.region ?? null,
    });
    io.stdout.write(`Added ${user.username} (${user.roles.join(', ')}) with id ${user.id}.\n`);
    return 0;
  } catch (e) {
    const message = isAppError(e)
      ? `${e.message}${e.details.errors ? `: ${e.details.errors.map((i) => `${i.path} ${i.message}`).join('; ')}` : ''}`
      : isUniqueViolation(e)
        ? 'A user with that username already exists'
        : (e as Error).message;
    io.stderr.write(`Error: ${message}\n`);
    return 1;
  } finally {
    await db?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runUserCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: processEnvironment(),
  });
  process.exitCode = code;
}
