import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addMonthsToDate,
  addWorkingDays,
  daysBetweenDates,
  dutchHolidays,
  easterSunday,
  isWorkingDay,
  localDateOf,
  partsOf,
  workingDaysBetween,
} from './calendar.ts';

describe('Easter (anonymous Gregorian algorithm)', () => {
  it.each([
    [2008, '2008-03-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('%i → %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('Dutch public holidays', () => {
  it('lists the fixed and moving days of 2025', () => {
    expect([...dutchHolidays(2025).keys()].sort()).toEqual([
      '2025-01-01',
      '2025-04-20',
      '2025-04-21',
      '2025-04-26',
      '2025-05-05',
      '2025-05-29',
      '2025-06-08',
      '2025-06-09',
      '2025-12-25',
      '2025-12-26',
    ]);
  });

  it('Koningsdag moves to 26 April when 27 April is a Sunday', () => {
    expect(dutchHolidays(2025).get('2025-04-26')).toBe('Koningsdag'); // 27 April 2025 is a Sunday
    expect(dutchHolidays(2026).get('2026-04-27')).toBe('Koningsdag');
    expect(dutchHolidays(2026).has('2026-04-26')).toBe(false);
  });

  it('Bevrijdingsdag every year by default, or only in lustrum years', () => {
    const lustrum = { goodFriday: false, liberationDay: 'lustrum' as const, extra: [] };
    expect(isWorkingDay('2026-05-05')).toBe(false);
    expect(isWorkingDay('2026-05-05', lustrum)).toBe(true);
    expect(isWorkingDay('2025-05-05', lustrum)).toBe(false);
  });

  it('Goede Vrijdag only when configured; extra days from the list', () => {
    expect(isWorkingDay('2025-04-18')).toBe(true);
    expect(isWorkingDay('2025-04-18', { goodFriday: true, liberationDay: 'everyYear', extra: [] })).toBe(
      false,
    );
    expect(
      isWorkingDay('2025-06-03', { goodFriday: false, liberationDay: 'everyYear', extra: ['2025-06-03'] }),
    ).toBe(false);
    expect(isWorkingDay('2025-06-07')).toBe(false); // Saturday
  });
});

describe('working days', () => {
  it('skips the weekend', () => {
    // Friday 15:00 (CET) + 5 working days = next Friday 15:00.
    expect(addWorkingDays('2025-01-10T14:00:00.000Z', 5)).toBe('2025-01-17T14:00:00.000Z');
    // A report on Saturday counts from Monday.
    expect(addWorkingDays('2025-01-11T09:00:00.000Z', 5)).toBe('2025-01-17T09:00:00.000Z');
  });

  it('a deadline over Easter (and Koningsdag) with and without Goede Vrijdag', () => {
    // Thursday 17 April 2025 10:00 CEST: Fri 18, Tue 22, Wed 23, Thu 24, Fri 25.
    expect(addWorkingDays('2025-04-17T08:00:00.000Z', 5)).toBe('2025-04-25T08:00:00.000Z');
    expect(
      addWorkingDays('2025-04-17T08:00:00.000Z', 5, {
        goodFriday: true,
        liberationDay: 'everyYear',
        extra: [],
      }),
    ).toBe('2025-04-28T08:00:00.000Z');
  });

  it('a deadline over Christmas and New Year', () => {
    // Tuesday 23 Dec 2025 10:00 CET: Wed 24, Mon 29, Tue 30, Wed 31, Fri 2 Jan.
    expect(addWorkingDays('2025-12-23T09:00:00.000Z', 5)).toBe('2026-01-02T09:00:00.000Z');
  });

  it('keeps the local wall-clock time across the switch to summer time', () => {
    // Friday 28 March 2025 10:00 CET (09:00Z) → Friday 4 April 10:00 CEST (08:00Z).
    expect(addWorkingDays('2025-03-28T09:00:00.000Z', 5)).toBe('2025-04-04T08:00:00.000Z');
  });
});

describe('calendar months and days in Europe/Amsterdam', () => {
  it('clamps to the end of the month', () => {
    expect(addMonthsToDate('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonthsToDate('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonthsToDate('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsToDate('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonthsToDate('2025-03-31', -1)).toBe('2025-02-28');
  });

  it('adds months to instants keeping local time (DST aware)', () => {
    expect(addMonths('2025-01-15T09:00:00.000Z', 6)).toBe('2025-07-15T08:00:00.000Z');
  });

  it('adds days keeping local time', () => {
    expect(addDays('2025-10-25T10:00:00.000Z', 1)).toBe('2025-10-26T11:00:00.000Z');
  });

  it('derives local dates and whole days between them', () => {
    expect(localDateOf('2025-02-28T23:30:00.000Z')).toBe('2025-03-01');
    expect(localDateOf('2025-07-01T21:59:00.000Z')).toBe('2025-07-01');
    expect(localDateOf('2025-07-01T22:00:00.000Z')).toBe('2025-07-02');
    expect(daysBetweenDates('2024-02-28', '2024-03-01')).toBe(2);
  });
});

describe('workingDaysBetween (handover acceptance KPI)', () => {
  it('counts the working days after the first date up to and including the second', () => {
    expect(workingDaysBetween('2026-03-02T09:00:00.000Z', '2026-03-02T15:00:00.000Z')).toBe(0);
    expect(workingDaysBetween('2026-03-02T09:00:00.000Z', '2026-03-03T08:00:00.000Z')).toBe(1);
    expect(workingDaysBetween('2026-03-06T09:00:00.000Z', '2026-03-09T09:00:00.000Z')).toBe(1); // Fri → Mon
    expect(workingDaysBetween('2026-03-09T09:00:00.000Z', '2026-03-02T09:00:00.000Z')).toBe(0);
  });
  it('skips Easter Monday, Koningsdag and Christmas, counts Good Friday unless the options close it', () => {
    // Thu 2 April 2026 → Tue 7 April: Good Friday 3 April counts, Easter Monday 6 April does not.
    expect(workingDaysBetween('2026-04-02T08:00:00.000Z', '2026-04-07T08:00:00.000Z')).toBe(2);
    expect(workingDaysBetween('2026-04-02T08:00:00.000Z', '2026-04-07T08:00:00.000Z', { goodFriday: true, liberationDay: 'everyYear', extra: [] })).toBe(1);
    // Fri 24 April → Tue 28 April 2026: Koningsdag on Monday 27 April.
    expect(workingDaysBetween('2026-04-24T08:00:00.000Z', '2026-04-28T08:00:00.000Z')).toBe(1);
    // Wed 23 December → Tue 29 December 2026: Thu 24, Mon 28, Tue 29 (Christmas Fri 25 and Sat 26).
    expect(workingDaysBetween('2026-12-23T09:00:00.000Z', '2026-12-29T09:00:00.000Z')).toBe(3);
    // By local date: 23:30 UTC on 31 March is 1 April in Amsterdam.
    expect(workingDaysBetween('2026-03-31T08:00:00.000Z', '2026-03-31T23:30:00.000Z')).toBe(1);
  });
});

describe('local parts of an instant (Intl once per hour)', () => {
  const intl = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const reference = (ms: number) => {
    const p: Record<string, number> = {};
    for (const part of intl.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return { y: p.year, m: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second, ms: ((ms % 1000) + 1000) % 1000 };
  };

  it('equal Intl every 7 minutes and 13 ms across the clock changes of 2020–2031, and a minute either side of each', () => {
    let checked = 0;
    for (let year = 2020; year <= 2031; year++) {
      for (const month of [2, 9]) {
        // The last Sunday of March / October, whole days around it.
        const from = Date.UTC(year, month, 20);
        for (let ms = from; ms < from + 14 * 86_400_000; ms += 7 * 60_000 + 13) {
          expect(partsOf(ms)).toEqual(reference(ms));
          checked++;
        }
        const changeDay = new Date(Date.UTC(year, month + 1, 0));
        changeDay.setUTCDate(changeDay.getUTCDate() - changeDay.getUTCDay());
        const change = changeDay.getTime() + 3_600_000; // 01:00 UTC
        for (const ms of [change - 60_000, change - 1, change, change + 1, change + 60_000]) expect(partsOf(ms)).toEqual(reference(ms));
      }
    }
    expect(checked).toBeGreaterThan(60_000);
  });

  it('equal Intl at random instants of 1900–2300 (seeded), outside the fast range too', () => {
    let seed = 17;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2300, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(from + next() * (to - from));
      expect(partsOf(ms)).toEqual(reference(ms));
    }
  });
});
