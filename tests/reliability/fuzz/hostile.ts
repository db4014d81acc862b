import fc from 'fast-check';

// Values an attacker, a broken client or a copy-paste from a word processor sends. Strings are the
// interesting part: they travel through zod, JSON, Prisma and into SQLite or PostgreSQL columns.

export const oddStrings: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\uD800', // lone high surrogate
  '\uDC00x', // lone low surrogate
  'x\uDBFF',
  '\u202Eevil\u202C', // right-to-left override
  '\u200B\u200C\u200D\uFEFF', // zero-width characters and BOM
  'مرحبا بالعالم',
  'שלום',
  'Zoë Ĳsselmeer',
  'e\u0301\u0301\u0301', // stacked combining accents
  '🙂👨‍👩‍👧‍👦🏳️‍🌈',
  '\u2028\u2029',
  '\u001b[31mred\u001b[0m',
  '\\',
  '"',
  "'",
  '%s%n%x',
  '${jndi:ldap://x}',
  '{{7*7}}',
  "' OR 1=1 --",
  '\'; DROP TABLE "Family"; --',
  '" OR ""="',
  '1; SELECT pg_sleep(0) --',
  "admin'--",
  '%',
  '_',
  '%%',
  '\\%\\_',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '-0',
  '1e309',
  '0x1F',
  '9007199254740993',
  '2025-02-30T25:61:61Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2025-03-03T09:00:00+14:00',
];

export const oddNumbers: readonly unknown[] = [
  0,
  -0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  -(2 ** 31) - 1,
];

/** Nested `depth` levels deep, alternating arrays and objects. */
export function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { n: v };
  return v;
}

/** An object whose own keys are the ones prototype pollution goes for. */
export function pollution(): unknown {
  return JSON.parse(
    '{"__proto__":{"polluted":true,"admin":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"x":1}}',
  );
}

const hugeString = (n: number) => 'A'.repeat(n);

/** Strings: the odd list, random Unicode (any code point, lone surrogates included), long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...oddStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(hugeString(101), hugeString(501), hugeString(4001), hugeString(20_000)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...oddStrings), fc.string({ maxLength: 10 }))
      .map(([a, b]) => `${b}${a}${b}`),
  },
);

/** Any value at all, of any JSON type, including the ones no schema asks for. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...oddNumbers) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: fc.constantFrom(deep(50), deep(400)) },
  { weight: 1, arbitrary: fc.constant(null).map(() => pollution()) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) },
);

/** Bodies that are not what Content-Type says, or not JSON at all. */
export const malformedBodies: readonly string[] = [
  '{',
  '{"a":}',
  '[1,2',
  '{"a":1}}',
  "{'a':1}",
  '{"a":1,}',
  'NaN',
  'undefined',
  '\uFEFF{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":"\\x41"}',
  '"a string"',
  'null',
  '123',
  'true',
  '[]',
  '',
  ' ',
  '{"type":"report.received","type":"case.closed"}',
  '{"expectedVersion":1e400}',
  '{"expectedVersion":-0.0}',
  '['.repeat(20_000) + ']'.repeat(20_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  JSON.stringify(pollution()),
  '\u0000',
  '<?xml version="1.0"?><a/>',
  'username=vt&password=x',
];

export const contentTypes: readonly (string | null)[] = [
  null,
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=xyz',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/problem+json',
  'application/json, text/plain',
  'application/',
  ';;;',
];
