/**
 * The sample report the tests and the benchmark register families with: two parents and a child in
 * Heerlen, reported by the police. Each caller gives its own reference (unique per region) and
 * whatever it wants otherwise.
 */
export function sampleReport<T extends Record<string, unknown>>(reference: string, overrides?: T) {
  return {
    reference,
    municipality: 'Heerlen',
    source: 'police' as const,
    acute: false,
    violenceForms: ['partnergeweld'],
    summary: 'Melding van de politie na een escalerende ruzie; kinderen waren thuis.',
    members: [
      { alias: 'Ouder A', kind: 'adult' as const, birthYear: 1986 },
      { alias: 'Ouder B', kind: 'adult' as const, birthYear: 1984 },
      { alias: 'Kind 1', kind: 'child' as const, birthYear: 2015 },
    ],
    ...overrides,
  };
}
