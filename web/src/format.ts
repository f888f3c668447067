// Pure formatting / parsing helpers. Unit-tested in format.test.ts.

import type { Money } from './types.ts';

/**
 * Exact decimal string of an amount in micros ("1234567890" → "1234.56789").
 * Works on integers up to Number.MAX_SAFE_INTEGER and on bigint.
 */
export function microsToDecimalString(micros: number | bigint): string {
  let m: bigint;
  if (typeof micros === 'bigint') m = micros;
  else {
    if (!Number.isFinite(micros)) return 'NaN';
    m = BigInt(Math.trunc(micros));
  }
  const neg = m < 0n;
  if (neg) m = -m;
  const units = m / 1_000_000n;
  const frac = (m % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${units.toString()}${frac ? '.' + frac : ''}`;
}

/** Number of minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, BHD 3); 2 if unknown. */
export function currencyDigits(currency: string): number {
  try {
    const nf = new Intl.NumberFormat('en', { style: 'currency', currency });
    return nf.resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Formats an amount in micros of `currency` as money, e.g. formatMoney(1_250_000_000_000, 'EUR')
 * → "€1,250,000.00" (locale-dependent). The amount is rounded half-up to the currency's minor
 * units without going through floating point. Unknown currency codes fall back to
 * "1,250,000.00 XYZ".
 */
export function formatMoney(micros: number | bigint, currency: string, locale?: string): string {
  const code = (currency || '').toUpperCase();
  const digits = currencyDigits(code);
  const exact = roundMicros(micros, digits);
  let nf: Intl.NumberFormat;
  try {
    nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  } catch {
    const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `${formatDecimal(plain, exact)} ${code || '???'}`.trim();
  }
  return formatDecimal(nf, exact);
}

export function formatMoneyValue(m: Money | null | undefined, locale?: string): string {
  if (!m) return '—';
  return formatMoney(m.amount_micros, m.currency, locale);
}

// Intl.NumberFormat.format accepts exact decimal strings (Intl.NumberFormat v3, all evergreen
// browsers and Node >= 19). The cast is needed because older TS lib typings only declare number.
function formatDecimal(nf: Intl.NumberFormat, decimal: string): string {
  return (nf.format as (v: number | bigint | string) => string)(decimal);
}

/** Rounds micros half away from zero to `digits` decimals; returns an exact decimal string. */
function roundMicros(micros: number | bigint, digits: number): string {
  let m = typeof micros === 'bigint' ? micros : BigInt(Math.trunc(Number.isFinite(micros) ? micros : 0));
  const d = Math.min(Math.max(digits, 0), 6);
  const step = 10n ** BigInt(6 - d);
  const neg = m < 0n;
  if (neg) m = -m;
  let q = m / step;
  if ((m % step) * 2n >= step) q += 1n;
  m = q * step;
  return microsToDecimalString(neg ? -m : m);
}

/**
 * Parses a user-typed money amount ("1,250,000.50", "1 250 000", "12.5") into integer micros.
 * Grouping separators (comma, space, apostrophe, underscore) are ignored; "." is the decimal
 * point. Returns null for empty or malformed input or more than 6 decimals.
 */
export function parseMoneyToMicros(input: string): number | null {
  const s = input.trim().replace(/[\s,'_\u00a0\u202f]/g, '');
  const m = /^(-?)(\d+)(?:\.(\d{0,6}))?$/.exec(s) ?? /^(-?)()\.(\d{1,6})$/.exec(s);
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  const v = BigInt(whole || '0') * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const n = Number(v);
  return sign === '-' ? -n : n;
}

/** Converts micros into a plain decimal string for an <input> ("1250000.5"). */
export function microsToInput(micros: number | null | undefined): string {
  if (micros == null) return '';
  return microsToDecimalString(micros);
}

/** "lead_generation" → "Lead generation", "tech_integration" → "Tech integration". */
export function humanize(token: string | null | undefined): string {
  if (!token) return '';
  const s = token.replace(/[_.-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Accepts an RFC 3339 string, epoch milliseconds or epoch seconds. */
export function toDate(v: string | number | null | undefined): Date | null {
  if (v == null || v === '') return null;
  if (typeof v === 'number') {
    const ms = Math.abs(v) < 1e11 ? v * 1000 : v;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (/^\d+$/.test(v)) return toDate(Number(v));
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A short, unambiguous date-time in the viewer's zone: "12 Mar 2026, 14:05". */
export function formatDateTime(v: string | number | null | undefined, locale?: string, timeZone?: string): string {
  const d = toDate(v);
  if (!d) return typeof v === 'string' && v ? v : '—';
  return new Intl.DateTimeFormat(locale ?? 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(d);
}

export function isValidTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time in an IANA zone: { time: "09:41", weekday: "Tue", offset: "GMT+9" }, or
 * null if the zone is unknown to this browser.
 */
export function localTimeIn(tz: string, now: Date = new Date(), locale = 'en-GB'): { time: string; weekday: string; offset: string } | null {
  try {
    const parts = new Intl.DateTimeFormat(locale, {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
      timeZoneName: 'shortOffset',
    }).formatToParts(now);
    const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
    const offset = get('timeZoneName').replace(/^(GMT|UTC)[+-]0?0(:00)?$/, 'GMT');
    return { time: `${get('hour')}:${get('minute')}`, weekday: get('weekday'), offset };
  } catch {
    return null;
  }
}

/** Formats a metric value with its unit: (1250000, "leads") → "1,250,000 leads"; "%" is attached. */
export function formatMetricValue(v: number | null | undefined, unit: string | null | undefined, locale = 'en-US'): string {
  if (v == null || !Number.isFinite(v)) return '—';
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);
  const u = (unit ?? '').trim();
  if (!u) return n;
  if (u === '%' || u === 'percent') return `${n}%`;
  if (/^[A-Z]{3}$/.test(u)) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: u, maximumFractionDigits: 2 }).format(v);
    } catch {
      // Not a currency code known to this browser: show the unit as is.
    }
  }
  return `${n} ${u}`;
}

/** Parses a metric number typed by a user; "" → null; returns undefined when malformed. */
export function parseNumberInput(input: string): number | null | undefined {
  const s = input.trim().replace(/[\s,_\u00a0\u202f]/g, '');
  if (s === '') return null;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Compact, single-line rendering of any JSON value, truncated to `max` characters. */
export function compactJson(v: unknown, max = 80): string {
  let s: string;
  if (v === undefined) s = '∅';
  else if (typeof v === 'string') s = JSON.stringify(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? s.slice(0, Math.max(1, max - 1)) + '…' : s;
}

export interface DiffLine {
  key: string;
  before: unknown;
  after: unknown;
  kind: 'added' | 'removed' | 'changed';
}

const DIFF_IGNORED = new Set(['updated_at', 'version']);

/**
 * Field-level diff between an audit entry's before and after objects (top-level keys).
 * Book-keeping fields (updated_at, version) are left out unless they are the only change.
 */
export function diffObjects(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): DiffLine[] {
  const b = before ?? {};
  const a = after ?? {};
  const keys = Array.from(new Set([...Object.keys(b), ...Object.keys(a)]));
  const lines: DiffLine[] = [];
  for (const key of keys) {
    const inB = Object.prototype.hasOwnProperty.call(b, key);
    const inA = Object.prototype.hasOwnProperty.call(a, key);
    const vb = b[key];
    const va = a[key];
    if (inB && inA && stableStringify(vb) === stableStringify(va)) continue;
    lines.push({ key, before: inB ? vb : undefined, after: inA ? va : undefined, kind: !inB ? 'added' : !inA ? 'removed' : 'changed' });
  }
  const significant = lines.filter((l) => !DIFF_IGNORED.has(l.key));
  return significant.length > 0 ? significant : lines;
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + stableStringify(o[k])).join(',') + '}';
}

/** Orders RACI letters R, A, C, I and groups them per person: [{name, letters:"RA"}]. */
export function groupRaci(
  raci: ReadonlyArray<{ user_id: string; user_name: string; responsibility: string }>,
): { userId: string; name: string; letters: string }[] {
  const order = 'RACI';
  const byUser = new Map<string, { userId: string; name: string; set: Set<string> }>();
  for (const r of raci) {
    let e = byUser.get(r.user_id);
    if (!e) {
      e = { userId: r.user_id, name: r.user_name, set: new Set() };
      byUser.set(r.user_id, e);
    }
    e.set.add(r.responsibility);
  }
  const out = Array.from(byUser.values()).map((e) => ({
    userId: e.userId,
    name: e.name,
    letters: Array.from(e.set).sort((x, y) => rank(x) - rank(y)).join(''),
  }));
  // Accountable first, then Responsible, then the rest; alphabetical within a group.
  const weight = (l: string) => (l.includes('A') ? 0 : l.includes('R') ? 1 : l.includes('C') ? 2 : 3);
  out.sort((x, y) => weight(x.letters) - weight(y.letters) || x.name.localeCompare(y.name));
  return out;
  function rank(l: string) {
    const i = order.indexOf(l);
    return i < 0 ? 99 : i;
  }
}

/** First characters of a hex hash for display. */
export function shortHash(h: string | null | undefined, n = 12): string {
  if (!h) return '';
  return h.length > n ? h.slice(0, n) + '…' : h;
}
