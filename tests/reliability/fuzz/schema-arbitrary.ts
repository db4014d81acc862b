import fc from 'fast-check';
import { hostileString, hostileValue } from './hostile.ts';

// Requests derived from the served OpenAPI document (which is generated from the zod schemas in
// machines/schemas): first a value that fits the schema, then, most of the time, mutations of it.
// Deriving from the document means a new route or field is fuzzed without touching this file.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export type Components = Record<string, JsonSchema>;

/** Hints from the running test: ids that exist, so some requests reach the deeper layers. */
export type Hints = { familyIds: () => string[]; userIds: () => string[] };

const instant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .chain((d) =>
    fc.constantFrom(
      d.toISOString(),
      d.toISOString().replace('Z', '+01:00'),
      d.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ),
  );

/** Text that fits the length limits and is mostly ordinary, sometimes exotic. */
function text(min: number, max: number): fc.Arbitrary<string> {
  const hi = Math.max(min, Math.min(max, 60));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .string({ minLength: Math.max(min, 1), maxLength: hi })
        .filter((s) => s.trim().length >= Math.min(min, 1)),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: hi }) },
    { weight: 1, arbitrary: hostileString.filter((s) => s.length >= min && s.length <= max) },
  );
}

export function resolve(schema: JsonSchema, components: Components): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) s = components[s.$ref.replace('#/components/schemas/', '')] ?? {};
  return s;
}

export function fromSchema(
  schema: JsonSchema,
  components: Components,
  hints: Hints,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (depth > 8) return fc.constant(null);
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fromSchema(a, components, hints, depth + 1)));
  if (s.allOf) return fromSchema(s.allOf[0]!, components, hints, depth + 1);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return instant;
      if (s.format === 'date') return instant.map((i) => i.slice(0, 10));
      if (s.pattern === '^[A-Za-z0-9_-]+$') {
        return fc.oneof(
          fc.constant(null).map(() => hints.familyIds()[0] ?? 'none'),
          fc
            .constant(null)
            .chain(() =>
              hints.familyIds().length ? fc.constantFrom(...hints.familyIds()) : fc.constant('none'),
            ),
          fc
            .constant(null)
            .chain(() =>
              hints.userIds().length ? fc.constantFrom(...hints.userIds()) : fc.constant('none'),
            ),
          fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        );
      }
      if (s.pattern)
        return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1000));
      return text(s.minLength ?? 0, s.maxLength ?? 200);
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: Math.min(s.maximum ?? 1000, 1_000_000) });
    case 'number': {
      const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 0.001 : (s.minimum ?? -1000);
      return fc.double({
        min,
        max: Math.min(s.maximum ?? 1000, 1_000),
        noNaN: true,
        noDefaultInfinity: true,
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? fromSchema(s.items, components, hints, depth + 1) : fc.anything(), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case 'object':
    case undefined:
    default: {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = fromSchema(v, components, hints, depth + 1);
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    }
  }
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    Object.defineProperty(copy, head as string, {
      value: setAt((value as Record<string, unknown>)[head as string], rest, replacement),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return copy;
  }
  return replacement;
}

function removeAt(value: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const parent = path.slice(0, -1);
  const key = path.at(-1)!;
  let target: unknown = value;
  for (const p of parent) target = (target as Record<string | number, unknown>)?.[p];
  if (Array.isArray(target))
    return setAt(
      value,
      parent,
      target.filter((_, i) => i !== key),
    );
  if (target && typeof target === 'object') {
    const copy = { ...(target as Record<string, unknown>) };
    delete copy[key as string];
    return setAt(value, parent, copy);
  }
  return value;
}

/** A valid value, or one with 1–3 of its parts replaced, removed, or joined by unexpected keys. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const mutation = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constant('replace' as const), fc.nat(), hostileValue) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('remove' as const), fc.nat(), fc.constant(null)) },
    {
      weight: 2,
      arbitrary: fc.tuple(
        fc.constant('add' as const),
        fc.nat(),
        fc.tuple(
          fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')),
          hostileValue,
        ),
      ),
    },
  );
  return fc.oneof(
    { weight: 1, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => {
        let out = v;
        for (const [kind, n, arg] of ms) {
          const all = paths(out);
          const at = all[n % all.length]!;
          if (kind === 'replace') out = setAt(out, at, arg);
          else if (kind === 'remove') out = removeAt(out, at);
          else {
            const [key, val] = arg as [string, unknown];
            const objects = all.filter((p) => {
              let t: unknown = out;
              for (const k of p) t = (t as Record<string | number, unknown>)?.[k];
              return t !== null && typeof t === 'object' && !Array.isArray(t);
            });
            const target = objects[n % Math.max(objects.length, 1)];
            if (target) {
              let t: unknown = out;
              for (const k of target) t = (t as Record<string | number, unknown>)[k];
              out = setAt(
                out,
                target,
                Object.defineProperty({ ...(t as object) }, key, {
                  value: val,
                  enumerable: true,
                  configurable: true,
                  writable: true,
                }),
              );
            }
          }
        }
        return out;
      }),
    },
  );
}
