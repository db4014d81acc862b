import { describe, expect, it } from 'vitest';
import { PG_STATEMENT_NAMES, pgStatementName } from '../../server/db/direct.ts';

// The names of PostgreSQL statements (server/db/direct.ts). A file of its own: the test fills the
// process's names up to their bound, after which no other statement in this module would be named.

describe('statement names on PostgreSQL', () => {
  it('names each text once, the same name every time, and no text beyond the bound', () => {
    const a = pgStatementName('SELECT 1 AS "names_a"');
    const b = pgStatementName('SELECT 1 AS "names_b"');
    expect(a).toMatch(/^vp_\d+$/);
    expect(b).toMatch(/^vp_\d+$/);
    expect(b).not.toBe(a);
    expect(pgStatementName('SELECT 1 AS "names_a"')).toBe(a);
    // Up to the bound every new text is named; after it none is, and the named keep their names.
    const names = new Set<string>([a!, b!]);
    for (let i = 0; ; i++) {
      const n = pgStatementName(`SELECT ${i} AS "names_fill"`);
      if (n === undefined) break;
      expect(names.has(n)).toBe(false);
      names.add(n);
      expect(names.size).toBeLessThanOrEqual(PG_STATEMENT_NAMES);
    }
    expect(pgStatementName('SELECT 1 AS "names_after_the_bound"')).toBeUndefined();
    expect(pgStatementName('SELECT 1 AS "names_a"')).toBe(a);
  });
});
