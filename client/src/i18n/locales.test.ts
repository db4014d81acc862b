import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../../machines/schemas/events.ts';
import en from './en.json';
import nl from './nl.json';

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

const nlKeys = leaves(nl as Tree);
const enKeys = leaves(en as Tree);
const base = (k: string) => k.replace(/_(one|other)$/, '');
const has = (keys: Map<string, string>, k: string) =>
  keys.has(k) || keys.has(`${k}_one`) || keys.has(`${k}_other`);

describe('locale files', () => {
  it('have the same keys in Dutch and English', () => {
    expect([...nlKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of nlKeys) expect([k, placeholders(enKeys.get(k) ?? '')]).toEqual([k, placeholders(v)]);
  });

  it('contain every literal key the client passes to t()', () => {
    const used = new Set<string>();
    for (const file of sources(path.join(import.meta.dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !has(nlKeys, k) || !has(enKeys, k));
    expect(missing).toEqual([]);
  });

  it('name every event type as an action and in the past tense', () => {
    for (const type of eventTypes) {
      const key = type.replace(/\./g, '_');
      expect(nlKeys.has(`eventAction.${key}`), type).toBe(true);
      expect(nlKeys.has(`eventName.${key}`), type).toBe(true);
    }
  });

  it('avoid stigmatising words for household members', () => {
    const all = [...nlKeys.values(), ...enKeys.values()].join('\n').toLowerCase();
    for (const word of ['slachtoffer', 'dader', 'victim', 'perpetrator', 'offender'])
      expect(all).not.toContain(word);
    expect(new Set([...nlKeys.keys()].map(base)).size).toBeGreaterThan(100);
  });
});
