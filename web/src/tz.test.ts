import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayBounds,
  dayKey,
  dayLengthHours,
  daysTouched,
  formatDateKey,
  formatTimeIn,
  instantFromLocal,
  isoSeconds,
  localParts,
  minutesIntoDay,
  monthGrid,
  offsetMs,
  parseDateKey,
  parseTimeOfDay,
  resolveLocal,
  segmentInDay,
  startOfWeek,
  toLocalInputs,
  weekDays,
  weekdayOf,
} from './tz.ts';

const t = (iso: string) => Date.parse(iso);
const NY = 'America/New_York';
const SYD = 'Australia/Sydney';

describe('calendar dates', () => {
  it('adds days and months across month and year ends and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 1)).toBe('2026-12-01');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-01');
    expect(addMonths('2027-01-15', -1)).toBe('2026-12-01');
    expect(addMonths('2027-01-15', -13)).toBe('2025-12-01');
  });
  it('knows weekdays (Monday = 1) and the Monday of a week', () => {
    expect(weekdayOf('2027-01-05')).toBe(2); // a Tuesday
    expect(weekdayOf('2027-01-10')).toBe(7);
    expect(startOfWeek('2027-01-10')).toBe('2027-01-04');
    expect(startOfWeek('2027-01-04')).toBe('2027-01-04');
    expect(weekDays('2027-01-06')).toEqual(['2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-01-09', '2027-01-10']);
  });
  it('refuses dates that do not exist', () => {
    expect(parseDateKey('2026-02-29')).toBeNull();
    expect(parseDateKey('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseDateKey('2026-13-01')).toBeNull();
    expect(parseDateKey('26-1-1')).toBeNull();
  });
  it('formats a date without any zone shifting it', () => {
    expect(formatDateKey('2027-01-05')).toBe('Tue, 5 Jan 2027');
    expect(formatDateKey('2026-03-08', { day: 'numeric' })).toBe('8');
  });
});

describe('monthGrid', () => {
  it('covers a month in Monday-first weeks', () => {
    // February 2027 starts on a Monday and has exactly four weeks.
    const feb = monthGrid(2027, 2);
    expect(feb).toHaveLength(4);
    expect(feb[0]![0]).toBe('2027-02-01');
    expect(feb[3]![6]).toBe('2027-02-28');
    // January 2027 starts on a Friday: the grid opens on Monday 28 December.
    const jan = monthGrid(2027, 1);
    expect(jan[0]![0]).toBe('2026-12-28');
    expect(jan[0]![4]).toBe('2027-01-01');
    expect(jan.at(-1)!.at(-1)).toBe('2027-01-31');
    expect(jan).toHaveLength(5);
    // August 2026: the 1st is a Saturday and the 31st a Monday: six rows.
    const aug = monthGrid(2026, 8);
    expect(aug).toHaveLength(6);
    expect(aug[5]![0]).toBe('2026-08-31');
    for (const row of [...feb, ...jan, ...aug]) {
      expect(row).toHaveLength(7);
      expect(weekdayOf(row[0]!)).toBe(1);
    }
  });
});

describe('zones', () => {
  it('reads wall-clock parts and offsets', () => {
    expect(localParts(t('2027-01-05T00:00:00Z'), 'Asia/Tokyo')).toMatchObject({ year: 2027, month: 1, day: 5, hour: 9, minute: 0, weekday: 2 });
    expect(offsetMs(t('2026-07-01T12:00:00Z'), NY)).toBe(-4 * 3600_000);
    expect(offsetMs(t('2026-12-01T12:00:00Z'), NY)).toBe(-5 * 3600_000);
    expect(offsetMs(t('2026-06-01T12:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * 3600_000);
    expect(formatTimeIn(t('2027-01-05T14:00:00Z'), NY)).toBe('09:00');
    expect(formatTimeIn(t('2027-01-05T14:00:00Z'), 'Asia/Tokyo')).toBe('23:00');
  });

  it('buckets instants into the right local day', () => {
    const at = t('2027-01-05T03:30:00Z');
    expect(dayKey(at, 'UTC')).toBe('2027-01-05');
    expect(dayKey(at, NY)).toBe('2027-01-04');
    expect(dayKey(at, 'Asia/Tokyo')).toBe('2027-01-05');
    expect(dayKey(t('2027-01-04T15:00:00Z'), 'Asia/Tokyo')).toBe('2027-01-05');
    expect(dayKey(t('2027-01-04T14:59:59Z'), 'Asia/Tokyo')).toBe('2027-01-04');
  });

  it('New York spring forward: a 23-hour day whose boundaries are local midnights', () => {
    expect(dayBounds('2026-03-08', NY)).toEqual([t('2026-03-08T05:00:00Z'), t('2026-03-09T04:00:00Z')]);
    expect(dayLengthHours('2026-03-08', NY)).toBe(23);
    expect(dayKey(t('2026-03-08T04:59:59Z'), NY)).toBe('2026-03-07');
    expect(dayKey(t('2026-03-08T05:00:00Z'), NY)).toBe('2026-03-08');
    expect(dayKey(t('2026-03-09T03:59:59Z'), NY)).toBe('2026-03-08');
    expect(dayKey(t('2026-03-09T04:00:00Z'), NY)).toBe('2026-03-09');
    // 02:30 does not exist: it moves later by the gap's length, like "shift_forward".
    expect(resolveLocal(NY, '2026-03-08', 2, 30)).toEqual({ ms: t('2026-03-08T07:30:00Z'), resolution: 'gap' });
    expect(formatTimeIn(t('2026-03-08T07:30:00Z'), NY)).toBe('03:30');
    expect(resolveLocal(NY, '2026-03-08', 3, 30)).toEqual({ ms: t('2026-03-08T07:30:00Z'), resolution: 'exact' });
    expect(resolveLocal(NY, '2026-03-08', 1, 59)).toEqual({ ms: t('2026-03-08T06:59:00Z'), resolution: 'exact' });
  });

  it('New York fall back: a 25-hour day and the first of two 01:30s', () => {
    expect(dayBounds('2026-11-01', NY)).toEqual([t('2026-11-01T04:00:00Z'), t('2026-11-02T05:00:00Z')]);
    expect(dayLengthHours('2026-11-01', NY)).toBe(25);
    expect(resolveLocal(NY, '2026-11-01', 1, 30)).toEqual({ ms: t('2026-11-01T05:30:00Z'), resolution: 'overlap' });
    // Both 01:30s are drawn at 01:30, in the same day.
    expect(minutesIntoDay(t('2026-11-01T05:30:00Z'), NY)).toBe(90);
    expect(minutesIntoDay(t('2026-11-01T06:30:00Z'), NY)).toBe(90);
    expect(dayKey(t('2026-11-02T04:59:59Z'), NY)).toBe('2026-11-01');
  });

  it('Sydney fall back (April) and spring forward (October)', () => {
    expect(dayBounds('2026-04-05', SYD)).toEqual([t('2026-04-04T13:00:00Z'), t('2026-04-05T14:00:00Z')]);
    expect(dayLengthHours('2026-04-05', SYD)).toBe(25);
    // 02:30 is shown twice; the first is daylight time, as the server's "earliest".
    expect(resolveLocal(SYD, '2026-04-05', 2, 30)).toEqual({ ms: t('2026-04-04T15:30:00Z'), resolution: 'overlap' });
    expect(dayBounds('2026-10-04', SYD)).toEqual([t('2026-10-03T14:00:00Z'), t('2026-10-04T13:00:00Z')]);
    expect(dayLengthHours('2026-10-04', SYD)).toBe(23);
    expect(resolveLocal(SYD, '2026-10-04', 2, 15).resolution).toBe('gap');
    expect(formatTimeIn(resolveLocal(SYD, '2026-10-04', 2, 15).ms, SYD)).toBe('03:15');
    expect(dayKey(t('2026-04-05T13:59:59Z'), SYD)).toBe('2026-04-05');
    expect(dayKey(t('2026-04-05T14:00:00Z'), SYD)).toBe('2026-04-06');
  });

  it('lists the days an interval touches and its part of one day', () => {
    const start = t('2027-01-02T00:00:00Z');
    const end = t('2027-01-05T00:00:00Z');
    expect(daysTouched(start, end, 'UTC')).toEqual(['2027-01-02', '2027-01-03', '2027-01-04']);
    expect(daysTouched(start, end, NY)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04']);
    expect(segmentInDay(start, end, '2027-01-01', NY)).toEqual({ from: 19 * 60, to: 1440 });
    expect(segmentInDay(start, end, '2027-01-04', NY)).toEqual({ from: 0, to: 19 * 60 });
    expect(segmentInDay(start, end, '2027-01-05', NY)).toBeNull();
    expect(daysTouched(end, start, 'UTC')).toEqual([]);
  });

  it('converts to and from form inputs in a zone', () => {
    expect(toLocalInputs(t('2027-01-05T00:00:00Z'), 'Asia/Tokyo')).toEqual({ date: '2027-01-05', time: '09:00' });
    expect(toLocalInputs(t('2027-01-05T00:00:00Z'), NY)).toEqual({ date: '2027-01-04', time: '19:00' });
    expect(instantFromLocal('Asia/Tokyo', '2027-01-05', 9, 0)).toBe(t('2027-01-05T00:00:00Z'));
    expect(parseTimeOfDay('9:05')).toEqual([9, 5, 0]);
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(isoSeconds(t('2027-01-05T00:00:00.900Z'))).toBe('2027-01-05T00:00:00Z');
  });
});
