import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { inStableSafety, useVersionReader } from './flows.ts';

// API.md FamilyView.blockedEvents over HTTP: what the reader's role could send in this state but a rule
// refuses now, with the rule, the sentence in the request's language and from when.

describe.each(backends())('blockedEvents in FamilyView (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;

  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director] = await Promise.all([h.login('vt'), h.login('director')]);
    useVersionReader(vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('names stable safety at day 0 with a Dutch sentence and its date, in English on request', async () => {
    const f = await inStableSafety(h, vt, director, h.users.director.id);
    const nl = await director.get<FamilyView>(`/api/v1/families/${f.id}`);
    expect(nl.status, nl.text).toBe(200);
    const blocked = nl.body.blockedEvents.find((b) => b.type === 'stability.confirmed');
    expect(blocked).toMatchObject({ guard: 'sixMonthsIncidentFree', from: f.incidentFree.stableSafetyFrom });
    // The date in words as the platform's own Dutch locale writes it (independent of machines/words.ts).
    const datum = new Date(`${f.incidentFree.stableSafetyFrom!}T12:00:00Z`).toLocaleDateString('nl-NL', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(blocked!.message.nl).toBe(
      `Nog geen zes maanden zonder incidenten: stabiele veiligheid kan vanaf ${datum}.`,
    );
    // Still offered: the form may be filled in; blockedEvents says why sending it would be refused now.
    expect(nl.body.allowedEvents).toContain('stability.confirmed');

    const en = await director.get<FamilyView>(`/api/v1/families/${f.id}`, {
      headers: { 'Accept-Language': 'en' },
    });
    expect(en.body.blockedEvents.find((b) => b.type === 'stability.confirmed')?.message.en).toMatch(
      /^Not yet six months without incidents: stable safety is possible from \d{1,2} [A-Z][a-z]+ \d{4}\.$/,
    );
    // VT monitors until stable safety: ending monitoring is blocked for VT, with its reason.
    const forVt = await vt.get<FamilyView>(`/api/v1/families/${f.id}`);
    expect(forVt.body.blockedEvents.map((b) => [b.type, b.guard])).toEqual([
      ['monitoring.ended', 'stableSafetyReached'],
    ]);
  });
});
