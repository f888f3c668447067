import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors.ts';
import {
  attributionQuery,
  canShare,
  cellFigure,
  CHART,
  chartGapNote,
  chartGaps,
  chartKeys,
  chartLabel,
  chartLayout,
  chartValue,
  compareCpa,
  drawableKeys,
  DEFAULT_SETTINGS,
  deliveryInfo,
  describeCadence,
  describeRole,
  describeType,
  durationProblem,
  failedModel,
  figureOf,
  formatAmount,
  formatCredit,
  formatMetric,
  formatRoas,
  formatTick,
  hiddenText,
  keyHelp,
  keyLabel,
  keySpend,
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
  totalFigure,
  truncate,
  UNKNOWN_BECAUSE,
  unknownReasons,
  type AttributionSettings,
} from './measurement.ts';
import type { AttributionModel, AttributionResponse, AttributionTotal, CreditRow, FeedContract, PartnerMixRow } from './types.ts';

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
  it('shows CPA or ROAS from the URL', () => {
    expect(parseSettings(new URLSearchParams('show=cpa')).metric).toBe('cpa');
    expect(parseSettings(new URLSearchParams('show=roas')).metric).toBe('roas');
    expect(settingsParams(settings({ metric: 'roas' })).show).toBe('roas');
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

const shown = (key: string, conversions: number, revenue: number, spend: number | null, own = false): CreditRow => ({
  key,
  own,
  users: Math.ceil(conversions),
  conversions,
  revenue,
  spend,
  // What the server computes: CPA and ROAS only where spend is known and not 0.
  cpa: spend !== null && spend > 0 && conversions > 0 ? spend / conversions : null,
  roas: spend !== null && spend > 0 ? revenue / spend : null,
});
const suppressed = (key: string): CreditRow => ({ key, own: false, suppressed: true });

function response(models: AttributionModel[], rows: CreditRow[] = [shown('youtube', 1, 10, 4)]): AttributionResponse {
  return {
    by: 'channel',
    events: 3,
    journeys: 1,
    min_aggregate_users: 50,
    total: { users: 1, journeys: 1, conversions: 1, revenue: 10, spend: 4, cpa: 4, roas: 2.5 },
    partner_mix: [],
    results: Object.fromEntries(models.map((m) => [m, rows])),
  };
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

// Ana: search click (cost 3), youtube impression (1.50), a 100 conversion; Bob: youtube click
// (2.50), a 50 conversion; Cy: a 10 conversion without touches; Dan: a youtube impression (1.00)
// and nothing else. youtube is the caller's own channel; Zed is a channel whose owner does not
// share its spend, listed by linear only; linear's (direct) is withheld.
// Spend: youtube 1.50 + 2.50 + 1.00 = 5, search 3, (direct) none reported; in all 8.
const RESULTS: AttributionResponse['results'] = {
  last: [shown('(direct)', 1, 10, 0), shown('search', 0, 0, 3), shown('youtube', 2, 150, 5, true)],
  first: [shown('(direct)', 1, 10, 0), shown('search', 1, 100, 3), shown('youtube', 1, 50, 5, true)],
  linear: [suppressed('(direct)'), shown('search', 0.5, 50, 3), shown('youtube', 1.5, 100, 5, true), shown('Zed', 0, 0, null)],
};
// 3 conversions worth 160 for 8 of spend: CPA 8/3, ROAS 20.
const TOTAL: AttributionTotal = { users: 3, journeys: 4, conversions: 3, revenue: 160, spend: 8, cpa: 8 / 3, roas: 20 };

describe('what a cell shows', () => {
  it('reads credit, spend, CPA and ROAS from a row', () => {
    const youtube = RESULTS.last![2];
    expect(figureOf(youtube, 'conversions')).toEqual({ kind: 'value', value: 2 });
    expect(figureOf(youtube, 'revenue')).toEqual({ kind: 'value', value: 150 });
    expect(figureOf(youtube, 'spend')).toEqual({ kind: 'value', value: 5 });
    expect(figureOf(youtube, 'cpa')).toEqual({ kind: 'value', value: 2.5 });
    expect(figureOf(youtube, 'roas')).toEqual({ kind: 'value', value: 30 });
    // Revenue 0 on known spend is a ROAS of 0, not an unknown one.
    expect(figureOf(RESULTS.last![1], 'roas')).toEqual({ kind: 'value', value: 0 });
  });
  it('says why spend, CPA or ROAS is unknown', () => {
    const notShared = RESULTS.linear![3];
    for (const f of ['spend', 'cpa', 'roas'] as const) expect(figureOf(notShared, f)).toEqual({ kind: 'none', reason: UNKNOWN_BECAUSE.notShared });
    const direct = RESULTS.last![0];
    for (const f of ['spend', 'cpa', 'roas'] as const) expect(figureOf(direct, f)).toEqual({ kind: 'none', reason: 'unknown: no spend reported' });
    // search has spend but no last-touch conversion to divide it by.
    expect(figureOf(RESULTS.last![1], 'cpa')).toEqual({ kind: 'none', reason: 'unknown: no conversions credited' });
    // Credit is never unknown: a hidden-spend row still shows its conversions.
    expect(figureOf(notShared, 'conversions')).toEqual({ kind: 'value', value: 0 });
    expect(UNKNOWN_BECAUSE.notShared).toBe('not shared with you');
  });
  it('withholds every figure of a suppressed row, and counts a missing row as no credit', () => {
    for (const f of ['conversions', 'revenue', 'spend', 'cpa', 'roas'] as const) expect(figureOf(RESULTS.linear![0], f)).toEqual({ kind: 'hidden' });
    expect(figureOf(undefined, 'conversions')).toEqual({ kind: 'value', value: 0 });
    expect(figureOf(undefined, 'cpa').kind).toBe('none');
    expect(hiddenText(50)).toBe('fewer than 50 people');
    expect(hiddenText(1000)).toBe('fewer than 1,000 people');
  });
});

describe('the credit table', () => {
  const t = pivotResults({ results: RESULTS, total: TOTAL });
  const fig = (key: string, m: AttributionModel, metric: Parameters<typeof cellFigure>[3], share = false) => cellFigure(t, key, m, metric, share);
  it('has models in display order, every key of any model in code-unit order, and the caller’s own keys', () => {
    expect(t.models).toEqual(['first', 'last', 'linear']);
    expect(t.keys).toEqual(['(direct)', 'Zed', 'search', 'youtube']);
    expect(t.cells.get('youtube')?.last).toEqual(RESULTS.last![2]);
    expect([...t.own]).toEqual(['youtube']);
  });
  it('reads a cell as credit, CPA, ROAS or a share of the total; a missing key is 0', () => {
    expect(fig('youtube', 'last', 'conversions')).toEqual({ kind: 'value', value: 2 });
    expect(fig('youtube', 'linear', 'revenue')).toEqual({ kind: 'value', value: 100 });
    expect(fig('youtube', 'first', 'cpa')).toEqual({ kind: 'value', value: 5 });
    expect(chartValue(t, 'search', 'first', 'roas', false)).toBeCloseTo(33.333, 3);
    // 2 of the 3 conversions; 100 of the 160 revenue.
    expect(chartValue(t, 'youtube', 'last', 'conversions', true)).toBeCloseTo(66.6667, 3);
    expect(chartValue(t, 'youtube', 'linear', 'revenue', true)).toBeCloseTo(62.5, 6);
    expect(fig('Zed', 'last', 'conversions')).toEqual({ kind: 'value', value: 0 });
    expect(fig('(direct)', 'linear', 'conversions', true)).toEqual({ kind: 'hidden' });
    // CPA and ROAS have no shares: the flag is ignored.
    expect(fig('youtube', 'last', 'cpa', true)).toEqual({ kind: 'value', value: 2.5 });
  });
  it('shows each key’s spend once, from any model’s row that is shown', () => {
    expect(keySpend(t, 'youtube')).toEqual({ kind: 'value', value: 5 });
    expect(keySpend(t, '(direct)')).toEqual({ kind: 'none', reason: UNKNOWN_BECAUSE.noSpend });
    expect(keySpend(t, 'Zed')).toEqual({ kind: 'none', reason: UNKNOWN_BECAUSE.notShared });
    const allHidden = pivotResults({ results: { last: [suppressed('a')], first: [suppressed('a')] }, total: TOTAL });
    expect(keySpend(allHidden, 'a')).toEqual({ kind: 'hidden' });
  });
  it('lists the reasons behind its "—" cells once each', () => {
    // Credit is always known; the spend column has (direct)'s missing and Zed's hidden spend.
    expect(unknownReasons(t, 'conversions', false)).toEqual([UNKNOWN_BECAUSE.notShared, UNKNOWN_BECAUSE.noSpend]);
    // CPA adds search's last touch, which credits it nothing.
    expect(unknownReasons(t, 'cpa', false)).toEqual([UNKNOWN_BECAUSE.notShared, UNKNOWN_BECAUSE.noSpend, UNKNOWN_BECAUSE.noConversions]);
    const known = pivotResults({ results: { last: [shown('youtube', 2, 150, 5)] }, total: TOTAL });
    expect(unknownReasons(known, 'roas', false)).toEqual([]);
  });
  it('totals from the server’s total, 100% as a share; none when it is withheld', () => {
    expect(totalFigure(t, 'conversions', false)).toEqual({ kind: 'value', value: 3 });
    expect(totalFigure(t, 'revenue', true)).toEqual({ kind: 'value', value: 100 });
    expect(totalFigure(t, 'spend', false)).toEqual({ kind: 'value', value: 8 });
    expect(totalFigure(t, 'roas', false)).toEqual({ kind: 'value', value: 20 });
    expect(canShare(t, 'revenue')).toBe(true);
    expect(canShare(t, 'cpa')).toBe(false);
    const hiddenTotal = pivotResults({ results: RESULTS, total: { suppressed: true } });
    expect(totalFigure(hiddenTotal, 'conversions', true)).toEqual({ kind: 'hidden' });
    expect(canShare(hiddenTotal, 'conversions')).toBe(false);
    // Without a total there are no shares: the credit itself is shown.
    expect(cellFigure(hiddenTotal, 'youtube', 'last', 'conversions', true)).toEqual({ kind: 'value', value: 2 });
    const nothing = pivotResults({ results: { last: [shown('a', 0, 0, 0)] }, total: { ...TOTAL, conversions: 0, revenue: 0 } });
    expect(cellFigure(nothing, 'a', 'last', 'conversions', true)).toEqual({ kind: 'value', value: 0 });
    expect(totalFigure(nothing, 'conversions', true)).toEqual({ kind: 'value', value: 0 });
  });
  it('formats credit with two decimals, money in the activation’s currency, ROAS as a multiple', () => {
    expect(formatCredit(2, false)).toBe('2.00');
    expect(formatCredit(1234.5, false)).toBe('1,234.50');
    expect(formatCredit(66.66666, true)).toBe('66.67%');
    expect(formatCredit(-0.001, false)).toBe('0.00');
    expect(formatAmount(1234.5, 'EUR')).toBe('€1,234.50');
    expect(formatAmount(2.5, 'usd')).toBe('$2.50');
    expect(formatAmount(1234.5, 'JPY')).toBe('¥1,235');
    expect(formatAmount(-0.001, 'EUR')).toBe('€0.00');
    expect(formatAmount(1234.5, null)).toBe('1,234.50');
    expect(formatAmount(1234.5, 'EURO')).toBe('1,234.50');
    expect(formatRoas(30)).toBe('30.00×');
    expect(formatMetric(2.5, 'cpa', false, 'EUR')).toBe('€2.50');
    expect(formatMetric(150, 'revenue', false, 'GBP')).toBe('£150.00');
    expect(formatMetric(62.5, 'revenue', true, 'GBP')).toBe('62.50%');
    expect(formatMetric(2, 'conversions', false, 'GBP')).toBe('2.00');
    expect(formatMetric(8, 'spend', true, null)).toBe('8.00');
    expect(formatMetric(20, 'roas', false, 'EUR')).toBe('20.00×');
  });
});

const group = (key: PartnerMixRow['key'], conversions: number, revenue: number, spend: number | null): PartnerMixRow => ({
  ...(shown(key, conversions, revenue, spend) as Extract<CreditRow, { users: number }>),
  key,
  journeys: conversions * 2,
});

describe('solo vs co-branded', () => {
  const solo = group('solo', 8, 400, 200); // CPA 25
  it('says how much less or more a co-branded conversion costs', () => {
    // 86.25 / 5 = 17.25 against 25: 31% less.
    expect(compareCpa([solo, group('co_branded', 5, 300, 86.25)], 50, 'EUR')).toBe(
      'Co-branded paths cost 31% less per conversion than solo paths (€17.25 against €25.00).',
    );
    // 150 / 5 = 30 against 25: 20% more.
    expect(compareCpa([solo, group('co_branded', 5, 300, 150)], 50, null)).toBe(
      'Co-branded paths cost 20% more per conversion than solo paths (30.00 against 25.00).',
    );
    // 125.5 / 5 = 25.10: 0.4% more rounds to the same.
    expect(compareCpa([group('co_branded', 5, 300, 125.5), solo], 50, null)).toBe(
      'Co-branded and solo paths cost about the same per conversion (25.10 against 25.00).',
    );
  });
  it('says why the two cannot be compared', () => {
    const k = 50;
    expect(compareCpa([solo, { key: 'co_branded', own: false, suppressed: true }], k, null)).toMatch(/cannot be compared: fewer than 50 people stand behind one of them\.$/);
    expect(compareCpa([solo, group('co_branded', 5, 300, null)], k, null)).toMatch(/cannot be compared: some of the spend on these paths is not shared with you\.$/);
    expect(compareCpa([group('solo', 8, 400, 0), group('co_branded', 5, 300, 10)], k, null)).toMatch(/cannot be compared: no spend was reported on one of them\.$/);
    expect(compareCpa([solo, group('co_branded', 0, 0, 10)], k, null)).toMatch(/cannot be compared: one of them has no conversions\.$/);
    expect(compareCpa([solo], k, null)).toMatch(/did not report both groups/);
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
  it('lays out one bar per key × model on one scale, none for a withheld cell', () => {
    const t = pivotResults({ results: RESULTS, total: TOTAL });
    const layout = chartLayout({
      keys: t.keys,
      labels: t.keys,
      models: t.models,
      value: (k, m) => chartValue(t, k, m, 'conversions', false),
      width: 600,
    });
    // 4 keys × 3 models, less linear's withheld (direct).
    expect(layout.bars).toHaveLength(4 * 3 - 1);
    expect(layout.bars.some((b) => b.key === '(direct)' && b.model === 'linear')).toBe(false);
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
    // The withheld bar's slot stays empty: (direct)'s other bars sit where every group's do.
    expect(bar('(direct)', 'last').y - layout.groups[0]!.y).toBe(bar('youtube', 'last').y - layout.groups[3]!.y);
    expect(layout.height).toBe(layout.bottom + 4);
  });
  it('counts and names the cells the chart leaves out', () => {
    const t = pivotResults({ results: RESULTS, total: TOTAL });
    expect(chartGaps(t, t.keys, 'conversions', false)).toEqual({ hidden: 1, unknown: 0 });
    // CPA unknown: (direct) and Zed under first; (direct), search and Zed under last; Zed under linear.
    expect(chartGaps(t, t.keys, 'cpa', false)).toEqual({ hidden: 1, unknown: 6 });
    expect(chartGaps(t, ['youtube'], 'cpa', false)).toEqual({ hidden: 0, unknown: 0 });
    expect(chartGapNote({ hidden: 1, unknown: 6 }, 50)).toBe(
      'Left out of the chart: 1 cell with fewer than 50 people behind it (hidden to protect privacy) and 6 cells without a known value (—).',
    );
    expect(chartGapNote({ hidden: 2, unknown: 0 }, 10)).toBe('Left out of the chart: 2 cells with fewer than 10 people behind them (hidden to protect privacy).');
    expect(chartGapNote({ hidden: 0, unknown: 0 }, 50)).toBeNull();
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
    const rows = Array.from({ length: 15 }, (_, i) => shown(`k${String(i).padStart(2, '0')}`, i, 15 - i, 10));
    const t = pivotResults({ results: { last: [...rows, suppressed('k99')] }, total: TOTAL });
    // k99 is withheld under every model: nothing to draw.
    expect(chartKeys(t, 'conversions', false, 20)).toEqual(t.keys.filter((k) => k !== 'k99'));
    expect(chartKeys(t, 'conversions', false, 3)).toEqual(['k12', 'k13', 'k14']);
    expect(chartKeys(t, 'revenue', false, 3)).toEqual(['k00', 'k01', 'k02']);
    // CPA 10/i is highest for the fewest conversions; k00 has none, so no CPA.
    expect(chartKeys(t, 'cpa', false, 2)).toEqual(['k01', 'k02']);
    expect(drawableKeys(t, 'cpa', false)).toHaveLength(14);
  });
  it('has an accessible name and readable ticks', () => {
    expect(chartLabel(['first', 'last'], 'partner,channel', 3, 'revenue', false)).toBe(
      'Revenue credited by partner and channel: 3 keys × 2 models (First touch, Last touch). The table below lists every value.',
    );
    expect(chartLabel(['markov'], 'channel', 1, 'conversions', true)).toMatch(/^Share of conversions credited by channel: 1 key × 1 model \(Markov chain\)/);
    expect(chartLabel(['last'], 'partner', 2, 'cpa', false)).toMatch(/^Cost per acquisition \(spend ÷ credited conversions\) by partner: 2 keys/);
    expect(formatTick(1500, 'conversions', false)).toBe('1.5K');
    expect(formatTick(25, 'revenue', true)).toBe('25%');
    expect(formatTick(4, 'roas', false)).toBe('4×');
    expect(formatTick(25, 'cpa', true)).toBe('25');
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
