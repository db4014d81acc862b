import { describe, expect, it } from 'vitest';
import { amsterdamLocalToIso, formatDate, formatDateTime, isoToAmsterdamLocal } from './format.ts';

describe('dates in Europe/Amsterdam', () => {
  it('shows instants as Amsterdam wall time in Dutch numeric format', () => {
    expect(formatDateTime('2025-07-01T10:05:00Z')).toBe('01-07-2025 12:05');
    expect(formatDateTime('2025-01-15T23:30:00Z')).toBe('16-01-2025 00:30');
    expect(formatDate('2025-12-31T23:30:00Z')).toBe('01-01-2026');
  });

  it('reads datetime-local values as Amsterdam time in summer and winter', () => {
    expect(amsterdamLocalToIso('2025-07-01T12:00')).toBe('2025-07-01T10:00:00.000Z');
    expect(amsterdamLocalToIso('2025-01-15T09:30')).toBe('2025-01-15T08:30:00.000Z');
    expect(amsterdamLocalToIso('2025-03-30T12:00')).toBe('2025-03-30T10:00:00.000Z');
    expect(amsterdamLocalToIso('2025-10-26T12:00')).toBe('2025-10-26T11:00:00.000Z');
  });

  it('round-trips through the input format', () => {
    for (const iso of ['2025-07-01T10:00:00.000Z', '2025-01-15T08:30:00.000Z', '2024-02-29T23:59:00.000Z']) {
      expect(amsterdamLocalToIso(isoToAmsterdamLocal(iso))).toBe(iso);
    }
  });

  it('gives nothing for empty or malformed input, so the schema reports it', () => {
    expect(amsterdamLocalToIso('')).toBe('');
    expect(amsterdamLocalToIso('gisteren')).toBe('');
    expect(isoToAmsterdamLocal('not a date')).toBe('');
    expect(formatDateTime(null)).toBe('');
  });
});
