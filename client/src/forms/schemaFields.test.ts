import { describe, expect, it } from 'vitest';
import {
  checkRecordedPayload,
  incidentReportedPayload,
  measureImposedPayload,
  reportReceivedPayload,
} from '../../../machines/schemas/events.ts';
import type { FamilyView } from '../types.ts';
import { fieldKind, initialValues, payloadValues } from './schemaFields.tsx';

describe('fields drawn from the shared schema', () => {
  it('reads what each field asks for, and whether it may be left out', () => {
    expect(fieldKind(incidentReportedPayload.shape.severity)).toEqual({
      kind: 'choice',
      options: ['minor', 'serious'],
      optional: false,
    });
    expect(fieldKind(incidentReportedPayload.shape.occurredAt)).toEqual({ kind: 'instant', optional: false });
    expect(fieldKind(incidentReportedPayload.shape.description)).toEqual({
      kind: 'text',
      long: true,
      optional: false,
    });
    expect(fieldKind(reportReceivedPayload.shape.acute)).toEqual({ kind: 'boolean', optional: false });
    expect(fieldKind(reportReceivedPayload.shape.receivedAt)).toEqual({ kind: 'instant', optional: true });
    expect(fieldKind(checkRecordedPayload.shape.notes)).toEqual({ kind: 'text', long: true, optional: true });
    expect(() => fieldKind(reportReceivedPayload.shape.members)).toThrow(/its own editor/);
  });

  it('turns a draft into the payload: unchosen options and empty optional text left out, wall time to ISO', () => {
    const shape = { ...measureImposedPayload.shape, notes: checkRecordedPayload.shape.notes };
    const specs = [
      { name: 'kind', label: 'measure.kind' },
      { name: 'startsAt', label: 'measure.startsAt' },
      { name: 'endsAt', label: 'measure.endsAt' },
      { name: 'notes', label: 'monitoringCheck.notes' },
    ];
    expect(initialValues(shape, specs, {} as FamilyView)).toEqual({
      kind: '',
      startsAt: '',
      endsAt: '',
      notes: '',
    });
    expect(
      payloadValues(shape, specs, { kind: '', startsAt: '2026-07-01T09:30', endsAt: '', notes: ' ' }),
    ).toEqual({
      kind: undefined,
      // Amsterdam summer time is UTC+2.
      startsAt: '2026-07-01T07:30:00.000Z',
      // A required instant left empty stays empty, so the schema names it.
      endsAt: '',
      notes: undefined,
    });
  });
});
