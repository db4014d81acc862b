import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { runUserCli } from '../../server/cli/user.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';

// `npm run user -- add|disable|password`: production accounts without seed data or default passwords.

function io(db: TestDb, stdinText: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (c: Buffer) => (chunks.out += c.toString()));
  err.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const url = db.provider === 'sqlite' ? db.url : `${db.url}${db.url.includes('?') ? '&' : '?'}schema=${db.schema}`;
  return {
    io: { stdin: Readable.from([stdinText]), stdout: out, stderr: err, env: { DATABASE_URL: url, NODE_ENV: 'production' } },
    chunks,
  };
}

describe.each(backends())('user CLI (%s)', (provider) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(provider);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('adds a user with the password from stdin, hashed with argon2id', async () => {
    const { io: cli, chunks } = io(db, 'een-lang-wachtwoord-2025\n');
    const code = await runUserCli(
      ['add', '--username', 'Jansen', '--role', 'director', '--display-name', 'J. Jansen', '--region', 'zuid-limburg'],
      cli,
    );
    expect(code, chunks.err).toBe(0);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { username: 'jansen' } });
    expect(user).toMatchObject({ displayName: 'J. Jansen', roles: 'director', region: 'zuid-limburg', disabledAt: null });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, 'een-lang-wachtwoord-2025')).toBe(true);
    expect(chunks.out).not.toContain('een-lang-wachtwoord-2025');
  });

  it('refuses unknown roles, unknown regions, short passwords and duplicates', async () => {
    expect(await runUserCli(['add', '--username', 'a1', '--role', 'king'], io(db, 'een-lang-wachtwoord\n').io)).toBe(1);
    expect(await runUserCli(['add', '--username', 'a2', '--role', 'vt', '--region', 'mars'], io(db, 'een-lang-wachtwoord\n').io)).toBe(1);
    expect(await runUserCli(['add', '--username', 'a3', '--role', 'vt'], io(db, 'kort\n').io)).toBe(1);
    expect(await runUserCli(['add', '--username', 'a5', '--role', 'vt,auditor'], io(db, 'een-lang-wachtwoord\n').io)).toBe(1);
    expect(await runUserCli(['add', '--username', 'a4', '--role', 'vt,auditor', '--region', 'zuid-limburg'], io(db, 'een-lang-wachtwoord\n').io)).toBe(0);
    const dup = io(db, 'een-lang-wachtwoord\n');
    expect(await runUserCli(['add', '--username', 'a4', '--role', 'vt', '--region', 'zuid-limburg'], dup.io)).toBe(1);
    expect(dup.chunks.err).toMatch(/already exists/);
    expect(await db.prisma.user.count()).toBe(1);
    expect((await db.prisma.user.findFirstOrThrow()).roles).toBe('vt,auditor');
    expect(await runUserCli(['frobnicate', '--username', 'x'], io(db, '').io)).toBe(2);
  });

  it('disables a user and revokes their sessions', async () => {
    expect(await runUserCli(['add', '--username', 'b1', '--role', 'vt', '--region', 'zuid-limburg'], io(db, 'een-lang-wachtwoord\n').io)).toBe(0);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { username: 'b1' } });
    const now = new Date();
    await db.prisma.session.create({
      data: { id: 's1', tokenHash: 'h1', csrfToken: 'c', userId: user.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
    });
    const { io: cli, chunks } = io(db, '');
    expect(await runUserCli(['disable', '--username', 'b1'], cli)).toBe(0);
    expect(chunks.out).toMatch(/sessions have ended/);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt).not.toBeNull();
    expect((await db.prisma.session.findUniqueOrThrow({ where: { id: 's1' } })).revokedAt).not.toBeNull();
    expect(await runUserCli(['disable', '--username', 'nobody'], io(db, '').io)).toBe(1);
  });
});
