import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { backends } from '../support/db.ts';
import { newReport, PASSWORD, startHarness, type Client, type Harness } from '../http/harness.ts';
import {
  createFamily,
  current,
  handedOver,
  handoverDecision,
  iso,
  send,
  useVersionReader,
  issueCode,
  memberClient,
} from '../http/flows.ts';

// Extends tests/http/authz.test.ts (which owns the status matrix for the usual callers) where it
// does not look: (1) every refusal of family data, for every documented operation and every signed-in
// caller, leaves its own access-log row (NEN 7513), with the right action, result and family;
// (2) callers whose access changed over time: a director who handed the family on, a director a
// handover is offered to, a VT worker of another region, a user with two roles.

type Subject =
  | 'vt:own'
  | 'vt:otherRegion'
  | 'director:own'
  | 'director:other'
  | 'director:former'
  | 'director:offered'
  | 'auditor'
  | 'admin'
  /** A household member of the family, signed in with an access code (issue 15). */
  | 'member';
const subjects: Subject[] = [
  'vt:own',
  'vt:otherRegion',
  'director:own',
  'director:other',
  'director:former',
  'director:offered',
  'auditor',
  'admin',
  'member',
];

/** The access-log action of each documented operation; null: it touches no family data. */
const actions: Record<string, string | null> = {
  'POST /api/v1/session': null,
  'DELETE /api/v1/session': null,
  'GET /api/v1/me': null,
  'POST /api/v1/families': 'create',
  'GET /api/v1/families': 'list',
  'GET /api/v1/families/{id}': 'read',
  'POST /api/v1/families/{id}/events': 'write',
  'GET /api/v1/families/{id}/history': 'history',
  'GET /api/v1/families/{id}/replay': 'replay',
  'GET /api/v1/families/{id}/verify': 'verify',
  'GET /api/v1/families/{id}/export': 'export',
  'POST /api/v1/verifications': 'verify',
  'GET /api/v1/verifications/{verificationId}': 'verify',
  'GET /api/v1/monitoring': 'monitoring',
  'GET /api/v1/kpis': 'kpis',
  'GET /api/v1/kpis/municipalities': 'kpis',
  'GET /api/v1/access-log': 'access-log',
  'GET /api/v1/health': null,
  'GET /api/v1/clock': null,
  'POST /api/v1/clock': 'clock',
  'GET /api/v1/directors': null,
  'GET /api/v1/openapi.json': null,
  'GET /api/v1/docs': null,
  'GET /api/v1/docs/docs.js': null,
  'GET /api/v1/docs/docs.css': null,
  // Administration (issue 16): no family data; its changes go to the admin log, not the access log.
  'GET /api/v1/users': null,
  'POST /api/v1/users': null,
  'GET /api/v1/users/{id}': null,
  'PATCH /api/v1/users/{id}': null,
  'POST /api/v1/users/{id}/reset': null,
  'GET /api/v1/norms': null,
  'PUT /api/v1/norms/{key}': null,
  'GET /api/v1/admin-log': null,
  // Issue 14: the bulk upgrade writes to families; its status names them.
  'POST /api/v1/upgrades': 'write',
  'GET /api/v1/upgrades/{upgradeId}': 'list',
  'POST /api/v1/session/activate': null,
  'POST /api/v1/me/password': null,
  // Issue 15: the director's access codes are writes on the family; the member's own routes read,
  // write and read the access log of the member's family (a professional's attempt is logged too).
  'POST /api/v1/families/{id}/member-access': 'write',
  'DELETE /api/v1/families/{id}/member-access/{memberId}': 'write',
  'GET /api/v1/my-family': 'read',
  'POST /api/v1/my-family/responses': 'write',
  'GET /api/v1/my-family/access-log': 'access-log',
};

/** The callers whose access changed over time, on the family's own routes. */
const readOne = { 'director:former': 404, 'director:offered': 200 } as const;
const timeBound: Record<string, Record<'director:former' | 'director:offered', number>> = {
  'GET /api/v1/families/{id}': readOne,
  'GET /api/v1/families/{id}/history': readOne,
  'GET /api/v1/families/{id}/replay': readOne,
  'GET /api/v1/families/{id}/verify': readOne,
  // The offered director may answer the offer, not act as director before accepting.
  'POST /api/v1/families/{id}/events': { 'director:former': 404, 'director:offered': 403 },
};

describe.each(backends())(
  'authorisation: refusals are access-logged, access follows the assignment (%s)',
  (provider) => {
    let h: Harness;
    let vt: Client;
    let family: FamilyView;
    const clients = new Map<Subject, Client>();
    const userOf = new Map<Subject, string>();
    let offeredId: string;
    let memberId: string;
    let otherMemberId: string;
    let familyDirector: Client;

    beforeAll(async () => {
      h = await startHarness(provider);
      vt = await h.login('vt');
      useVersionReader(vt);
      const director = await h.login('director');
      const director2 = await h.login('director2');
      // director directed this family and handed it on to director2, who accepted: director is "former".
      // Then director2 offers it to director again (pending): director is also "offered". Two families
      // keep the two situations apart.
      const handedOn = await handedOver(h, vt, director, h.users.director.id);
      await send(
        director,
        handedOn.id,
        'handover.offered',
        { directorId: h.users.director2.id },
        'Verhuisd naar een andere gemeente.',
      );
      await send(director2, handedOn.id, 'handover.accepted', {}, 'Ik neem het over.');
      family = await current(vt, handedOn.id);
      expect(family.caseDirector?.id).toBe(h.users.director2.id);

      const offered = await createFamily(vt);
      await send(vt, offered.id, 'assessment.started');
      await send(
        vt,
        offered.id,
        'assessment.completed',
        handoverDecision(h, h.users.director2.id),
        'Lokaal team.',
      );
      await send(director2, offered.id, 'handover.accepted', {}, 'Akkoord.');
      await send(
        director2,
        offered.id,
        'handover.offered',
        { directorId: h.users.director.id },
        'Graag overnemen.',
      );
      offeredId = offered.id;

      // A director with no tie to either family.
      const stranger = await createUser(h.db, {
        username: 'director3',
        password: PASSWORD,
        roles: ['director'],
      });
      const logins: Record<Subject, [string, string]> = {
        'vt:own': ['vt', h.users.vt.id],
        'vt:otherRegion': ['vtother', h.users.vtOther.id],
        'director:own': ['director2', h.users.director2.id],
        'director:other': ['director3', stranger.id],
        'director:former': ['director', h.users.director.id],
        'director:offered': ['director', h.users.director.id],
        auditor: ['auditor', h.users.auditor.id],
        admin: ['admin', h.users.admin.id],
        member: ['', ''],
      };
      for (const s of subjects) {
        if (s === 'member') continue;
        clients.set(s, await h.login(logins[s][0]));
        userOf.set(s, logins[s][1]);
      }
      // The member: the family's first adult, with a code from its director (director2); the
      // codes of the calls below go to the second adult.
      [memberId, otherMemberId] = family.members.filter((m) => m.kind === 'adult').map((m) => m.id) as [string, string];
      clients.set('member', await memberClient(h, await issueCode(director2, family.id, memberId)));
      userOf.set('member', `member:${family.id}:${memberId}`);
      familyDirector = director2;
    });
    afterAll(async () => {
      await h?.close();
    });

    /** The family a subject's call is about: "former" means the handed-on one, "offered" the offered one. */
    const familyFor = (s: Subject) => (s === 'director:offered' ? offeredId : family.id);

    async function call(subject: Subject, method: string, path: string): Promise<number> {
      const id = familyFor(subject);
      const url = path.replace('{id}', id).replace('{memberId}', otherMemberId);
      let client = clients.get(subject)!;
      if (method === 'DELETE' && path === '/api/v1/session')
        client =
          subject === 'member'
            ? await memberClient(h, await issueCode(familyDirector, family.id, memberId))
            : await h.relogin(client).then(() => client);
      // Revoking needs an access to revoke.
      if (method === 'DELETE' && path.includes('/member-access/') && subject === 'director:own')
        await issueCode(familyDirector, family.id, otherMemberId);
      let body: unknown;
      if (method === 'POST') {
        if (path === '/api/v1/session') {
          client = h.anonymous();
          body = { username: 'vt', password: PASSWORD };
        } else if (path === '/api/v1/families') body = newReport();
        else if (path === '/api/v1/clock') body = { advanceMinutes: 1 };
        else if (path.endsWith('/member-access')) body = { memberId: otherMemberId };
        else if (path === '/api/v1/my-family/responses') body = { planVersion: 1, response: 'agree' };
        else if (path.endsWith('/events')) {
          body = {
            type: 'incident.reported',
            expectedVersion: (await current(vt, id)).version,
            payload: { occurredAt: iso(h, -1), severity: 'minor', description: 'Ruzie zonder letsel.' },
          };
        }
      }
      const res = await client.request(method, url, body);
      return res.status;
    }

    it('logs every refused call on family data with user, action, result and family, for every operation', async () => {
      const doc = await h
        .anonymous()
        .get<{ servers: { url: string }[]; paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
      const base = doc.body.servers[0]!.url; // paths are relative to the server, /api/v1
      const operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${base}${path}`),
      );
      expect(
        operations.filter((op) => !(op in actions)),
        'operations missing from the table',
      ).toEqual([]);
      expect(
        Object.keys(actions).filter((op) => !operations.includes(op)),
        'table rows without an operation',
      ).toEqual([]);

      const failures: string[] = [];
      const refusals: string[] = [];
      for (const op of operations) {
        const action = actions[op];
        if (!action) continue;
        const [method, path] = op.split(' ') as [string, string];
        for (const subject of subjects) {
          const userId = userOf.get(subject)!;
          const familyId = path.includes('{id}') ? familyFor(subject) : null;
          const where = { userId, action, ...(familyId ? { familyId } : {}) };
          const before = await h.db.prisma.accessLog.count({ where });
          const status = await call(subject, method, path);
          const rows = await h.db.prisma.accessLog.findMany({ where, orderBy: { id: 'asc' }, skip: before });
          const want = timeBound[op]?.[subject as 'director:former'];
          if (want !== undefined && status !== want)
            failures.push(`${op} as ${subject}: ${status}, expected ${want}`);
          if (status === 403 || status === 404) {
            refusals.push(`${op}:${subject}:${status}`);
            const result = status === 403 ? 'denied' : 'not_found';
            // A machine refusal by role is a 403 'denied' too; a 422 would be 'refused'.
            if (!rows.some((r) => r.result === result)) {
              failures.push(
                `${op} as ${subject} → ${status}, but no access-log row (${action}, ${result}); rows: ${JSON.stringify(rows.map((r) => r.result))}`,
              );
            }
          } else if (status < 300 && !rows.some((r) => r.result === 'ok')) {
            failures.push(`${op} as ${subject} → ${status}, but no 'ok' access-log row for ${action}`);
          }
          for (const r of rows) {
            if (r.ip === null || r.username === null || r.role === null)
              failures.push(`${op} as ${subject}: row without ip/username/role`);
          }
        }
      }
      expect(failures).toEqual([]);
      // The table above must really have produced refusals to check, of both kinds.
      expect(refusals.some((r) => r.endsWith(':403'))).toBe(true);
      expect(refusals.some((r) => r.endsWith(':404'))).toBe(true);
      console.log(`[authz ${provider}] ${JSON.stringify({ refusalsChecked: refusals.length })}`);
    });

    it('leaves no trace of a family in a refusal: the 404 of a hidden family equals that of a missing one', async () => {
      const former = clients.get('director:former')!;
      for (const suffix of ['', '/history', '/replay', '/verify']) {
        const hidden = await former.get(`/api/v1/families/${family.id}${suffix}`);
        const absent = await former.get(`/api/v1/families/no-such-family${suffix}`);
        expect([hidden.status, absent.status]).toEqual([404, 404]);
        const strip = (b: unknown) => ({ ...(b as object), instance: undefined });
        expect(strip(hidden.body)).toEqual(strip(absent.body));
      }
    });

    it('lets a user with two roles see the union, and act under the role the event needs', async () => {
      const both = await createUser(h.db, {
        username: 'tweerollen',
        password: PASSWORD,
        roles: ['vt', 'director'],
        region: 'noord-holland',
      });
      const c = await h.login('tweerollen');
      // Another region's VT worker: the family is invisible…
      expect((await c.get(`/api/v1/families/${family.id}`)).status).toBe(404);
      // …until it is offered to them as director.
      const d2 = clients.get('director:own')!;
      await send(d2, family.id, 'handover.offered', { directorId: both.id }, 'Naar het andere team.');
      expect((await c.get(`/api/v1/families/${family.id}`)).status).toBe(200);
      const accepted = await c.post<FamilyView>(`/api/v1/families/${family.id}/events`, {
        type: 'handover.accepted',
        expectedVersion: (await current(vt, family.id)).version,
        payload: {},
        reason: 'Overgenomen.',
      });
      expect(accepted.status, accepted.text).toBe(200);
      expect(accepted.body.caseDirector?.id).toBe(both.id);
      const row = await h.db.prisma.accessLog.findFirst({
        where: { userId: both.id, action: 'write', result: 'ok' },
        orderBy: { id: 'desc' },
      });
      expect(row?.role).toBe('director');
      // The director who handed it on has lost it.
      expect((await d2.get(`/api/v1/families/${family.id}`)).status).toBe(404);
    });
  },
);
