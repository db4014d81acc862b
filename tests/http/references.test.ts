import { describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { isUniqueViolation } from '../../server/db/index.ts';
import { backends } from '../support/db.ts';
import { harnessForBlock, newReport } from './harness.ts';

// Issue 11 item 10: references are unique per region, by a database index (race-safe). Twenty
// parallel registrations of one reference made twenty families; now exactly one wins and every other
// gets 409 naming the family that holds the reference (API.md "Additions to v1", Families).

describe.each(backends())('references are unique per region (%s)', (provider) => {
  const started = harnessForBlock(provider, ['vt']);

  it('20 parallel registrations of one reference: exactly one 201, nineteen 409 with existingFamilyId', async () => {
    const { h, as: { vt } } = started();
    const reference = 'VT-2025-RACE-1';
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        vt.post<FamilyView & Problem & { existingFamilyId?: string }>(
          '/api/v1/families',
          newReport({ reference }),
          i % 2 === 0 ? {} : { headers: { 'Accept-Language': 'en' } },
        ),
      ),
    );
    const created = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 409);
    expect(replies.map((r) => r.status).sort()).toEqual([201, ...Array<number>(19).fill(409)]);
    const winner = created[0]!.body.id;
    for (const r of refused) {
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body.existingFamilyId).toBe(winner);
      expect(r.body.type).toBe('urn:veilig-pad:problem:conflict');
      const english = r.headers.get('content-language') === 'en';
      expect(r.body.detail).toBe(
        english
          ? 'A family with this reference already exists in your region. Record a new report on that family.'
          : 'Er is in uw regio al een gezin met dit kenmerk. Leg een nieuwe melding vast bij dat gezin.',
      );
      expect(r.body.title).toBe(english ? 'Conflict with the current state' : 'Conflict met de huidige toestand');
    }
    expect(refused.filter((r) => r.headers.get('content-language') === 'en')).toHaveLength(
      replies.filter((r, i) => i % 2 === 1 && r.status === 409).length,
    );
    // One family, one event, one `create` row that succeeded and nineteen refused ones.
    expect(await h.db.prisma.family.count({ where: { reference } })).toBe(1);
    expect(await h.db.prisma.event.count({ where: { familyId: winner } })).toBe(1);
    const log = await h.db.prisma.accessLog.findMany({ where: { action: 'create', userId: h.users.vt.id } });
    expect(log.filter((r) => r.result === 'ok' && r.familyId === winner)).toHaveLength(1);
    expect(log.filter((r) => r.result === 'refused')).toHaveLength(19);
    // The client can offer a repeat report on the family that holds the reference.
    const repeat = await vt.post<FamilyView>(`/api/v1/families/${winner}/events`, {
      type: 'report.received',
      expectedVersion: 1,
      payload: { source: 'citizen', acute: false, summary: 'Opnieuw gemeld.' },
    });
    expect(repeat.status, repeat.text).toBe(200);
  });

  it('the index refuses a second family with the reference in its region, whoever writes it; another region may hold it', async () => {
    const { h, as: { vt } } = started();
    const reference = 'VT-2025-SHARED';
    const here = await vt.post<FamilyView>('/api/v1/families', newReport({ reference }));
    expect(here.status, here.text).toBe(201);
    const again = await vt.post<Problem & { existingFamilyId?: string }>('/api/v1/families', newReport({ reference, municipality: 'Maastricht' }));
    expect(again.status).toBe(409);
    expect(again.body.existingFamilyId).toBe(here.body.id);
    // Only South Limburg has municipalities here, so the other region's family is written directly.
    const { id: _id, ...row } = await h.db.prisma.family.findUniqueOrThrow({ where: { id: here.body.id } });
    await h.db.prisma.family.create({ data: { ...row, id: 'elsewhere', region: 'noord-holland', municipality: 'Haarlem' } });
    const error = await h.db.prisma.family.create({ data: { ...row, id: 'copy' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await h.db.prisma.family.count({ where: { reference } })).toBe(2);
  });

  it('documents the 409 of POST /families with existingFamilyId', async () => {
    const { vt } = started().as;
    const doc = await vt.get<{
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }>('/api/v1/openapi.json');
    expect(doc.body.paths['/families']!.post!.responses['409']!.description).toMatch(/existingFamilyId/);
    expect(doc.body.components.schemas.Problem!.properties).toHaveProperty('existingFamilyId');
  });
});
