import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { newReport, PASSWORD, startHarness, type Client, type Harness } from './harness.ts';
import { createFamily, current, handedOver, issueCode, iso, memberClient, planFor, send, useVersionReader } from './flows.ts';

// The authorisation matrix, generated from the OpenAPI document: every documented operation is
// called by every kind of caller, on a family of their own and on someone else's. An operation
// without a row here fails the test, so a new route cannot escape the matrix.

type Subject = 'anonymous' | 'vt:own' | 'vt:other' | 'director:own' | 'director:other' | 'auditor' | 'admin' | 'member';
/** `member`: a household member of the family, signed in with an access code (issue 15). */
const subjects: Subject[] = ['anonymous', 'vt:own', 'vt:other', 'director:own', 'director:other', 'auditor', 'admin', 'member'];

const all = (status: number): Record<Subject, number> =>
  Object.fromEntries(subjects.map((s) => [s, status])) as Record<Subject, number>;

/**
 * Reading one family: own → 200, someone else's → 404 (its existence is not revealed), admin → 403.
 * A household member gets 404 on every family route (no family exists for them) and 403 on every
 * professional route; only their own routes (/my-family…, /me, signing out) answer them.
 */
const familyRead: Record<Subject, number> = {
  anonymous: 401,
  'vt:own': 200,
  'vt:other': 404,
  'director:own': 200,
  'director:other': 404,
  auditor: 200,
  admin: 403,
  member: 404,
};
/** The member's own routes: the member only. */
const memberOnly = (status: number): Record<Subject, number> => ({ ...all(403), anonymous: 401, member: status });
/** The director's access codes: the family's director; VT of the region sees the family but is no director (the machine's 403). */
const directorsCodes = (status: number): Record<Subject, number> => ({
  ...familyRead,
  'vt:own': 403,
  'director:own': status,
  auditor: 403,
});

const expected: Record<string, Record<Subject, number>> = {
  'POST /api/v1/session': all(200),
  'DELETE /api/v1/session': { ...all(204), anonymous: 401 },
  'GET /api/v1/me': { ...all(200), anonymous: 401 },
  'POST /api/v1/families': { ...all(403), anonymous: 401, 'vt:own': 201 },
  'GET /api/v1/families': { ...all(200), anonymous: 401, admin: 403, member: 403 },
  'GET /api/v1/families/{id}': familyRead,
  'POST /api/v1/families/{id}/events': { ...familyRead, auditor: 403 },
  'GET /api/v1/families/{id}/history': familyRead,
  'GET /api/v1/families/{id}/replay': familyRead,
  'GET /api/v1/families/{id}/verify': familyRead,
  // Issue 13: the export is the auditor's alone (a role refusal is a 403, whoever's family it is).
  'GET /api/v1/families/{id}/export': { ...all(403), anonymous: 401, auditor: 200, member: 404 },
  // The check of every family: the auditor's; an id no check has (here the literal template) is a 404.
  'POST /api/v1/verifications': { ...all(403), anonymous: 401, auditor: 202 },
  'GET /api/v1/verifications/{verificationId}': { ...all(403), anonymous: 401, auditor: 404 },
  'GET /api/v1/monitoring': { ...all(403), anonymous: 401, 'vt:own': 200, 'vt:other': 200, auditor: 200 },
  'GET /api/v1/kpis': { ...all(403), anonymous: 401, 'vt:own': 200, 'vt:other': 200, auditor: 200 },
  'GET /api/v1/kpis/municipalities': { ...all(403), anonymous: 401, 'vt:own': 200, 'vt:other': 200, auditor: 200 },
  'GET /api/v1/access-log': { ...all(403), anonymous: 401, auditor: 200 },
  'GET /api/v1/health': all(200),
  'GET /api/v1/clock': all(200),
  'POST /api/v1/clock': { ...all(200), anonymous: 401, member: 403 },
  'GET /api/v1/directors': { ...all(200), anonymous: 401, auditor: 403, member: 403 },
  // Administration (issue 16): the admin role only; the admin log also for auditors. No family data.
  'GET /api/v1/users': { ...all(403), anonymous: 401, admin: 200 },
  'POST /api/v1/users': { ...all(403), anonymous: 401, admin: 201 },
  'GET /api/v1/users/{id}': { ...all(403), anonymous: 401, admin: 200 },
  'PATCH /api/v1/users/{id}': { ...all(403), anonymous: 401, admin: 200 },
  'POST /api/v1/users/{id}/reset': { ...all(403), anonymous: 401, admin: 200 },
  'GET /api/v1/norms': { ...all(403), anonymous: 401, admin: 200 },
  'PUT /api/v1/norms/{key}': { ...all(403), anonymous: 401, admin: 200 },
  'GET /api/v1/admin-log': { ...all(403), anonymous: 401, auditor: 200, admin: 200 },
  // Issue 14: moving families to the newest machine version, the administrator's alone; an id no job
  // has (here the literal template) is a 404. The request here moves no family (an empty list is a 400).
  'POST /api/v1/upgrades': { ...all(403), anonymous: 401, admin: 400 },
  'GET /api/v1/upgrades/{upgradeId}': { ...all(403), anonymous: 401, admin: 404 },
  // Anyone may try a code (throttled like sign-in); an unknown code is a 400 for everyone.
  'POST /api/v1/session/activate': all(400),
  // Every signed-in user may change their own password; a wrong current password is a 400.
  'POST /api/v1/me/password': { ...all(400), anonymous: 401, member: 403 },
  'GET /api/v1/openapi.json': all(200),
  'GET /api/v1/docs': all(200),
  'GET /api/v1/docs/docs.js': all(200),
  'GET /api/v1/docs/docs.css': all(200),
  // Issue 15, the family's own view: the director's access codes on the family, and the member's own routes.
  'POST /api/v1/families/{id}/member-access': directorsCodes(201),
  'DELETE /api/v1/families/{id}/member-access/{memberId}': directorsCodes(200),
  'GET /api/v1/my-family': memberOnly(200),
  'POST /api/v1/my-family/responses': memberOnly(201),
  'GET /api/v1/my-family/access-log': memberOnly(200),
};

const usernameOf: Record<Subject, string> = {
  anonymous: 'vt',
  'vt:own': 'vt',
  'vt:other': 'vtother',
  'director:own': 'director',
  'director:other': 'director2',
  auditor: 'auditor',
  admin: 'admin',
  member: 'director', // signs in with a code the director gives
};

describe.each(backends())('authorisation matrix from the OpenAPI document (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let family: FamilyView;
  let directorClient: Client;
  let memberId: string;
  let otherMemberId: string;
  /** The user the user routes change (reset ends its sessions: none of the callers). */
  let spareId: string;
  const clients = new Map<Subject, Client>();

  beforeAll(async () => {
    h = await startHarness(provider);
    vt = await h.login('vt');
    useVersionReader(vt);
    const director = await h.login('director');
    // With a plan, so that a member can answer it.
    const handed = await handedOver(h, vt, director, h.users.director.id);
    family = await send(director, handed.id, 'plan.agreed', planFor(handed));
    directorClient = director;
    // The member is the first adult; the codes of the matrix's own calls go to the second.
    [memberId, otherMemberId] = family.members.filter((m) => m.kind === 'adult').map((m) => m.id) as [string, string];
    for (const s of subjects)
      clients.set(
        s,
        s === 'anonymous' ? h.anonymous() : s === 'member' ? await memberClient(h, await issueCode(director, family.id, memberId)) : await h.login(usernameOf[s]),
      );
    spareId = (await createUser(h.db, { username: 'spare', password: PASSWORD, roles: ['director'], displayName: 'Sam Spare' })).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A request that passes validation, so that only authorisation decides the status. */
  async function call(subject: Subject, method: string, path: string): Promise<number> {
    let client = clients.get(subject)!;
    const url = path
      .replace('/users/{id}', `/users/${spareId}`)
      .replace('{id}', family.id)
      .replace('{memberId}', otherMemberId)
      .replace('{key}', 'stagnationDays.recovery');
    const newCode = () => issueCode(directorClient, family.id, memberId);
    if (method === 'DELETE' && path === '/api/v1/session' && subject !== 'anonymous') {
      // A session of its own to end.
      client = subject === 'member' ? await memberClient(h, await newCode()) : await h.login(usernameOf[subject]);
    }
    // Revoking needs an access to revoke: the director gives the other adult one first.
    if (method === 'DELETE' && path.includes('/member-access/') && subject === 'director:own')
      await issueCode(directorClient, family.id, otherMemberId);
    // Signing in replaces the session the request carries: sign in from a fresh client.
    if (method === 'POST' && path === '/api/v1/session') client = h.anonymous();
    let body: unknown;
    if (method === 'POST') {
      if (path === '/api/v1/session')
        body = subject === 'member' ? { accessCode: await newCode() } : { username: usernameOf[subject], password: PASSWORD };
      else if (path.endsWith('/member-access')) body = { memberId: otherMemberId };
      else if (path === '/api/v1/my-family/responses') body = { planVersion: 1, response: 'agree' };
      else if (path === '/api/v1/families') body = newReport();
      else if (path === '/api/v1/clock') body = { advanceMinutes: 1 };
      else if (path === '/api/v1/users')
        body = { username: `nieuw-${subject.replace(':', '-')}`, displayName: 'Nieuwe Regisseur', roles: ['director'] };
      else if (path.endsWith('/reset')) body = {};
      else if (path === '/api/v1/session/activate') body = { username: 'niemand', code: 'ABCD-EFGH-JKLM-NPQR', password: 'een lang en goed wachtwoord' };
      else if (path === '/api/v1/me/password') body = { currentPassword: 'niet het wachtwoord', newPassword: 'een lang en goed wachtwoord' };
      else if (path.endsWith('/events')) {
        const version = (await current(vt, family.id)).version;
        body = {
          type: 'incident.reported',
          expectedVersion: version,
          payload: { occurredAt: iso(h, -1), severity: 'minor', description: 'Ruzie zonder letsel.' },
        };
      }
    }
    if (method === 'PATCH') body = { displayName: `Sam ${subject}` };
    if (method === 'PUT') body = { value: 600, reason: 'Herstel duurt in deze regio langer.' };
    const res = await client.request(method, url, body);
    return res.status;
  }

  it('gives every documented operation the expected status for every caller', async () => {
    const doc = await h.anonymous().get<{ servers: { url: string }[]; paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    // Paths in the document are relative to its server, `/api/v1`.
    const base = doc.body.servers[0]!.url;
    const operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${base}${path}`),
    );
    expect(operations.length).toBeGreaterThan(15);
    const missing = operations.filter((op) => !(op in expected));
    expect(missing, 'operations without a row in the authorisation matrix').toEqual([]);
    const stale = Object.keys(expected).filter((op) => !operations.includes(op));
    expect(stale, 'matrix rows for operations that no longer exist').toEqual([]);

    const failures: string[] = [];
    for (const op of operations) {
      const [method, path] = op.split(' ') as [string, string];
      for (const subject of subjects) {
        const status = await call(subject, method, path);
        const want = expected[op]![subject];
        if (status !== want) failures.push(`${op} as ${subject}: ${status}, expected ${want}`);
      }
    }
    expect(failures).toEqual([]);
    // Every operation × seven callers, sign-ins and password checks included (argon2): minutes under load.
  }, 240_000);

  it('answers a family the caller may not see exactly like one that does not exist', async () => {
    const other = clients.get('director:other')!;
    const hidden = await other.get(`/api/v1/families/${family.id}`);
    const absent = await other.get('/api/v1/families/does-not-exist');
    expect(hidden.status).toBe(404);
    expect(absent.status).toBe(404);
    const strip = (b: unknown) => ({ ...(b as Record<string, unknown>), instance: undefined });
    expect(strip(hidden.body)).toEqual(strip(absent.body));
  });

  it('lists only the families the caller may see', async () => {
    const own = await createFamily(vt);
    const listAs = async (s: Subject) =>
      (await clients.get(s)!.get<{ items: { id: string }[]; total: number }>('/api/v1/families?pageSize=100')).body.items.map((i) => i.id);
    expect(await listAs('vt:own')).toEqual(expect.arrayContaining([family.id, own.id]));
    expect(await listAs('vt:other')).toEqual([]);
    expect(await listAs('director:own')).toEqual([family.id]);
    expect(await listAs('director:other')).toEqual([]);
    expect(await listAs('auditor')).toEqual(expect.arrayContaining([family.id, own.id]));
  });
});
