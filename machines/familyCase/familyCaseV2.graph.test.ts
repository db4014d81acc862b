import { describe, it } from 'vitest';
import { applyEvent, initialFamily, upgradeSnapshot } from './engine.ts';
import { expectFullCoverage } from './testing/graphKit.ts';
import { ev, must, reportPayload } from './testing/testkit.ts';

// Every state and every transition of familyCase@2 must be reachable with valid envelopes: v1's events
// and the ones v2 adds (testing/graphKit.ts). The walk starts from a v1 family just moved to v2, so the
// move itself (`case.upgraded`) is one of the transitions taken; a report reopens it later as any family.

describe('familyCase@2 graph coverage', () => {
  it('reaches every state and takes every transition with valid envelopes', () => {
    const v1 = must(applyEvent(initialFamily(1), ev('report.received', reportPayload(), { at: '2025-01-06T09:00:00.000Z' })));
    expectFullCoverage(2, upgradeSnapshot(v1, 2));
  }, 600_000);
});
