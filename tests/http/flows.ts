import { expect } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import type { Client, Harness, Reply } from './harness.ts';
import { newReport } from './harness.ts';
import { createFamily as createFamilyInEngine } from '../../server/engine/store.ts';

// Steps through a family's life over HTTP. Every step reads the current version first: moving the
// clock fires system events, which move the version on.

export const DAY = 86_400_000;

export async function createFamily(vt: Client, overrides: Record<string, unknown> = {}): Promise<FamilyView> {
  const res = await vt.post<FamilyView>('/api/v1/families', newReport(overrides));
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** A family under familyCase@2: new families start on it once v2 is current; until then, moved with case.upgraded. */
export async function v2Family(vt: Client, overrides: Record<string, unknown> = {}): Promise<FamilyView> {
  const f = await createFamily(vt, overrides);
  return f.machineVersion >= 2 ? f : send(vt, f.id, 'case.upgraded', { toVersion: 2 }, 'Nieuwe werkwijze.');
}

/**
 * A real familyCase@1 family (new families start on v2): registered through the engine's write path
 * with `machineVersion: 1`, as the demo seed does, by the harness's VT worker; read back through `vt`.
 */
export async function createV1Family(h: Harness, vt: Client, overrides: Record<string, unknown> = {}): Promise<FamilyView> {
  const f = await createFamilyInEngine(h.db, newReport(overrides), {
    actor: { id: h.users.vt.id, role: 'vt' },
    clock: h.clock,
    machineVersion: 1,
  });
  const view = await current(vt, f.id);
  expect(view.machineVersion).toBe(1);
  return view;
}

export async function current(client: Client, id: string): Promise<FamilyView> {
  const res = await client.get<FamilyView>(`/api/v1/families/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Sends an event at the family's current version; returns the raw reply. */
export async function trySend(
  client: Client,
  id: string,
  type: string,
  payload: unknown = {},
  reason?: string,
  version?: number,
): Promise<Reply<FamilyView & Record<string, unknown>>> {
  const expectedVersion = version ?? (await versionOf(client, id));
  return client.post(`/api/v1/families/${id}/events`, { type, expectedVersion, payload, ...(reason ? { reason } : {}) });
}

/** Sends an event that must be accepted; returns the family after it. */
export async function send(client: Client, id: string, type: string, payload: unknown = {}, reason?: string): Promise<FamilyView> {
  const res = await trySend(client, id, type, payload, reason);
  expect(res.status, `${type}: ${res.text}`).toBe(200);
  return res.body;
}

/** The version as any reader sees it (the writer may be a director who cannot read yet). */
let versionReader: Client | null = null;
export function useVersionReader(c: Client): void {
  versionReader = c;
}
async function versionOf(client: Client, id: string): Promise<number> {
  for (const c of [client, versionReader]) {
    if (!c) continue;
    const res = await c.get<FamilyView>(`/api/v1/families/${id}`);
    if (res.status === 200) return res.body.version;
  }
  throw new Error(`cannot read the version of ${id}`);
}

/**
 * Moves the manual clock (timers fire), as the first client or else a signed-in administrator. Sessions
 * run on the wall clock, so the clients stay signed in however far it moves.
 */
export async function advance(h: Harness, days: number, ...clients: Client[]): Promise<void> {
  const mover = clients[0] ?? (await h.login('admin'));
  const res = await mover.post<{ now: string }>('/api/v1/clock', { advanceDays: days });
  expect(res.status, res.text).toBe(200);
}

export function iso(h: Harness, offsetDays = 0): string {
  return new Date(h.clock.now().getTime() + offsetDays * DAY).toISOString();
}

/** A case conference held now with a member and a mandated professional: one agreement due in `agreementDays`, the next in `nextDays`. */
export function conferencePayload(h: Harness, memberId: string, kind: string, agreementDays: number, nextDays: number) {
  return {
    kind,
    heldAt: iso(h, 0),
    participants: [{ memberId }, { professional: 'Wijkagent', organisation: 'Politie', mandate: true }],
    agreements: [
      { description: 'Huisbezoek samen met de wijkagent', responsible: 'Wijkteam', dueAt: iso(h, agreementDays) },
      { description: 'Schuldhulp aanvragen', responsible: 'Moeder' },
    ],
    nextAt: iso(h, nextDays),
  };
}

export function conditionsPayload(h: Harness) {
  return [{ description: 'Geen geweld in aanwezigheid van de kinderen', dueAt: iso(h, 30) }];
}

/** A decision that hands the family to a director, with one safety condition. */
export function handoverDecision(h: Harness, directorId: string) {
  return { decision: 'handover', acute: false, structural: true, directorId, conditions: conditionsPayload(h) };
}

export function planFor(f: FamilyView) {
  const adult = f.members.find((m) => m.kind === 'adult')!;
  return {
    agreements: [
      {
        description: 'Vader verblijft tijdelijk elders',
        responsible: 'Vader',
        coversConditionIds: f.conditions.filter((c) => c.status === 'open').map((c) => c.id),
      },
    ],
    participants: [{ memberId: adult.id }, { professional: 'Wijkteam Heerlen' }],
    childPerspectives: f.members
      .filter((m) => m.kind === 'child')
      .map((m) => ({ memberId: m.id, perspective: 'Wil dat het thuis rustig is.' })),
  };
}

export function stabilityFor(f: FamilyView) {
  return {
    riskFactorsResolved: true,
    participants: f.members.map((m) => ({ memberId: m.id })),
    professionals: ['Wijkteam Heerlen'],
  };
}

/**
 * vt reports, assesses and hands over to `director`, who accepts: oversight monitoring, directSafety.planning.
 * `machineVersion: 1` makes it a familyCase@1 family (default: the current version, as POST /families).
 */
export async function handedOver(
  h: Harness,
  vt: Client,
  director: Client,
  directorId: string,
  machineVersion?: 1,
): Promise<FamilyView> {
  useVersionReader(vt);
  const f = machineVersion === 1 ? await createV1Family(h, vt) : await createFamily(vt);
  await send(vt, f.id, 'assessment.started');
  await send(vt, f.id, 'assessment.completed', handoverDecision(h, directorId), 'Structurele onveiligheid; lokaal team.');
  return send(director, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
}

/** …and the plan is agreed and direct safety achieved: stableSafety. */
export async function inStableSafety(...args: Parameters<typeof handedOver>): Promise<FamilyView> {
  const director = args[2];
  const f = await handedOver(...args);
  await send(director, f.id, 'plan.agreed', planFor(f));
  return send(director, f.id, 'directSafety.achieved', {}, 'De geweldsdreiging is gestopt.');
}

/** The director gives a household member a one-time access code (issue 15); returns the code. */
export async function issueCode(director: Client, familyId: string, memberId: string): Promise<string> {
  const res = await director.post<{ code: string }>(`/api/v1/families/${familyId}/member-access`, { memberId });
  expect(res.status, res.text).toBe(201);
  return res.body.code;
}

/** A household member signed in with an access code (a session of role `member`). */
export async function memberClient(h: Harness, code: string): Promise<Client> {
  const client = h.anonymous();
  const res = await client.post<{ token: string; csrfToken: string }>('/api/v1/session', { accessCode: code });
  expect(res.status, res.text).toBe(200);
  client.token = res.body.token;
  client.csrfToken = res.body.csrfToken;
  client.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? null;
  return client;
}
