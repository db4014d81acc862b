import { describe, it } from 'vitest';
import { initialFamily } from './engine.ts';
import { expectFullCoverage } from './testing/graphKit.ts';

// Every state and every transition of familyCase@1 must be reachable with valid envelopes
// (testing/graphKit.ts builds one valid event per type and route for any snapshot).

describe('familyCase@1 graph coverage', () => {
  it('reaches every state and takes every transition with valid envelopes', () => {
    expectFullCoverage(1, initialFamily(1));
  });
});
