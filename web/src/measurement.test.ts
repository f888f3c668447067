import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors.ts';
import {
  attributionQuery,
  cellValue,
  CHART,
  chartKeys,
  chartLabel,
  chartLayout,
  DEFAULT_SETTINGS,
  deliveryInfo,
  describeCadence,
  describeRole,
  describeType,
  durationProblem,
  failedModel,
  formatCredit,
  formatTick,
  keyHelp,
  keyLabel,
  lateFeeds,
  lateFeedText,
  loadAttribution,
  MODELS,
  niceScale,
  parseSettings,
  pivotResults,
  privacyInfo,
  settingsParams,
  splitPairKey,
  truncate,
  type AttributionSettings,
} from './measurement.ts';
import type { AttributionModel, AttributionResponse, CreditRow, FeedContract } from './types.ts';

const settings = (patch: Partial<AttributionSettings> = {}): AttributionSettings => ({ ...DEFAULT_SETTINGS, ...patch });

describe('settings in the URL', () => {
  it('defaults to every model by channel with the server’s default windows', () => {
    expect(parseSettings(new URLSearchParams(''))).toEqual({
      models: ['first', 'last', 'linear', 'time_decay', 'position', 'markov', 'shapley'],
      by: 'channel',
      clickLookback: '30d',
      viewLookback: '1d',
      halfLife: '7d',
      order: 1,
      metric: 'conversions',
      share: false,
    });
    expect(settingsParams(DEFAULT_SETTINGS)).toEqual({
      models: null,
      by: null,
      click_lookback: null,
      view_lookback: null,
      half_life: null,
      order: null,
      show: null,
      share: null,
    });
  });
  it('reads every setting and writes back only what differs from the defaults', () => {
    const sp = new URLSearchParams('models=markov,last,last&by=partner,channel&click_lookback=7d&view_lookback=0d&half_life=2w&order=3&show=revenue&share=1');
    const s = parseSettings(sp);
    expect(s).toEqual({
      models: ['last', 'markov'],
      by: 'partner,channel',
      clickLookback: '7d',
      viewLookback: '0d',
      halfLife: '2w',
      order: 3,
      metric: 'revenue',
      share: true,
    });
    expect(settingsParams(s)).toEqual({
      models: 'last,markov',
      by: 'partner,channel',
      click_lookback: '7d',
      view_lookback: '0d',
      half_life: '2w',
      order: '3',
      show: 'revenue',
      share: '1',
    });
  });
  it('keeps the default for anything malformed, so old links still open', () => {
    const s = parseSettings(new URLSearchParams('models=magic,,&by=country&click_lookback=5wd&half_life=0d&order=9&show=clicks&share=yes'));
    expect(s).toEqual(DEFAULT_SETTINGS);
  });
  it('explains durations it cannot send', () => {
    expect(durationProblem('30d', true)).toBeNull();
    expect(durationProblem(' 12h ', true)).toBeNull();
    expect(durationProblem('0d', true)).toBeNull();
    expect(durationProblem('0d', false)).toMatch(/longer than 0/);
    for (const bad of ['', '30', 'd', '1.5d', '5wd', '-1d', '3 d', '1y']) expect(durationProblem(bad, true)).toMatch(/whole number and a unit/);
  });
});

describe('attribution query', () => {
  it('names every parameter, with readable commas', () => {
    expect(attributionQuery(DEFAULT_SETTINGS)).toBe(
      '?model=first,last,linear,time_decay,position,markov,shapley&by=channel&click_lookback=30d&view_lookback=1d&half_life=7d&order=1',
    );
    expect(attributionQuery(settings({ by: 'partner,channel', order: 2, halfLife: '12h' }), ['shapley', 'last'])).toBe(
      '?model=last,shapley&by=partner,channel&click_lookback=30d&view_lookback=1d&half_life=12h&order=2',
    );
  });
});

const err = (field: string | null, message: string, code = 'invalid_field', status = 422) => new ApiError(status, code, message, field);

describe('which model a refusal is about', () => {
  const all = [...MODELS];
  it('knows Shapley’s key limit, Markov’s order and time decay’s half-life', () => {
    expect(failedModel(err('model', 'the Shapley model is exact over at most 20 keys', 'too_many_keys'), all)).toBe('shapley');
    expect(failedModel(err('model', 'anything', 'too_many_keys'), all)).toBe('shapley');
    expect(failedModel(err('order', 'the chain needs more than 50000 sweeps', 'resource_exhausted', 429), all)).toBe('markov');
    expect(failedModel(err('half_life', 'the half-life must be positive, e.g. 7d'), all)).toBe('time_decay');
    // The server currently reports the half-life on `model`: the message still tells.
    expect(failedModel(err('model', 'the half-life must be positive, e.g. 7d'), all)).toBe('time_decay');
    expect(failedModel(err('model', 'Markov order 4 supports at most 1000 keys'), all)).toBe('markov');
  });
  it('is the only model asked for, whatever the message', () => {
    expect(failedModel(err('model', 'something went wrong'), ['linear'])).toBe('linear');
  });
  it('does not guess: other fields, and messages naming no or several models', () => {
    expect(failedModel(err('view_lookback', 'must be a duration such as 30d'), all)).toBeNull();
    expect(failedModel(err('model', 'something went wrong'), all)).toBeNull();
    expect(failedModel(err('model', 'linear and markov disagree'), all)).toBeNull();
    expect(failedModel(err('order', 'must be 1, 2, 3 or 4'), ['last'])).toBeNull();
    expect(failedModel(err('model', 'the Shapley model is exact', 'too_many_keys'), ['last', 'first'])).toBeNull();
  });
});

function response(models: AttributionModel[], rows: CreditRow[] = [{ key: 'youtube', conversions: 1, revenue: 10 }]): AttributionResponse {
  return { by: 'channel', events: 3, journeys: 1, conversions: 1, revenue: 10, results: Object.fromEntries(models.map((m) => [m, rows])) };
}

describe('loading attribution', () => {
  it('asks once when every model runs', async () => {
    const fetch = vi.fn(async (models: AttributionModel[]) => response(models));
    const out = await loadAttribution(fetch, ['first', 'last']);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(out.failures).toEqual({});
    expect(Object.keys(out.data!.results)).toEqual(['first', 'last']);
  });
  it('asks again without a refused model and keeps its reason', async () => {
    const tooMany = 'the Shapley model is exact over at most 20 keys on converting paths; these journeys have 25';
    const fetch = vi.fn(async (models: AttributionModel[]) => {
      if (models.includes('shapley')) throw err('model', tooMany, 'too_many_keys');
      return response(models);
    });
    const out = await loadAttribution(fetch, [...MODELS]);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([[...MODELS], ['first', 'last', 'linear', 'time_decay', 'position', 'markov']]);
    expect(out.failures).toEqual({ shapley: tooMany });
    expect(Object.keys(out.data!.results)).not.toContain('shapley');
  });
  it('asks each model alone when a refusal does not say which one it is about', async () => {
    const fetch = vi.fn(async (models: AttributionModel[]) => {
      if (models.includes('position')) throw err('model', 'the paths are too long');
      return response(models);
    });
    const out = await loadAttribution(fetch, ['first', 'position', 'markov']);
    expect(out.failures).toEqual({ position: 'the paths are too long' });
    expect(Object.keys(out.data!.results)).toEqual(['first', 'markov']);
    expect(fetch.mock.calls.at(-1)![0]).toEqual(['first', 'markov']);
  });
  it('answers no data when every model is refused', async () => {
    const fetch = vi.fn(async (models: AttributionModel[]): Promise<AttributionResponse> => {
      throw err('model', `no ${models.join('+')}`);
    });
    const out = await loadAttribution(fetch, ['first', 'last']);
    expect(out.data).toBeNull();
    expect(out.failures).toEqual({ first: 'no first', last: 'no last' });
  });
  it('throws refusals of a window, and a model refusal no single model explains', async () => {
    const windowError = err('view_lookback', 'must be a duration such as 30d, 12h or 90m', 'invalid_duration');
    await expect(loadAttribution(async () => Promise.reject(windowError), ['last'])).rejects.toBe(windowError);
    const together = err('model', 'too much work for one request');
    const fetch = vi.fn(async (models: AttributionModel[]) => {
      if (models.length > 1) throw together;
      return response(models);
    });
    await expect(loadAttribution(fetch, ['first', 'last'])).rejects.toBe(together);
    const notFound = new ApiError(404, 'not_found', 'Not found.');
    await expect(loadAttribution(async () => Promise.reject(notFound), ['last'])).rejects.toBe(notFound);
  });
});

describe('keys', () => {
  it('splits partner × channel keys, quoted names included', () => {
    expect(splitPairKey('StreamCo,youtube')).toEqual(['StreamCo', 'youtube']);
    expect(splitPairKey('"Acme, Inc",search')).toEqual(['Acme, Inc', 'search']);
    expect(splitPairKey('"Say ""hi""","a,b"')).toEqual(['Say "hi"', 'a,b']);
    expect(keyLabel('StreamCo,youtube', 'partner,channel')).toBe('StreamCo · youtube');
    expect(keyLabel('(direct)', 'partner,channel')).toBe('(direct)');
    expect(keyLabel('a,b', 'channel')).toBe('a,b');
  });
  it('explains the placeholder keys', () => {
    expect(keyHelp('(direct)')).toMatch(/without any touch/);
    expect(keyHelp('(none)')).toMatch(/without a channel/);
    expect(keyHelp('youtube')).toBeNull();
  });
});

// Ana: search click, youtube impression, 100 conversion; Bob: youtube click, 50; Cy: direct, 10.
const RESULTS: AttributionResponse['results'] = {
  last: [
    { key: '(direct)', conversions: 1, revenue: 10 },
    { key: 'search', conversions: 0, revenue: 0 },
    { key: 'youtube', conversions: 2, revenue: 150 },
  ],
  first: [
    { key: '(direct)', conversions: 1, revenue: 10 },
    { key: 'search', conversions: 1, revenue: 100 },
    { key: 'youtube', conversions: 1, revenue: 50 },
  ],
  linear: [
    { key: 'search', conversions: 0.5, revenue: 50 },
    { key: 'youtube', conversions: 1.5, revenue: 100 },
    { key: 'Zed', conversions: 1, revenue: 10 },
  ],
};

describe('the credit table', () => {
  const t = pivotResults(RESULTS);
  it('has models in display order, every key of any model in code-unit order, and totals', () => {
    expect(t.models).toEqual(['first', 'last', 'linear']);
    expect(t.keys).toEqual(['(direct)', 'Zed', 'search', 'youtube']);
    expect(t.cells.get('youtube')).toEqual({
      first: { conversions: 1, revenue: 50 },
      last: { conversions: 2, revenue: 150 },
      linear: { conversions: 1.5, revenue: 100 },
    });
    expect(t.totals.last).toEqual({ conversions: 3, revenue: 160 });
    expect(t.totals.linear).toEqual({ conversions: 3, revenue: 160 });
  });
  it('reads a cell as credit or as a share of the model’s total; a missing key is 0', () => {
    expect(cellValue(t, 'youtube', 'last', 'conversions', false)).toBe(2);
    expect(cellValue(t, 'youtube', 'last', 'revenue', false)).toBe(150);
    expect(cellValue(t, 'youtube', 'last', 'conversions', true)).toBeCloseTo(66.6667, 3);
    expect(cellValue(t, 'Zed', 'last', 'conversions', false)).toBe(0);
    expect(cellValue(t, 'Zed', 'last', 'conversions', true)).toBe(0);
    const empty = pivotResults({ last: [{ key: 'a', conversions: 0, revenue: 0 }] });
    expect(cellValue(empty, 'a', 'last', 'conversions', true)).toBe(0);
  });
  it('formats with two decimals', () => {
    expect(formatCredit(2, false)).toBe('2.00');
    expect(formatCredit(1234.5, false)).toBe('1,234.50');
    expect(formatCredit(66.66666, true)).toBe('66.67%');
    expect(formatCredit(-0.001, false)).toBe('0.00');
  });
});

describe('the chart', () => {
  it('picks a round scale', () => {
    expect(niceScale(2)).toEqual({ max: 2, ticks: [0, 0.5, 1, 1.5, 2] });
    expect(niceScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(150)).toEqual({ max: 150, ticks: [0, 50, 100, 150] });
    expect(niceScale(160)).toEqual({ max: 200, ticks: [0, 50, 100, 150, 200] });
    expect(niceScale(100)).toEqual({ max: 100, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceScale(0.3).max).toBeCloseTo(0.3);
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 0.5, 1] });
    expect(niceScale(Number.NaN)).toEqual({ max: 1, ticks: [0, 0.5, 1] });
  });
  it('lays out one bar per key × model on one scale', () => {
    const t = pivotResults(RESULTS);
    const layout = chartLayout({
      keys: t.keys,
      labels: t.keys,
      models: t.models,
      value: (k, m) => cellValue(t, k, m, 'conversions', false),
      width: 600,
    });
    expect(layout.bars).toHaveLength(4 * 3);
    expect(layout.groups.map((g) => g.key)).toEqual(t.keys);
    expect(layout.right).toBe(600 - CHART.valueSpace);
    // The scale ends at 2 (youtube, last touch): that bar spans the whole plot.
    const bar = (k: string, m: AttributionModel) => layout.bars.find((b) => b.key === k && b.model === m)!;
    expect(bar('youtube', 'last').width).toBeCloseTo(layout.right - layout.left);
    expect(bar('youtube', 'linear').width).toBeCloseTo(((layout.right - layout.left) * 1.5) / 2);
    expect(bar('search', 'last').width).toBe(0);
    expect(layout.ticks.map((x) => x.value)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(layout.ticks[0]!.x).toBe(layout.left);
    // Groups follow each other; bars stay inside their group, in model order.
    for (let i = 1; i < layout.groups.length; i++) expect(layout.groups[i]!.y).toBe(layout.groups[i - 1]!.y + layout.groups[i - 1]!.height);
    for (const b of layout.bars) {
      const g = layout.groups.find((x) => x.key === b.key)!;
      expect(b.y).toBeGreaterThanOrEqual(g.y);
      expect(b.y + b.height).toBeLessThanOrEqual(g.y + g.height);
    }
    expect(bar('youtube', 'first').y).toBeLessThan(bar('youtube', 'last').y);
    expect(layout.height).toBe(layout.bottom + 4);
  });
  it('keeps labels to a column of at most 36% of the width, cut with an ellipsis', () => {
    const long = 'A partner with a very long name · youtube-shorts-and-more';
    const layout = chartLayout({ keys: ['k'], labels: [long], models: ['last'], value: () => 1, width: 390 });
    expect(layout.left).toBeLessThanOrEqual(390 * 0.36);
    expect(layout.groups[0]!.shortLabel.endsWith('…')).toBe(true);
    expect(layout.groups[0]!.shortLabel.length).toBeLessThan(long.length);
    expect(layout.groups[0]!.label).toBe(long);
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });
  it('draws the keys with the most credit when there are too many', () => {
    const rows = Array.from({ length: 15 }, (_, i) => ({ key: `k${String(i).padStart(2, '0')}`, conversions: i, revenue: 15 - i }));
    const t = pivotResults({ last: rows });
    expect(chartKeys(t, 'conversions', 20)).toEqual(t.keys);
    expect(chartKeys(t, 'conversions', 3)).toEqual(['k12', 'k13', 'k14']);
    expect(chartKeys(t, 'revenue', 3)).toEqual(['k00', 'k01', 'k02']);
  });
  it('has an accessible name and readable ticks', () => {
    expect(chartLabel(['first', 'last'], 'partner,channel', 3, 'revenue', false)).toBe(
      'Revenue credited by partner and channel: 3 keys × 2 models (First touch, Last touch). The table below lists every value.',
    );
    expect(chartLabel(['markov'], 'channel', 1, 'conversions', true)).toMatch(/^Share of conversions credited by channel: 1 key × 1 model \(Markov chain\)/);
    expect(formatTick(1500, false)).toBe('1.5K');
    expect(formatTick(25, true)).toBe('25%');
  });
});

function feed(patch: Partial<FeedContract> = {}): FeedContract {
  return {
    id: 'dc_1',
    org_id: 'org_s',
    org_name: 'StreamCo',
    feed: 'streamco-events',
    version: 2,
    contract: { feed: 'streamco-events', cadence: '1d', max_delay: '6h', fields: [], allow_extra_fields: false },
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-02T00:00:00Z',
    last_delivery_at: '2026-11-20T08:00:00Z',
    delivery: { state: 'late', due_by: '2026-11-21T14:00:00Z' },
    ...patch,
  };
}

describe('data feeds', () => {
  const now = Date.parse('2026-11-21T17:10:00Z');
  const utc = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  it('says which feed is late, since when it was due and by how much', () => {
    expect(lateFeedText(feed(), now, utc)).toBe('StreamCo’s streamco-events is late: due by 2026-11-21 14:00 UTC (overdue by 3h 10m).');
    expect(lateFeedText(feed({ org_name: 'Nova Sports', feed: 'nova-clicks' }), now, utc)).toBe(
      'Nova Sports’ nova-clicks is late: due by 2026-11-21 14:00 UTC (overdue by 3h 10m).',
    );
    // The default format is the page's date-time format.
    expect(lateFeedText(feed(), now)).toMatch(/^StreamCo’s streamco-events is late: due by \d{1,2} Nov 2026, \d\d:\d\d \(overdue by 3h 10m\)\.$/);
  });
  it('lists only late feeds, in order', () => {
    const items = [
      feed({ id: 'a', delivery: { state: 'on_time', due_by: '2026-11-22T00:00:00Z' } }),
      feed({ id: 'b' }),
      feed({ id: 'c', delivery: { state: 'awaiting_first_delivery', due_by: '2026-11-22T00:00:00Z' }, last_delivery_at: null }),
      feed({ id: 'd', delivery: null }),
      feed({ id: 'e', org_name: 'Lumen Creators' }),
    ];
    expect(lateFeeds(items).map((f) => f.id)).toEqual(['b', 'e']);
  });
  it('names delivery states, privacy classes, cadences, types and roles for people', () => {
    expect(deliveryInfo('on_time')).toMatchObject({ label: 'On time', tone: 'success' });
    expect(deliveryInfo('late')).toMatchObject({ label: 'Late', tone: 'danger' });
    expect(deliveryInfo('awaiting_first_delivery').label).toBe('Awaiting first delivery');
    expect(deliveryInfo('paused')).toMatchObject({ label: 'paused', tone: 'neutral' });
    expect(deliveryInfo(undefined).label).toBe('Unknown');
    expect(privacyInfo('raw_identifier').help).toMatch(/hashed on arrival/i);
    expect(privacyInfo('raw_identifier').help).toMatch(/never stored/);
    expect(privacyInfo('free_text').help).toMatch(/dropped/);
    expect(privacyInfo('secret').label).toBe('secret');
    expect(describeCadence({ cadence: '1d', max_delay: '6h' })).toBe('every 1 day, up to 6 hours late');
    expect(describeCadence({ cadence: '12h', max_delay: '0s' })).toBe('every 12 hours');
    expect(describeCadence({})).toBe('—');
    expect(describeType({ type: 'enum', values: ['view', 'click'] })).toBe('enum: view, click');
    expect(describeType({ type: 'string', max_length: 64 })).toBe('string ≤ 64');
    expect(describeType({ type: 'string', max_length: 1024 })).toBe('string');
    expect(describeRole({ role: 'user_key', identifier: 'email' })).toBe('User key (email)');
    expect(describeRole({ role: 'value', metric: 'revenue' })).toBe('Value (revenue)');
    expect(describeRole({ role: 'event_type', event_types: { view: 'impression', purchase: 'conversion' } })).toBe(
      'Event type (purchase → conversion, view → impression)',
    );
    expect(describeRole({ role: 'event_id' })).toBe('Event id');
    expect(describeRole({})).toBe('');
  });
});
