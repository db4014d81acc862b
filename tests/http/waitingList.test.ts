import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyList } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { advance, send, useVersionReader, v2Family } from './flows.ts';

// Issue 14: the waiting list is ordered by urgency (acute, high, regular, untriaged), then by waiting
// time: GET /families?phase=reported&sort=waiting, over the projection's urgency and waitingSince.

describe.each(backends())('the waiting list by urgency, then waiting time (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(provider);
    vt = await h.login('vt');
    useVersionReader(vt);
    // Reported a day apart, oldest first; triage then puts them in another order.
    const plan: [string, string | null, boolean][] = [
      ['regularOld', 'regular', false],
      ['untriaged', null, false],
      ['high', 'high', false],
      ['regularNew', 'regular', false],
      ['acuteReport', null, true],
      ['acuteTriage', 'acute', false],
      ['started', 'acute', false],
    ];
    for (const [name, urgency, acute] of plan) {
      const f = await v2Family(vt, { acute });
      ids[name] = f.id;
      if (urgency) await send(vt, f.id, 'triage.recorded', { urgency, instrument: 'triage-instrument-vt' });
      await advance(h, 1, vt);
    }
    // No longer waiting: its assessment started.
    await send(vt, ids.started!, 'assessment.started');
  });
  afterAll(async () => {
    await h?.close();
  });

  const list = async (query: string) => {
    const res = await vt.get<FamilyList>(`/api/v1/families?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.items;
  };
  const names = (items: { id: string }[]) => items.map((i) => Object.keys(ids).find((k) => ids[k] === i.id));

  it('orders the waiting families acute, high, regular, untriaged, the longest wait first within each', async () => {
    const items = await list('phase=reported&sort=waiting');
    expect(names(items)).toEqual(['acuteReport', 'acuteTriage', 'high', 'regularOld', 'regularNew', 'untriaged']);
    expect(items.map((i) => i.urgency)).toEqual(['acute', 'acute', 'high', 'regular', 'regular', null]);
    expect(items.every((i) => i.waitingSince !== null)).toBe(true);
  });

  it('puts families that no longer wait after the waiting list, and reverses the urgency with -waiting', async () => {
    const all = names(await list('sort=waiting'));
    expect(all.at(-1)).toBe('started');
    expect(names(await list('phase=reported&sort=-waiting'))).toEqual(['untriaged', 'regularNew', 'regularOld', 'high', 'acuteTriage', 'acuteReport']);
  });

  it('documents the order in the OpenAPI document', async () => {
    const res = await vt.get<{ paths: Record<string, { get?: { parameters?: { name: string; schema?: { enum?: string[] } }[] } }> }>('/api/v1/openapi.json');
    const sort = res.body.paths['/families']?.get?.parameters?.find((p) => p.name === 'sort');
    expect(sort?.schema?.enum).toEqual(expect.arrayContaining(['waiting', '-waiting']));
  });
});
