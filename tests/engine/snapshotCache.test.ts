import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { initialFamily, type PersistedFamily } from '../../machines/index.ts';
import { rememberSnapshot, toFamilyRecord, type FamilyRowFields } from '../../server/engine/records.ts';

// The server's cache of parsed snapshots (server/engine/records.ts): a row whose text is what this
// process last read or wrote for the family gives the same object back; any other text is parsed;
// what is handed out is frozen under the tests; the cache is bounded.

function rowOf(id: string, snapshot: PersistedFamily | string): FamilyRowFields {
  const at = new Date('2025-03-03T09:00:00.000Z');
  return {
    id,
    reference: 'R-1',
    municipality: 'Maastricht',
    region: 'zuid-limburg',
    version: 1,
    machineVersion: 2,
    snapshot: typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot),
    createdAt: at,
    updatedAt: at,
    phase: 'reported',
    oversight: 'none',
    escalation: 'none',
    directorId: null,
    pendingDirectorId: null,
    nextDueAt: null,
    acute: false,
    reportedAt: at,
    closedAt: null,
  } as FamilyRowFields;
}

describe('the parsed-snapshot cache', () => {
  it('hands out the written object while the row holds its text, and parses any other text', () => {
    const id = randomUUID();
    const written = initialFamily(2);
    const json = JSON.stringify(written);
    rememberSnapshot(id, json, written);
    expect(toFamilyRecord(rowOf(id, json)).snapshot).toBe(written);
    // Frozen: nobody may change what another request will be handed.
    expect(Object.isFrozen(written.context)).toBe(true);
    expect(() => {
      (written.context as { cycle: number }).cycle = 99;
    }).toThrow(TypeError);

    // Another text for the same family (another process wrote): parsed, equal to what it says.
    const other = { ...initialFamily(2), value: { ...initialFamily(2).value, escalation: 'escalated' } } as PersistedFamily;
    const read = toFamilyRecord(rowOf(id, other)).snapshot;
    expect(read).not.toBe(written);
    expect(read).toEqual(other);
    // That text is now the remembered one.
    expect(toFamilyRecord(rowOf(id, other)).snapshot).toBe(read);
  });

  it('parses a large snapshot every time and forgets the least recently used families', () => {
    const large = randomUUID();
    const big = JSON.stringify({ ...initialFamily(1), padding: 'x'.repeat(70 * 1024) });
    expect(toFamilyRecord(rowOf(large, big)).snapshot).not.toBe(toFamilyRecord(rowOf(large, big)).snapshot);

    const first = randomUUID();
    const json = JSON.stringify(initialFamily(2));
    const kept = toFamilyRecord(rowOf(first, json)).snapshot;
    expect(toFamilyRecord(rowOf(first, json)).snapshot).toBe(kept);
    for (let i = 0; i < 300; i++) toFamilyRecord(rowOf(randomUUID(), json));
    expect(toFamilyRecord(rowOf(first, json)).snapshot).not.toBe(kept);
  });
});
