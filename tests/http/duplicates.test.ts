import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { backends } from '../support/db.ts';
import { PASSWORD, startHarness, type Client, type Harness } from './harness.ts';
import {
  createFamily,
  current,
  handedOver,
  handoverDecision,
  conditionsPayload,
  planFor,
  send,
  trySend,
  useVersionReader,
} from './flows.ts';

// Issue 11 items 3 and 11 over HTTP: duplicate and contradictory ids, ids of no one in this family, and
// a handover to oneself are 422 problems naming the guard, with a sentence that names no internal id,
// and change nothing.

const internalId = /\b[a-z]\d+\b/;

describe.each(backends())('duplicate ids and self-handover (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let both: Client;

  beforeAll(async () => {
    h = await startHarness(provider);
    // Issue 11 item 11: one person with both the vt and the director role.
    await createUser(h.db, {
      username: 'beide',
      password: PASSWORD,
      roles: ['vt', 'director'],
      displayName: 'Bea Beide',
      region: 'zuid-limburg',
    });
    [vt, director, both] = await Promise.all([h.login('vt'), h.login('director'), h.login('beide')]);
    useVersionReader(vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function refused(
    client: Client,
    f: FamilyView,
    type: string,
    payload: unknown,
    guard: string,
    reason?: string,
  ) {
    const before = await current(vt, f.id);
    const res = await trySend(client, f.id, type, payload, reason);
    expect(res.status, `${type}: ${res.text}`).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const p = res.body as unknown as Problem;
    expect(p.guard).toBe(guard);
    expect(p.explanation?.nl).not.toMatch(internalId);
    expect(p.explanation?.en).not.toMatch(internalId);
    // A refusal changes nothing.
    expect((await current(vt, f.id)).version).toBe(before.version);
    return p;
  }

  it('refuses duplicate, contradictory and foreign ids in a safety plan and a check', async () => {
    const f = await handedOver(h, vt, director, h.users.director.id);
    const plan = planFor(f);
    const adult = f.members.find((m) => m.kind === 'adult')!;
    const child = f.members.find((m) => m.kind === 'child')!;
    const condition = f.conditions[0]!;

    const twice = await refused(
      director,
      f,
      'plan.agreed',
      { ...plan, participants: [{ memberId: adult.id }, { memberId: adult.id }] },
      'memberNamedOnce',
    );
    expect(twice.explanation?.nl).toContain(adult.alias);
    const perspectives = [
      { memberId: child.id, perspective: 'Wil rust' },
      { memberId: child.id, perspective: 'Wil bij oma' },
    ];
    await refused(
      director,
      f,
      'plan.agreed',
      { ...plan, childPerspectives: perspectives },
      'childPerspectiveOnce',
    );
    await refused(
      director,
      f,
      'plan.agreed',
      {
        ...plan,
        childPerspectives: [...plan.childPerspectives, { memberId: adult.id, perspective: 'Rust' }],
      },
      'perspectiveOnlyForChild',
    );
    const doubled = {
      description: 'Afspraak',
      responsible: 'Ouder',
      coversConditionIds: [condition.id, condition.id],
    };
    await refused(director, f, 'plan.agreed', { ...plan, agreements: [doubled] }, 'conditionCoveredOnce');
    await refused(
      director,
      f,
      'plan.agreed',
      { ...plan, participants: [...plan.participants, { memberId: 'm999' }] },
      'unknownMember',
    );
    const foreign = { description: 'Afspraak', responsible: 'Ouder', coversConditionIds: ['c999'] };
    await refused(
      director,
      f,
      'plan.agreed',
      { ...plan, agreements: [...plan.agreements, foreign] },
      'unknownCondition',
    );
    const uncovered = await refused(
      director,
      f,
      'plan.agreed',
      { ...plan, agreements: [{ description: 'Afspraak', responsible: 'Ouder', coversConditionIds: [] }] },
      'conditionsCovered',
    );
    // The condition is named by its description (the plan form showed "…: c6" before).
    expect(uncovered.explanation?.nl).toContain(`“${condition.description}”`);

    const agreed = await send(director, f.id, 'plan.agreed', plan);
    const contradictory = [
      { conditionId: condition.id, met: true },
      { conditionId: condition.id, met: false },
    ];
    await refused(vt, agreed, 'monitoring.checkRecorded', { results: contradictory }, 'conditionCheckedOnce');
    await send(vt, f.id, 'monitoring.checkRecorded', { results: [{ conditionId: condition.id, met: true }] });
  });

  it('refuses a handover to oneself by a user with both roles (issue 11 item 11)', async () => {
    const self = (await both.get<{ id: string }>('/api/v1/me')).body.id;
    const f = await createFamily(both);
    await send(both, f.id, 'assessment.started');
    const p = await refused(
      both,
      f,
      'assessment.completed',
      handoverDecision(h, self),
      'notToOneself',
      'Overdracht',
    );
    expect(p.explanation?.nl).toBe('U kunt de zaak niet aan uzelf overdragen.');

    // Conditions and follow-up leave VT's worker `vt` director; the other VT worker offers it to themselves.
    const g = await createFamily(vt);
    await send(vt, g.id, 'assessment.started');
    const kept = await send(
      vt,
      g.id,
      'assessment.completed',
      { decision: 'conditionsAndFollowUp', acute: false, structural: true, conditions: conditionsPayload(h) },
      'Voorwaarden en vervolg',
    );
    await refused(both, kept, 'handover.offered', { directorId: self }, 'notToOneself', 'Overdragen');
    // Offered to another director it passes.
    await send(both, g.id, 'handover.offered', { directorId: h.users.director.id }, 'Overdragen');
  });
});
