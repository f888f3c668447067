import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, getCsrfToken, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import { ApiError } from './errors.ts';
import { DEFAULT_SETTINGS } from './measurement.ts';

type Call = { url: string; init: RequestInit };

function storage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => Array.from(m.keys())[i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

let calls: Call[];
function respond(status: number, body?: unknown, headers: Record<string, string> = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const text = body === undefined ? '' : JSON.stringify(body);
      return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json', ...headers } });
    }),
  );
}
const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

beforeEach(() => {
  calls = [];
  vi.stubGlobal('sessionStorage', storage());
});
afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(() => {});
});

const user = { id: 'u1', email: 'o@a', name: 'O', org_id: 'org', org_name: 'Acme', org_kind: 'host', role: 'owner' };

describe('api client', () => {
  it('log-in stores the CSRF token, which later non-GET requests send', async () => {
    respond(200, { token: 't', csrf_token: 'csrf-1', expires_at: '', user });
    expect(await api.login('o@a', 'pw')).toEqual(user);
    expect(getCsrfToken()).toBe('csrf-1');
    expect(calls[0]!.url).toBe('/api/v1/auth/login');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ email: 'o@a', password: 'pw' });

    respond(200, { id: 'a1' });
    await api.patchActivation('a 1', { description: 'x', version: 2 });
    const c = calls[1]!;
    expect(c.url).toBe('/api/v1/activations/a%201');
    expect(c.init.method).toBe('PATCH');
    expect(header(c, 'X-CSRF-Token')).toBe('csrf-1');
    expect(header(c, 'Content-Type')).toBe('application/json');
  });

  it('GET requests carry no CSRF header', async () => {
    setCsrfToken('csrf-2');
    respond(200, { items: [] });
    await api.listActivations();
    expect(header(calls[0]!, 'X-CSRF-Token')).toBeUndefined();
    respond(200, { items: [], next_after_seq: null });
    await api.listAudit('act/1');
    expect(calls[1]!.url).toBe('/api/v1/audit?activation_id=act%2F1');
  });

  it('the audit list follows next_after_seq until the server says it is done', async () => {
    const pages = [
      { items: [{ seq: 3 }], next_after_seq: 500 },
      { items: [], next_after_seq: 1000 },
      { items: [{ seq: 1001 }], next_after_seq: null },
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(JSON.stringify(pages.shift()), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }),
    );
    const list = await api.listAudit('act_1');
    expect(list.items.map((e) => e.seq)).toEqual([3, 1001]);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/audit?activation_id=act_1',
      '/api/v1/audit?activation_id=act_1&after_seq=500',
      '/api/v1/audit?activation_id=act_1&after_seq=1000',
    ]);
  });

  it('GET /me restores the CSRF token and strips it from the user', async () => {
    respond(200, { ...user, csrf_token: 'csrf-3' });
    expect(await api.me()).toEqual(user);
    expect(getCsrfToken()).toBe('csrf-3');
  });

  it('GET /me answers null on 401 without calling the 401 handler', async () => {
    const onUnauth = vi.fn();
    setUnauthorizedHandler(onUnauth);
    setCsrfToken('stale');
    respond(401, { error: { code: 'unauthenticated', message: 'no session', field: '' } });
    expect(await api.me()).toBeNull();
    expect(getCsrfToken()).toBeNull();
    expect(onUnauth).not.toHaveBeenCalled();
  });

  it('a 401 from any other call triggers the 401 handler and throws', async () => {
    const onUnauth = vi.fn();
    setUnauthorizedHandler(onUnauth);
    respond(401, { error: { code: 'unauthenticated', message: 'session expired', field: '' } });
    await expect(api.getActivation('a1')).rejects.toMatchObject({ status: 401, message: 'session expired' });
    expect(onUnauth).toHaveBeenCalledTimes(1);
  });

  it('a failed log-in does not trigger the 401 handler and carries Retry-After', async () => {
    const onUnauth = vi.fn();
    setUnauthorizedHandler(onUnauth);
    respond(429, { error: { code: 'rate_limited', message: 'slow down', field: '' } }, { 'Retry-After': '9' });
    const err = await api.login('o@a', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).retryAfter).toBe(9);
    expect(onUnauth).not.toHaveBeenCalled();
  });

  it('validation errors keep code, message and field', async () => {
    respond(422, { error: { code: 'invalid_time_zone', message: "unknown time zone 'Mars/Olympus'", field: 'markets[0].tz' } });
    await expect(api.patchActivation('a1', { markets: [{ name: 'US', tz: 'Mars/Olympus' }] })).rejects.toMatchObject({
      status: 422,
      code: 'invalid_time_zone',
      field: 'markets[0].tz',
    });
  });

  it('log-out sends the CSRF header and forgets the token even on failure', async () => {
    setCsrfToken('csrf-4');
    respond(204);
    await api.logout();
    expect(header(calls[0]!, 'X-CSRF-Token')).toBe('csrf-4');
    expect(getCsrfToken()).toBeNull();
    setCsrfToken('csrf-5');
    respond(500, {});
    await expect(api.logout()).rejects.toBeInstanceOf(ApiError);
    expect(getCsrfToken()).toBeNull();
  });

  it('network failures become ApiError status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(api.listActivations()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('plan and post writes carry the version they were read at', async () => {
    setCsrfToken('csrf-6');
    respond(200, { plan: null, version: 4 });
    const plan = { launch: { at: '2027-01-05T00:00:00Z' }, milestones: [{ id: 'qa', duration: '1d' }] };
    await api.putMilestones('act_1', plan, 3);
    expect(calls[0]!.url).toBe('/api/v1/activations/act_1/milestones');
    expect(calls[0]!.init.method).toBe('PUT');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ ...plan, version: 3 });

    respond(200, {});
    await api.putPost('act_1', 'ig 1', { platform: 'instagram', market: 'US', at: '2027-01-05T00:00:00Z', version: 4 });
    expect(calls[1]!.url).toBe('/api/v1/activations/act_1/posts/ig%201');
    expect(JSON.parse(String(calls[1]!.init.body))).toMatchObject({ version: 4, platform: 'instagram' });

    respond(200, {});
    await api.deletePost('act_1', 'ig-1', 5);
    expect(calls[2]!.init.method).toBe('DELETE');
    expect(header(calls[2]!, 'If-Match')).toBe('"5"');
    expect(header(calls[2]!, 'X-CSRF-Token')).toBe('csrf-6');
    expect(calls[2]!.init.body).toBeNull();
  });

  it('what-if, feeds: bodies as the server expects them', async () => {
    respond(200, { schedule: {}, pushed_past_launch: [], markets_missed: [] });
    await api.whatIf('act_1', 'qa', '2d');
    expect(calls[0]!.url).toBe('/api/v1/activations/act_1/milestones/what-if');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ delay: { id: 'qa', by: '2d' } });
    respond(201, { feed: {}, url: 'http://h/feeds/tcf_x.ics', token: 'tcf_x' });
    await api.createFeed('user');
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ kind: 'user' });
    await api.createFeed('org', 'StreamCo team');
    expect(JSON.parse(String(calls[2]!.init.body))).toEqual({ kind: 'org', name: 'StreamCo team' });
    respond(200, { feed: {} });
    await api.revokeFeed('feed 1');
    expect(calls[3]!.url).toBe('/api/v1/calendar-feeds/feed%201');
    expect(calls[3]!.init.method).toBe('DELETE');
  });
  it('measurement: the contracts list and attribution with every parameter', async () => {
    respond(200, { items: [] });
    await api.listContracts('act 1');
    expect(calls[0]!.url).toBe('/api/v1/activations/act%201/contracts');
    expect(calls[0]!.init.method).toBe('GET');
    respond(200, { by: 'partner', events: 0, journeys: 0, conversions: 0, revenue: 0, results: { last: [] } });
    await api.getAttribution('act_1', { ...DEFAULT_SETTINGS, by: 'partner', order: 2 }, ['shapley', 'last']);
    expect(calls[1]!.url).toBe('/api/v1/activations/act_1/attribution?model=last,shapley&by=partner&click_lookback=30d&view_lookback=1d&half_life=7d&order=2');
    expect(header(calls[1]!, 'X-CSRF-Token')).toBeUndefined();
  });
});
