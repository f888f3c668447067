// Calendar dates and IANA time zones through Intl only (no tz data of our own). Pure functions,
// unit-tested in tz.test.ts.
//
// Two kinds of values:
//   - instants: epoch milliseconds (UTC), what the API sends as ISO-8601 strings;
//   - calendar dates: "YYYY-MM-DD" keys with no zone, the cells of a month or week view.
// A day of a zone is the half-open interval [local midnight, next local midnight), which lasts
// 23 or 25 hours on a DST change day, so placement must always go through these helpers and
// never through "+ 24 h".

/** A calendar date, "YYYY-MM-DD". */
export type DateKey = string;

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      era: 'short',
    });
    partsFormatters.set(tz, f);
  }
  return f;
}

/** The browser's own zone ("Europe/Paris"), "UTC" when it cannot be told. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** True when this browser knows the IANA zone. */
export function knowsTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    partsFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. Throws RangeError for an unknown zone. */
export function localParts(ms: number, tz: string): LocalParts {
  const parts = partsFormatter(tz).formatToParts(new Date(ms));
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value) % 24; // some engines write midnight as 24 even with h23
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
    }
  }
  if (bc) year = 1 - year;
  return { year, month, day, hour, minute, second, weekday: weekdayOf(keyOf(year, month, day)) };
}

/** The wall clock of `ms` in `tz`, read as if it were UTC (milliseconds dropped). */
function wallAsUtc(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return utc(p.year, p.month, p.day, p.hour, p.minute, p.second);
}

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 0 || year > 99) return ms;
  const d = new Date(ms); // Date.UTC maps years 0-99 to 1900-1999
  d.setUTCFullYear(d.getUTCFullYear() - 1900);
  return d.getTime();
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in summer: −4 h). */
export function offsetMs(ms: number, tz: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(whole, tz) - whole;
}

export function keyOf(year: number, month: number, day: number): DateKey {
  const y = year < 0 ? '-' + String(-year).padStart(6, '0') : String(year).padStart(4, '0');
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Parses "YYYY-MM-DD" (a real date) or returns null. */
export function parseDateKey(key: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function mustParse(key: DateKey): { year: number; month: number; day: number } {
  const d = parseDateKey(key);
  if (!d) throw new RangeError(`not a date: ${key}`);
  return d;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month + 1, 0)).getUTCDate();
}

/** The calendar date of an instant in a zone. */
export function dayKey(ms: number, tz: string): DateKey {
  const p = localParts(ms, tz);
  return keyOf(p.year, p.month, p.day);
}

export function addDays(key: DateKey, n: number): DateKey {
  const { year, month, day } = mustParse(key);
  const d = new Date(utc(year, month, day) + n * DAY_MS);
  return keyOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The first day of the month `n` months after the month of `key`. */
export function addMonths(key: DateKey, n: number): DateKey {
  const { year, month } = mustParse(key);
  const index = year * 12 + (month - 1) + n;
  return keyOf(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: DateKey, b: DateKey): number {
  const x = mustParse(a);
  const y = mustParse(b);
  return Math.round((utc(y.year, y.month, y.day) - utc(x.year, x.month, x.day)) / DAY_MS);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(key: DateKey): number {
  const { year, month, day } = mustParse(key);
  const w = new Date(utc(year, month, day)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function isWeekend(key: DateKey): boolean {
  return weekdayOf(key) >= 6;
}

/** The Monday of the week of `key`. */
export function startOfWeek(key: DateKey): DateKey {
  return addDays(key, 1 - weekdayOf(key));
}

/** Monday to Sunday of the week of `key`. */
export function weekDays(key: DateKey): DateKey[] {
  const monday = startOfWeek(key);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/**
 * The weeks (Monday first) that cover a month: 4 to 6 rows of 7 dates, the first row starting
 * on or before the 1st and the last ending on or after the last day of the month.
 */
export function monthGrid(year: number, month: number): DateKey[][] {
  const first = keyOf(year, month, 1);
  const last = keyOf(year, month, daysInMonth(year, month));
  const rows: DateKey[][] = [];
  for (let monday = startOfWeek(first); daysBetween(monday, last) >= 0; monday = addDays(monday, 7)) {
    rows.push(weekDays(monday));
  }
  return rows;
}

export type LocalResolution = 'exact' | 'gap' | 'overlap';

/**
 * The instant at which the clocks of `tz` show a wall-clock time. A time that the clocks skip
 * (spring forward) moves later by the gap's length, as RFC 5545 and the server's
 * "shift_forward" do (02:30 in New York on 2026-03-08 is 03:30 EDT); a time shown twice (fall
 * back) is its first occurrence, like "earliest".
 */
export function resolveLocal(
  tz: string,
  key: DateKey,
  hour: number,
  minute: number,
  second = 0,
): { ms: number; resolution: LocalResolution } {
  const { year, month, day } = mustParse(key);
  const wall = utc(year, month, day, hour, minute, second);
  // The offsets in force a day either side: every real zone changes at most once in between.
  const before = offsetMs(wall - DAY_MS, tz);
  const after = offsetMs(wall + DAY_MS, tz);
  const matches = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => wallAsUtc(t, tz) === wall)
    .sort((x, y) => x - y);
  if (matches.length === 0) return { ms: wall - before, resolution: 'gap' };
  return { ms: matches[0]!, resolution: matches.length > 1 ? 'overlap' : 'exact' };
}

export function instantFromLocal(tz: string, key: DateKey, hour: number, minute: number, second = 0): number {
  return resolveLocal(tz, key, hour, minute, second).ms;
}

/** The first instant of a date in a zone (local midnight, or the end of a gap over midnight). */
export function dayStart(key: DateKey, tz: string): number {
  return instantFromLocal(tz, key, 0, 0, 0);
}

/** [start, end) of a date in a zone: 23, 24 or 25 hours long. */
export function dayBounds(key: DateKey, tz: string): [number, number] {
  return [dayStart(key, tz), dayStart(addDays(key, 1), tz)];
}

export function dayLengthHours(key: DateKey, tz: string): number {
  const [s, e] = dayBounds(key, tz);
  return (e - s) / HOUR;
}

/**
 * Wall-clock minutes since midnight of an instant in a zone (0 … 1439.99): where a week view
 * draws it. On a 25-hour day the repeated hour shares its rows, as in every calendar app.
 */
export function minutesIntoDay(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return p.hour * 60 + p.minute + p.second / 60;
}

/** The dates (in the zone) that the half-open interval [start, end) touches. */
export function daysTouched(start: number, end: number, tz: string): DateKey[] {
  if (!(end > start)) return [];
  const first = dayKey(start, tz);
  const last = dayKey(end - 1, tz);
  const n = daysBetween(first, last);
  return Array.from({ length: n + 1 }, (_, i) => addDays(first, i));
}

/**
 * The part of [start, end) inside a date of a zone, as wall-clock minutes for a week view:
 * {from, to} with 0 <= from < to <= 1440, or null when the interval misses the day.
 */
export function segmentInDay(start: number, end: number, key: DateKey, tz: string): { from: number; to: number } | null {
  const [ds, de] = dayBounds(key, tz);
  const s = Math.max(start, ds);
  const e = Math.min(end, de);
  if (!(e > s)) return null;
  const from = s === ds ? 0 : minutesIntoDay(s, tz);
  const to = e === de ? 1440 : minutesIntoDay(e, tz);
  // Across a fall-back hour the wall clock can run backwards: keep a visible sliver.
  return { from, to: Math.max(to, from + 1) };
}

/** "09:00" in the zone. */
export function formatTimeIn(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

function labelFormatter(tz: string, opts: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  const k = `${locale}|${tz}|${JSON.stringify(opts)}`;
  let f = labelFormatters.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz });
    labelFormatters.set(k, f);
  }
  return f;
}

/** "Tue 5 Jan 2027, 09:00" in the zone. */
export function formatDateTimeIn(ms: number, tz: string): string {
  return labelFormatter(tz, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

/** "5 Jan 09:00" in the zone. */
export function formatShortIn(ms: number, tz: string): string {
  return labelFormatter(tz, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms)).replace(',', '');
}

/** The zone's short name at an instant: "EST", "GMT+9", "GMT". */
export function zoneAbbreviation(ms: number, tz: string): string {
  const parts = labelFormatter(tz, { timeZoneName: 'short' }, 'en-US').formatToParts(new Date(ms));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
}

/** Formats a calendar date (no zone involved): formatDateKey("2027-01-05") → "Tue 5 Jan 2027". */
export function formatDateKey(key: DateKey, opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }): string {
  const { year, month, day } = mustParse(key);
  return labelFormatter('UTC', opts).format(new Date(utc(year, month, day, 12)));
}

/** Value for <input type="date">/<input type="time"> of an instant shown in a zone. */
export function toLocalInputs(ms: number, tz: string): { date: DateKey; time: string } {
  const p = localParts(ms, tz);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}${p.second ? ':' + String(p.second).padStart(2, '0') : ''}`;
  return { date: keyOf(p.year, p.month, p.day), time };
}

/** Parses "HH:MM" or "HH:MM:SS" (24 h) into [hour, minute, second], or null. */
export function parseTimeOfDay(s: string): [number, number, number] | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = Number(m[3] ?? '0');
  if (h > 23 || mi > 59 || sec > 59) return null;
  return [h, mi, sec];
}

/** An instant as the API writes it: ISO-8601 UTC with whole seconds, "2027-01-05T09:00:00Z". */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an API instant; NaN when malformed. */
export function parseInstant(s: string | null | undefined): number {
  if (!s) return Number.NaN;
  return Date.parse(s);
}

export { HOUR as HOUR_MS, MINUTE as MINUTE_MS };
