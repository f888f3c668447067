import { describe, expect, it } from 'vitest';
import {
  compactJson,
  currencyDigits,
  diffObjects,
  formatDateTime,
  formatMetricValue,
  formatMoney,
  groupRaci,
  humanize,
  isValidTimeZone,
  localTimeIn,
  microsToDecimalString,
  microsToInput,
  parseMoneyToMicros,
  parseNumberInput,
  shortHash,
  toDate,
} from './format.ts';

describe('microsToDecimalString', () => {
  it('renders exact decimals', () => {
    expect(microsToDecimalString(0)).toBe('0');
    expect(microsToDecimalString(1)).toBe('0.000001');
    expect(microsToDecimalString(1_000_000)).toBe('1');
    expect(microsToDecimalString(1_234_567_890)).toBe('1234.56789');
    expect(microsToDecimalString(-2_500_000)).toBe('-2.5');
    expect(microsToDecimalString(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991');
    expect(microsToDecimalString(123_456_789_012_345_678n)).toBe('123456789012.345678');
  });
});

describe('formatMoney', () => {
  it('formats micros with the currency symbol and its minor units', () => {
    expect(formatMoney(1_250_000_000_000, 'EUR', 'en-US')).toBe('€1,250,000.00');
    expect(formatMoney(250_000_500_000, 'USD', 'en-US')).toBe('$250,000.50');
    expect(formatMoney(1_500_000, 'JPY', 'en-US')).toBe('¥2');
    expect(formatMoney(12_345_678_000, 'JPY', 'en-US')).toBe('¥12,346');
    expect(formatMoney(1_234_500, 'BHD', 'en-US')).toMatch(/1\.235/);
  });
  it('rounds half away from zero without floating-point error', () => {
    expect(formatMoney(1_005_000, 'EUR', 'en-US')).toBe('€1.01');
    expect(formatMoney(1_004_999, 'EUR', 'en-US')).toBe('€1.00');
    expect(formatMoney(-1_005_000, 'EUR', 'en-US')).toBe('-€1.01');
    // 0.1 + 0.2 style traps: 9007199254.740991 is exact only as a decimal string
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$9,007,199,254.74');
  });
  it('follows the locale', () => {
    expect(formatMoney(1_250_000_000, 'EUR', 'de-DE')).toBe('1.250,00\u00a0€');
  });
  it('lower-case currency codes work', () => {
    expect(formatMoney(5_000_000, 'gbp', 'en-GB')).toBe('£5.00');
  });
  it('falls back for an invalid currency code', () => {
    expect(formatMoney(5_000_000, 'EURO', 'en-US')).toBe('5.00 EURO');
    expect(formatMoney(5_000_000, '', 'en-US')).toBe('5.00 ???');
  });
  it('knows minor units', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
    expect(currencyDigits('nope!')).toBe(2);
  });
});

describe('parseMoneyToMicros', () => {
  it('parses typed amounts', () => {
    expect(parseMoneyToMicros('1,250,000.50')).toBe(1_250_000_500_000);
    expect(parseMoneyToMicros(' 1 250 000 ')).toBe(1_250_000_000_000);
    expect(parseMoneyToMicros('12.5')).toBe(12_500_000);
    expect(parseMoneyToMicros('.5')).toBe(500_000);
    expect(parseMoneyToMicros('0.000001')).toBe(1);
    expect(parseMoneyToMicros('-3')).toBe(-3_000_000);
    expect(parseMoneyToMicros('7.')).toBe(7_000_000);
  });
  it('rejects malformed input', () => {
    expect(parseMoneyToMicros('')).toBeNull();
    expect(parseMoneyToMicros('abc')).toBeNull();
    expect(parseMoneyToMicros('1.2.3')).toBeNull();
    expect(parseMoneyToMicros('1.0000001')).toBeNull();
    expect(parseMoneyToMicros('1e6')).toBeNull();
    expect(parseMoneyToMicros('99999999999')).toBeNull(); // beyond 2^53 micros
  });
  it('round-trips with microsToInput', () => {
    for (const m of [0, 1, 999_999, 1_000_000, 123_456_789, 250_000_000_000]) {
      expect(parseMoneyToMicros(microsToInput(m))).toBe(m);
    }
    expect(microsToInput(null)).toBe('');
  });
});

describe('parseNumberInput', () => {
  it('parses numbers, empty and garbage', () => {
    expect(parseNumberInput('')).toBeNull();
    expect(parseNumberInput('  ')).toBeNull();
    expect(parseNumberInput('1,200')).toBe(1200);
    expect(parseNumberInput('0.25')).toBe(0.25);
    expect(parseNumberInput('-4')).toBe(-4);
    expect(parseNumberInput('2e3')).toBe(2000);
    expect(parseNumberInput('12 leads')).toBeUndefined();
    expect(parseNumberInput('NaN')).toBeUndefined();
    expect(parseNumberInput('Infinity')).toBeUndefined();
  });
});

describe('humanize', () => {
  it('turns tokens into labels', () => {
    expect(humanize('lead_generation')).toBe('Lead generation');
    expect(humanize('tech_integration')).toBe('Tech integration');
    expect(humanize('partner_admin')).toBe('Partner admin');
    expect(humanize('activation.update')).toBe('Activation update');
    expect(humanize('')).toBe('');
    expect(humanize(undefined)).toBe('');
  });
});

describe('dates and time zones', () => {
  it('accepts RFC 3339 and epoch values', () => {
    expect(toDate('2026-06-01T12:00:00Z')?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(toDate(1_780_000_000)?.getTime()).toBe(1_780_000_000_000);
    expect(toDate(1_780_000_000_000)?.getTime()).toBe(1_780_000_000_000);
    expect(toDate('1780000000')?.getTime()).toBe(1_780_000_000_000);
    expect(toDate('not a date')).toBeNull();
    expect(toDate(null)).toBeNull();
  });
  it('formats date-times in a given zone', () => {
    expect(formatDateTime('2026-06-01T12:05:00Z', 'en-GB', 'UTC')).toBe('1 Jun 2026, 12:05');
    expect(formatDateTime('2026-06-01T12:05:00Z', 'en-GB', 'Asia/Tokyo')).toBe('1 Jun 2026, 21:05');
    expect(formatDateTime('garbage')).toBe('garbage');
    expect(formatDateTime(null)).toBe('—');
  });
  it('validates IANA zones', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
  it('gives the local time in a market, DST-aware', () => {
    const summer = new Date('2026-07-01T12:00:00Z');
    expect(localTimeIn('America/New_York', summer)).toEqual({ time: '08:00', weekday: 'Wed', offset: 'GMT-4' });
    expect(localTimeIn('Europe/London', summer)).toEqual({ time: '13:00', weekday: 'Wed', offset: 'GMT+1' });
    expect(localTimeIn('Asia/Tokyo', summer)).toEqual({ time: '21:00', weekday: 'Wed', offset: 'GMT+9' });
    const winter = new Date('2026-01-15T12:00:00Z');
    expect(localTimeIn('America/New_York', winter)?.offset).toBe('GMT-5');
    expect(localTimeIn('Europe/London', winter)?.offset).toBe('GMT');
    expect(localTimeIn('Mars/Olympus', winter)).toBeNull();
  });
});

describe('formatMetricValue', () => {
  it('formats values with units', () => {
    expect(formatMetricValue(1_250_000, 'leads')).toBe('1,250,000 leads');
    expect(formatMetricValue(2.5, '%')).toBe('2.5%');
    expect(formatMetricValue(3.14159, '')).toBe('3.14');
    expect(formatMetricValue(null, 'leads')).toBe('—');
    expect(formatMetricValue(43.5, 'EUR')).toBe('€43.50');
    expect(formatMetricValue(40, 'USD')).toBe('$40.00');
    expect(formatMetricValue(40, 'XQQ')).toBe('XQQ\u00a040.00');
  });
});

describe('compactJson', () => {
  it('renders and truncates', () => {
    expect(compactJson('hi')).toBe('"hi"');
    expect(compactJson(null)).toBe('null');
    expect(compactJson(undefined)).toBe('∅');
    expect(compactJson({ a: [1, 2] })).toBe('{"a":[1,2]}');
    const long = compactJson('x'.repeat(200), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('diffObjects', () => {
  it('lists changed, added and removed keys', () => {
    const d = diffObjects(
      { name: 'A', description: 'old', markets: [{ name: 'US', tz: 'America/New_York' }], gone: 1, version: 3 },
      { name: 'A', description: 'new', markets: [{ tz: 'America/New_York', name: 'US' }], added: true, version: 4 },
    );
    expect(d).toEqual([
      { key: 'description', before: 'old', after: 'new', kind: 'changed' },
      { key: 'gone', before: 1, after: undefined, kind: 'removed' },
      { key: 'added', before: undefined, after: true, kind: 'added' },
    ]);
  });
  it('keeps book-keeping fields when nothing else changed', () => {
    expect(diffObjects({ version: 1 }, { version: 2 })).toEqual([{ key: 'version', before: 1, after: 2, kind: 'changed' }]);
  });
  it('handles creation and deletion', () => {
    expect(diffObjects(null, { name: 'X' })).toEqual([{ key: 'name', before: undefined, after: 'X', kind: 'added' }]);
    expect(diffObjects({ name: 'X' }, null)).toEqual([{ key: 'name', before: 'X', after: undefined, kind: 'removed' }]);
    expect(diffObjects(null, null)).toEqual([]);
  });
});

describe('groupRaci', () => {
  it('groups letters per person in R, A, C, I order, accountable first', () => {
    const g = groupRaci([
      { user_id: 'u2', user_name: 'Sam', responsibility: 'C' },
      { user_id: 'u1', user_name: 'Olivia', responsibility: 'R' },
      { user_id: 'u1', user_name: 'Olivia', responsibility: 'A' },
      { user_id: 'u3', user_name: 'Ben', responsibility: 'R' },
      { user_id: 'u4', user_name: 'Ann', responsibility: 'I' },
      { user_id: 'u1', user_name: 'Olivia', responsibility: 'A' },
    ]);
    expect(g).toEqual([
      { userId: 'u1', name: 'Olivia', letters: 'RA' },
      { userId: 'u3', name: 'Ben', letters: 'R' },
      { userId: 'u2', name: 'Sam', letters: 'C' },
      { userId: 'u4', name: 'Ann', letters: 'I' },
    ]);
  });
});

describe('shortHash', () => {
  it('shortens', () => {
    expect(shortHash('0123456789abcdef0123', 8)).toBe('01234567…');
    expect(shortHash('abc', 8)).toBe('abc');
    expect(shortHash(null)).toBe('');
  });
});
