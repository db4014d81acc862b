import { describe, expect, it } from 'vitest';
import { requestIssues } from './common.ts';

// The shared request rules that depend on today (the schemas' bounds are fixed at build time).

describe('a member\'s birth year', () => {
  const year = new Date().getUTCFullYear();
  const member = (kind: string, birthYear: number, expectedMonth?: string) => ({
    members: [{ alias: 'A', kind, birthYear, ...(expectedMonth ? { expectedMonth } : {}) }],
  });
  const birthYearIssues = (v: unknown) => requestIssues(v).filter((i) => i.path.join('.') === 'members.0.birthYear');

  it('may not lie in the future for a born member', () => {
    expect(birthYearIssues(member('child', year))).toEqual([]);
    expect(birthYearIssues(member('child', year + 1))).toHaveLength(1);
  });

  it('may be next year for an unborn member (the expected year), not later', () => {
    expect(birthYearIssues(member('unborn', year + 1, `${year + 1}-03`))).toEqual([]);
    expect(birthYearIssues(member('unborn', year + 2, `${year + 2}-03`))).toHaveLength(1);
  });
});
