import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/auth/demoPasswords.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { setPassword } from '../../server/cases/setPassword.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { startServerProcess } from '../support/server-process.ts';

// Issue 11 item 8: a database seeded in development (demo accounts, password `demo`) and then
// started with NODE_ENV=production accepted `auditor`/`demo`. Start must refuse, and say how to fix it.

describe.each(backends())('start in production (%s)', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(provider);
    await createUser(db, { username: 'auditor', password: DEMO_PASSWORD, roles: ['auditor'] });
    await createUser(db, { username: 'echte-regisseur', password: 'a long and real password', roles: ['director'] });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const production = () =>
    startServerProcess({
      databaseUrl: db.url,
      clockStart: new Date(),
      env: { NODE_ENV: 'production', CLOCK: 'system' },
    });

  it('refuses to start while an account has the demo password, naming the fix; starts once it is changed', async () => {
    const refused = await production().then(
      async (server) => {
        await server.stop();
        return null;
      },
      (e: Error) => e.message,
    );
    expect(refused, 'the server started with a demo password in production').not.toBeNull();
    expect(refused).toMatch(/exited before listening \(\{"code":1/);
    expect(refused).toContain('demo password');
    expect(refused).toContain('npm run user -- password --username auditor');
    expect(refused).not.toContain('echte-regisseur');

    await setPassword(db, 'auditor', 'a new password for the auditor');
    const server = await production();
    try {
      const health = await fetch(`${server.base}/api/v1/health`);
      expect(health.status).toBe(200);
      const demo = await fetch(`${server.base}/api/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'auditor', password: DEMO_PASSWORD }),
      });
      expect(demo.status).toBe(401);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  }, 180_000);
});
