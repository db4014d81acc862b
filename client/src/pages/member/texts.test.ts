import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import nl from '../../i18n/nl.json';

// The member's page reads its words as `memberAdult.*` or `memberChild.*` by the audience the server
// names (myFamily.ts audienceTexts): every key the one version has, the other has too, in both languages.

type Tree = { [k: string]: string | Tree };
const keysOf = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree)
    .flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v, `${prefix}${k}.`)))
    .sort();

describe("the family member's texts", () => {
  for (const [language, texts] of [
    ['nl', nl],
    ['en', en],
  ] as const) {
    it(`have a child's version of every adult text (${language})`, () => {
      expect(keysOf(texts.memberChild as Tree)).toEqual(keysOf(texts.memberAdult as Tree));
    });
  }
});
