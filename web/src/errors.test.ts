import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrorText, fieldLabel, fieldRoot, loginErrorMessage, parseApiError, parseRetryAfter } from './errors.ts';

describe('parseApiError', () => {
  it('reads the standard envelope', () => {
    const e = parseApiError(422, JSON.stringify({ error: { code: 'invalid', message: 'Unknown time zone "Mars/Olympus"', field: 'markets[0].tz' } }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('Unknown time zone "Mars/Olympus"');
    expect(e.field).toBe('markets[0].tz');
    expect(e.retryAfter).toBeNull();
  });
  it('treats an empty field as no field', () => {
    const e = parseApiError(400, '{"error":{"code":"bad_request","message":"Bad JSON","field":""}}');
    expect(e.field).toBeNull();
    expect(e.message).toBe('Bad JSON');
  });
  it('falls back to defaults for empty or non-JSON bodies', () => {
    const e = parseApiError(502, '<html>Bad gateway</html>');
    expect(e.code).toBe('server_error');
    expect(e.message).toMatch(/server had a problem/);
    const n = parseApiError(404, '');
    expect(n.code).toBe('not_found');
    expect(n.isNotFoundOrForbidden).toBe(true);
    const f = parseApiError(403, '{"unexpected":true}');
    expect(f.code).toBe('forbidden');
    expect(f.isNotFoundOrForbidden).toBe(true);
    expect(parseApiError(418, '').message).toBe('Request failed (HTTP 418).');
    expect(parseApiError(0, '').code).toBe('network_error');
  });
  it('keeps partial envelopes', () => {
    const e = parseApiError(409, '{"error":{"code":"stale_version"}}');
    expect(e.code).toBe('stale_version');
    expect(e.isConflict).toBe(true);
    expect(e.message).toMatch(/changed this/);
    expect(parseApiError(400, '{"error":"plain message"}').message).toBe('plain message');
  });
  it('parses Retry-After', () => {
    expect(parseApiError(429, '', '17').retryAfter).toBe(17);
  });
});

describe('parseRetryAfter', () => {
  it('handles seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jun 2026 12:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfter('Mon, 01 Jun 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('-5')).toBeNull();
  });
});

describe('loginErrorMessage', () => {
  it('maps 401 and 429', () => {
    expect(loginErrorMessage(parseApiError(401, '{"error":{"code":"unauthenticated","message":"bad credentials"}}'))).toBe(
      'Email or password is incorrect',
    );
    expect(loginErrorMessage(parseApiError(429, '', '12'))).toBe('Too many attempts, try again in 12 s');
    expect(loginErrorMessage(parseApiError(429, ''))).toBe('Too many attempts, try again later');
    expect(loginErrorMessage(parseApiError(400, '{"error":{"code":"invalid","message":"email is required","field":"email"}}'))).toBe(
      'email is required',
    );
    expect(loginErrorMessage(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
  });
});

describe('fieldRoot', () => {
  it('maps nested field paths to the top-level field', () => {
    expect(fieldRoot('markets[0].tz')).toBe('markets');
    expect(fieldRoot('markets.0.tz')).toBe('markets');
    expect(fieldRoot('/markets/0/tz')).toBe('markets');
    expect(fieldRoot('primary_metric.target')).toBe('primary_metric');
    expect(fieldRoot('description')).toBe('description');
    expect(fieldRoot('')).toBeNull();
    expect(fieldRoot(null)).toBeNull();
  });
});

describe('fieldErrorText', () => {
  it('labels fragments with the field and capitalizes sentences', () => {
    expect(fieldLabel('markets[0].tz')).toBe('Markets 1 tz');
    expect(fieldLabel('markets.2.name')).toBe('Markets 3 name');
    expect(fieldLabel('primary_metric.target')).toBe('Primary metric target');
    expect(fieldErrorText('markets[1].name', 'is required')).toBe('Markets 2 name is required');
    expect(fieldErrorText('budget.currency', 'must be an ISO-4217 code such as EUR or USD')).toBe(
      'Budget currency must be an ISO-4217 code such as EUR or USD',
    );
    expect(fieldErrorText('markets[0].tz', "unknown time zone 'Mars/Olympus'")).toBe("Unknown time zone 'Mars/Olympus'");
    expect(fieldErrorText(null, 'is required')).toBe('Is required');
  });
});
