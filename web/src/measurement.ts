// The measurement page's pure logic: the attribution settings and their URL form, the API query,
// which model a refusal is about, the table pivot with what each cell shows (a number, a figure
// withheld for privacy, or "—" and why), money and ROAS formats, the solo vs co-branded
// comparison, the grouped bar chart's scale and layout, and the texts of the data-feed list
// (delivery status, late-feed alerts, privacy classes, roles). Unit-tested in
// measurement.test.ts. The server computes every credit, spend, CPA and ROAS; nothing here does.

import { ApiError } from './errors.ts';
import { currencyDigits, formatDateTime } from './format.ts';
import { describeDuration, formatSpan } from './plan.ts';
import type {
  AttributionModel,
  AttributionResponse,
  AttributionTotal,
  ContractField,
  CreditKey,
  CreditRow,
  DataContractDocument,
  DeliveryState,
  FeedContract,
  JourneyGroup,
  PartnerMixRow,
  ShownFigures,
  SuppressedFigures,
} from './types.ts';

// ---------- models ----------

/** Every model the server knows, in the order they are shown. */
export const MODELS: readonly AttributionModel[] = ['first', 'last', 'linear', 'time_decay', 'position', 'markov', 'shapley'];

export interface ModelInfo {
  label: string;
  /** One line: how the model shares a conversion. */
  help: string;
  color: string;
}

export const MODEL_INFO: Record<AttributionModel, ModelInfo> = {
  first: { label: 'First touch', help: 'All the credit goes to the first touch on the path.', color: '#2f5bd3' },
  last: { label: 'Last touch', help: 'All the credit goes to the last touch before the conversion.', color: '#d9480f' },
  linear: { label: 'Linear', help: 'Every touch on the path gets an equal share.', color: '#1d7a4a' },
  time_decay: {
    label: 'Time decay',
    help: 'Recent touches get more: a touch’s weight halves with every half-life between it and the conversion.',
    color: '#7c3aed',
  },
  position: {
    label: 'Position-based',
    help: '40% to the first touch, 40% to the last and 20% shared by those in between (half each with two touches).',
    color: '#0e7490',
  },
  markov: {
    label: 'Markov chain',
    help: 'Shares by removal effect: how many conversions the paths would lose without the key (the order is how many steps the chain remembers).',
    color: '#b7791f',
  },
  shapley: {
    label: 'Shapley value',
    help: 'Shares by each key’s average marginal contribution over every combination of keys seen together (exact, up to 20 keys).',
    color: '#be185d',
  },
};

export const CREDIT_KEYS: readonly { value: CreditKey; label: string }[] = [
  { value: 'channel', label: 'Channel' },
  { value: 'partner', label: 'Partner' },
  { value: 'partner,channel', label: 'Partner × channel' },
];

// ---------- settings and their URL form ----------

/** What the model columns show: credit, or what that credit cost (CPA) and returned (ROAS). */
export type CreditMetric = 'conversions' | 'revenue' | 'cpa' | 'roas';

export const METRICS: readonly { value: CreditMetric; label: string; help: string }[] = [
  { value: 'conversions', label: 'Conversions', help: 'Conversions credited to each key.' },
  { value: 'revenue', label: 'Revenue', help: 'Revenue credited to each key.' },
  { value: 'cpa', label: 'CPA', help: 'Cost per acquisition: the key’s spend divided by the conversions credited to it.' },
  { value: 'roas', label: 'ROAS', help: 'Return on ad spend: the revenue credited to the key divided by its spend.' },
];

/** What the attribution section shows: the request (models, key, windows) and the view. */
export interface AttributionSettings {
  /** Chosen models, in MODELS order; never empty. */
  models: AttributionModel[];
  by: CreditKey;
  clickLookback: string;
  viewLookback: string;
  halfLife: string;
  /** Markov chain order, 1 to 4. */
  order: number;
  metric: CreditMetric;
  /** Show each model's column as shares of its total instead of absolute credit. */
  share: boolean;
}

export const DEFAULT_SETTINGS: AttributionSettings = {
  models: [...MODELS],
  by: 'channel',
  clickLookback: '30d',
  viewLookback: '1d',
  halfLife: '7d',
  order: 1,
  metric: 'conversions',
  share: false,
};

const DURATION_RE = /^(\d{1,6})([smhdw])$/;

/**
 * Why a lookback or half-life the user typed cannot be sent, or null when it can: a whole number
 * and one of s, m, h, d, w (working days are refused by the server); a half-life must not be 0.
 */
export function durationProblem(text: string, allowZero: boolean): string | null {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return 'Use a whole number and a unit: 30d, 12h, 90m or 2w.';
  if (!allowZero && Number(m[1]) === 0) return 'Must be longer than 0, e.g. 7d.';
  return null;
}

/** Models in MODELS order without repeats or unknown names. */
export function normaliseModels(names: readonly string[]): AttributionModel[] {
  const set = new Set(names);
  return MODELS.filter((m) => set.has(m));
}

/**
 * Settings from the page's URL query (`models=first,last&by=partner&show=revenue&share=1`, plus
 * `click_lookback`, `view_lookback`, `half_life`, `order` as the API names them). Anything
 * missing or malformed keeps its default, so an old or hand-edited link still opens.
 */
export function parseSettings(sp: URLSearchParams): AttributionSettings {
  const s: AttributionSettings = { ...DEFAULT_SETTINGS, models: [...DEFAULT_SETTINGS.models] };
  const models = normaliseModels((sp.get('models') ?? '').split(','));
  if (models.length > 0) s.models = models;
  const by = sp.get('by');
  if (by === 'channel' || by === 'partner' || by === 'partner,channel') s.by = by;
  const click = sp.get('click_lookback');
  if (click && !durationProblem(click, true)) s.clickLookback = click;
  const view = sp.get('view_lookback');
  if (view && !durationProblem(view, true)) s.viewLookback = view;
  const half = sp.get('half_life');
  if (half && !durationProblem(half, false)) s.halfLife = half;
  const order = sp.get('order');
  if (order && /^[1-4]$/.test(order)) s.order = Number(order);
  const show = sp.get('show');
  if (show === 'revenue' || show === 'cpa' || show === 'roas') s.metric = show;
  if (sp.get('share') === '1') s.share = true;
  return s;
}

/** The URL query of settings: only what differs from the defaults (null = leave out). */
export function settingsParams(s: AttributionSettings): Record<string, string | null> {
  const d = DEFAULT_SETTINGS;
  const models = normaliseModels(s.models);
  return {
    models: models.length > 0 && models.join(',') !== d.models.join(',') ? models.join(',') : null,
    by: s.by !== d.by ? s.by : null,
    click_lookback: s.clickLookback !== d.clickLookback ? s.clickLookback : null,
    view_lookback: s.viewLookback !== d.viewLookback ? s.viewLookback : null,
    half_life: s.halfLife !== d.halfLife ? s.halfLife : null,
    order: s.order !== d.order ? String(s.order) : null,
    show: s.metric !== d.metric ? s.metric : null,
    share: s.share ? '1' : null,
  };
}

/**
 * The query string of GET /activations/{id}/attribution for these settings and models, every
 * parameter explicit: `?model=first,last&by=channel&click_lookback=30d&view_lookback=1d&half_life=7d&order=1`.
 * Commas stay readable (they are allowed in a query); everything else is percent-encoded.
 */
export function attributionQuery(s: AttributionSettings, models: readonly AttributionModel[] = s.models): string {
  const params: [string, string][] = [
    ['model', normaliseModels(models).join(',')],
    ['by', s.by],
    ['click_lookback', s.clickLookback],
    ['view_lookback', s.viewLookback],
    ['half_life', s.halfLife],
    ['order', String(s.order)],
  ];
  return '?' + params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/gi, ',')}`).join('&');
}

// ---------- refusals of one model ----------

const MODEL_WORDS: Record<AttributionModel, RegExp> = {
  first: /\bfirst[- _]touch\b/i,
  last: /\blast[- _]touch\b/i,
  linear: /\blinear\b/i,
  time_decay: /\btime[- _]decay\b|\bhalf-life\b/i,
  position: /\bposition\b/i,
  markov: /\bmarkov\b/i,
  shapley: /\bshapley\b/i,
};

/**
 * The model among `requested` that a refusal is about, or null when it cannot be told from the
 * error alone. The server names the field `model` for any model's refusal (Shapley's
 * `too_many_keys`, a half-life time_decay cannot use); `order` is Markov's and `half_life`
 * time_decay's. A `model` refusal that names no single requested model needs probing.
 */
export function failedModel(
  e: Pick<ApiError, 'code' | 'field' | 'message'>,
  requested: readonly AttributionModel[],
): AttributionModel | null {
  const has = (m: AttributionModel) => requested.includes(m);
  if (e.field === 'order') return has('markov') ? 'markov' : null;
  if (e.field === 'half_life') return has('time_decay') ? 'time_decay' : null;
  if (e.field !== 'model') return null;
  if (requested.length === 1) return requested[0]!;
  if (e.code === 'too_many_keys' && has('shapley')) return 'shapley';
  const named = requested.filter((m) => MODEL_WORDS[m].test(e.message));
  return named.length === 1 ? named[0]! : null;
}

export interface AttributionOutcome {
  /** The answer for the models that worked; null when none did. */
  data: AttributionResponse | null;
  /** The server's message for each model it refused. */
  failures: Partial<Record<AttributionModel, string>>;
}

/**
 * Asks for all `models` at once; when the server refuses one model (422 on `model`, or Markov's
 * `order`), notes why and asks again without it, so one model that cannot run (Shapley with more
 * than 20 keys) does not hide the others. When a refusal does not say which model it is about,
 * each model is asked for alone to find out. Any other error (a window the server refuses, 404,
 * network) is thrown for the caller to show.
 */
export async function loadAttribution(
  fetchModels: (models: AttributionModel[]) => Promise<AttributionResponse>,
  models: readonly AttributionModel[],
): Promise<AttributionOutcome> {
  let pending = [...models];
  const failures: Partial<Record<AttributionModel, string>> = {};
  while (pending.length > 0) {
    try {
      return { data: await fetchModels(pending), failures };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const culprit = failedModel(e, pending);
      if (culprit) {
        failures[culprit] = e.message;
        pending = pending.filter((m) => m !== culprit);
        continue;
      }
      if (e.field !== 'model') throw e;
      const probes = await Promise.all(
        pending.map(async (m): Promise<[AttributionModel, string] | null> => {
          try {
            await fetchModels([m]);
            return null;
          } catch (p) {
            if (p instanceof ApiError && failedModel(p, [m]) === m) return [m, p.message];
            throw p;
          }
        }),
      );
      const refused = probes.filter((p): p is [AttributionModel, string] => p !== null);
      // Every model works alone but not together: nothing to leave out, so show the refusal.
      if (refused.length === 0) throw e;
      for (const [m, message] of refused) failures[m] = message;
      pending = pending.filter((m) => !(m in failures));
    }
  }
  return { data: null, failures };
}

// ---------- keys ----------

/** Splits a `partner,channel` key (each name CSV-quoted when it holds a comma or a quote). */
export function splitPairKey(key: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    if (quoted) {
      if (c === '"' && key[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A key as people read it: `StreamCo,youtube` → "StreamCo · youtube"; others as they are. */
export function keyLabel(key: string, by: CreditKey): string {
  if (by !== 'partner,channel' || key.startsWith('(')) return key;
  return splitPairKey(key).join(' · ');
}

/** What the server's placeholder keys mean, for a tooltip; null for real channels and partners. */
export function keyHelp(key: string): string | null {
  if (key === '(direct)') return 'Conversions without any touch inside the lookback windows.';
  if (key === '(none)') return 'Touches sent without a channel.';
  return null;
}

// ---------- what a cell shows ----------

/** Why a figure shows "—" instead of a number. */
export const UNKNOWN_BECAUSE = {
  notShared: 'not shared with you',
  noSpend: 'unknown: no spend reported',
  noConversions: 'unknown: no conversions credited',
} as const;

/**
 * What one cell shows: a number; a figure the server withheld because fewer than k people stand
 * behind it (or it would give such a figure away); or "—" with the reason.
 */
export type Figure = { kind: 'value'; value: number } | { kind: 'hidden' } | { kind: 'none'; reason: string };

/** The figures the server reports for a key, a group or the total. */
export type FigureName = 'conversions' | 'revenue' | 'spend' | 'cpa' | 'roas';

const value = (v: number): Figure => ({ kind: 'value', value: v });
const none = (reason: string): Figure => ({ kind: 'none', reason });

/**
 * One figure of a row as the server sent it. Spend 0 means nobody reported any (unknown, not
 * free); null means some of it is not shared with the caller. CPA and ROAS are null exactly when
 * they cannot be known, and the reason follows from the spend (and, for CPA, the conversions).
 * A row the server did not send (a key one model does not list) has no credit and no spend.
 */
export function figureOf(row: ShownFigures | SuppressedFigures | undefined, name: FigureName): Figure {
  if (row?.suppressed) return { kind: 'hidden' };
  if (!row) return name === 'conversions' || name === 'revenue' ? value(0) : none(UNKNOWN_BECAUSE.noSpend);
  if (name === 'conversions' || name === 'revenue') return value(row[name]);
  if (row.spend === null) return none(UNKNOWN_BECAUSE.notShared);
  if (name === 'spend') return row.spend > 0 ? value(row.spend) : none(UNKNOWN_BECAUSE.noSpend);
  const v = row[name];
  if (v !== null) return value(v);
  if (!(row.spend > 0)) return none(UNKNOWN_BECAUSE.noSpend);
  return none(UNKNOWN_BECAUSE.noConversions);
}

/** "fewer than 50 people": the text of a withheld figure, k from `min_aggregate_users`. */
export function hiddenText(k: number): string {
  return `fewer than ${formatCount(k)} ${k === 1 ? 'person' : 'people'}`;
}

/** The tooltip of a withheld figure: why it is not shown. */
export function hiddenHelp(k: number): string {
  return `Hidden to protect privacy: ${hiddenText(k)} stand behind this figure, or showing it would give such a figure away.`;
}

// ---------- the table ----------

export interface CreditTable {
  /** Models with results, in MODELS order. */
  models: AttributionModel[];
  /** Every key of any model, in the server's order (code-unit order, as it sorts). */
  keys: string[];
  /** cells[key][model]: the server's row. */
  cells: Map<string, Partial<Record<AttributionModel, CreditRow>>>;
  /** Keys behind which are only the caller's own organisation's touches. */
  own: Set<string>;
  /** Every journey together; the same for every model, since each shares every conversion. */
  total: AttributionTotal;
}

/** Keys as rows and models as columns, from the per-model lists of the response. */
export function pivotResults(data: Pick<AttributionResponse, 'results' | 'total'>): CreditTable {
  const { results } = data;
  const models = MODELS.filter((m) => Array.isArray(results[m]));
  const cells = new Map<string, Partial<Record<AttributionModel, CreditRow>>>();
  const own = new Set<string>();
  for (const m of models) {
    for (const row of results[m]!) {
      let cell = cells.get(row.key);
      if (!cell) cells.set(row.key, (cell = {}));
      cell[m] = row;
      if (row.own) own.add(row.key);
    }
  }
  const keys = [...cells.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { models, keys, cells, own, total: data.total };
}

/** Whether the columns can be shown as shares: only credit can, and only of a total that is shown. */
export function canShare(t: CreditTable, metric: CreditMetric): boolean {
  return (metric === 'conversions' || metric === 'revenue') && !t.total.suppressed;
}

/**
 * What a key's cell under a model shows: its credit, CPA or ROAS, or its percentage of the
 * total's credit when `share` (and shares are possible; 0 when the total is 0).
 */
export function cellFigure(t: CreditTable, key: string, model: AttributionModel, metric: CreditMetric, share: boolean): Figure {
  const f = figureOf(t.cells.get(key)?.[model], metric);
  if (!share || !canShare(t, metric) || f.kind !== 'value') return f;
  const total = figureOf(t.total, metric);
  return value(total.kind === 'value' && total.value > 0 ? (f.value / total.value) * 100 : 0);
}

/**
 * A key's spend: the same under every model (every touch's cost counts, on a converting path or
 * not), so it is read from any model's row that is shown; withheld when every row is.
 */
export function keySpend(t: CreditTable, key: string): Figure {
  const rows = t.cells.get(key) ?? {};
  const shown = t.models.map((m) => rows[m]).find((r) => r && !r.suppressed);
  return shown ? figureOf(shown, 'spend') : { kind: 'hidden' };
}

/** The total row's cell: the total's figure (100% as a share), the same in every model's column. */
export function totalFigure(t: CreditTable, metric: CreditMetric | 'spend', share: boolean): Figure {
  const f = figureOf(t.total, metric);
  if (!share || metric === 'spend' || !canShare(t, metric) || f.kind !== 'value') return f;
  return value(f.value > 0 ? 100 : 0);
}

const TWO_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "1,234.50", or "33.33%" for a share. Rounds −0.004 to "0.00", never "-0.00". */
export function formatCredit(v: number, share: boolean): string {
  const s = TWO_DECIMALS.format(Math.abs(v) < 0.005 ? 0 : v);
  return share ? `${s}%` : s;
}

/**
 * An amount of money: in `currency` when it is a code the browser knows ("€1,234.50", "¥1,235"),
 * otherwise as a plain number with two decimals ("1,234.50").
 */
export function formatAmount(v: number, currency: string | null | undefined): string {
  const code = (currency ?? '').trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(code)) {
    const digits = currencyDigits(code);
    const rounded = Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v;
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(rounded);
  }
  return formatCredit(v, false);
}

/** Return on ad spend as a multiple: "3.75×". */
export function formatRoas(v: number): string {
  return `${formatCredit(v, false)}×`;
}

/** A shown number of the metric: credit, a share, money (revenue, spend, CPA) or a ROAS multiple. */
export function formatMetric(v: number, metric: CreditMetric | 'spend', share: boolean, currency: string | null | undefined): string {
  if (share && (metric === 'conversions' || metric === 'revenue')) return formatCredit(v, true);
  if (metric === 'conversions') return formatCredit(v, false);
  if (metric === 'roas') return formatRoas(v);
  return formatAmount(v, currency);
}

/** Whole counts with grouping ("12,345"); fractions with up to two decimals. */
export function formatCount(v: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(v);
}

/**
 * The reasons behind the "—" cells the table shows (spend column, model columns, total row), in
 * a fixed order, so that they can be read without hovering each cell.
 */
export function unknownReasons(t: CreditTable, metric: CreditMetric, share: boolean): string[] {
  const found = new Set<string>();
  const note = (f: Figure) => {
    if (f.kind === 'none') found.add(f.reason);
  };
  for (const k of t.keys) {
    note(keySpend(t, k));
    for (const m of t.models) note(cellFigure(t, k, m, metric, share));
  }
  note(totalFigure(t, 'spend', false));
  note(totalFigure(t, metric, share));
  return Object.values(UNKNOWN_BECAUSE).filter((r) => found.has(r));
}

// ---------- solo vs co-branded ----------

export const GROUP_INFO: Record<JourneyGroup, { label: string; help: string }> = {
  solo: { label: 'Solo', help: 'Paths whose touches are all of one organisation.' },
  co_branded: { label: 'Co-branded', help: 'Paths with touches of two or more organisations.' },
  direct: { label: 'Direct', help: 'Conversions without any touch inside the lookback windows.' },
};

const GROUPS: readonly JourneyGroup[] = ['solo', 'co_branded', 'direct'];

/** The groups in display order (solo, co-branded, direct); a group the server left out is absent. */
export function mixGroups(mix: readonly PartnerMixRow[]): PartnerMixRow[] {
  return GROUPS.map((g) => mix.find((r) => r.key === g)).filter((r): r is PartnerMixRow => r !== undefined);
}

/**
 * One sentence comparing what a conversion costs on co-branded paths against solo ones:
 * "Co-branded paths cost 31% less per conversion than solo paths (€12.00 against €17.40)." When
 * the two CPAs are not both known, it says why they cannot be compared.
 */
export function compareCpa(mix: readonly PartnerMixRow[], k: number, currency: string | null | undefined): string {
  const solo = mix.find((r) => r.key === 'solo');
  const co = mix.find((r) => r.key === 'co_branded');
  const cannot = 'The cost per conversion of solo and co-branded paths cannot be compared';
  if (!solo || !co) return `${cannot}: the server did not report both groups.`;
  const a = figureOf(solo, 'cpa');
  const b = figureOf(co, 'cpa');
  if (a.kind === 'value' && b.kind === 'value') {
    const both = `(${formatAmount(b.value, currency)} against ${formatAmount(a.value, currency)})`;
    const pct = Math.round((1 - b.value / a.value) * 100);
    if (pct === 0) return `Co-branded and solo paths cost about the same per conversion ${both}.`;
    return `Co-branded paths cost ${Math.abs(pct)}% ${pct > 0 ? 'less' : 'more'} per conversion than solo paths ${both}.`;
  }
  const hidden = [a, b].some((f) => f.kind === 'hidden');
  if (hidden) return `${cannot}: ${hiddenText(k)} stand behind one of them.`;
  const reasons = new Set([a, b].map((f) => (f.kind === 'none' ? f.reason : '')));
  if (reasons.has(UNKNOWN_BECAUSE.notShared)) return `${cannot}: some of the spend on these paths is not shared with you.`;
  if (reasons.has(UNKNOWN_BECAUSE.noSpend)) return `${cannot}: no spend was reported on one of them.`;
  return `${cannot}: one of them has no conversions.`;
}

// ---------- the chart ----------

/** At most this many keys are drawn; the table always lists every key. */
export const CHART_MAX_KEYS = 12;

/** A cell's number for the chart; null when it shows none (withheld or "—"), so no bar is drawn. */
export function chartValue(t: CreditTable, key: string, model: AttributionModel, metric: CreditMetric, share: boolean): number | null {
  const f = cellFigure(t, key, model, metric, share);
  return f.kind === 'value' ? f.value : null;
}

/** The keys with a number under at least one model: a key whose every cell is withheld or "—" has nothing to draw. */
export function drawableKeys(t: CreditTable, metric: CreditMetric, share: boolean): string[] {
  return t.keys.filter((k) => t.models.some((m) => chartValue(t, k, m, metric, share) !== null));
}

/**
 * The keys the chart draws: every drawable key up to `limit`, otherwise the `limit` with the
 * highest value under any model (ties: table order), kept in table order.
 */
export function chartKeys(t: CreditTable, metric: CreditMetric, share = false, limit = CHART_MAX_KEYS): string[] {
  const keys = drawableKeys(t, metric, share);
  if (keys.length <= limit) return keys;
  const peak = (k: string) => t.models.reduce((m, md) => Math.max(m, chartValue(t, k, md, metric, share) ?? 0), 0);
  const ranked = keys.map((k, i) => ({ k, i, v: peak(k) })).sort((a, b) => b.v - a.v || a.i - b.i);
  const keep = new Set(ranked.slice(0, limit).map((r) => r.k));
  return keys.filter((k) => keep.has(k));
}

/** A linear axis from 0 to a round maximum at or above `max`, with 2 to ~`target` + 1 round ticks. */
export function niceScale(max: number, target = 5): { max: number; ticks: number[] } {
  if (!Number.isFinite(max) || max <= 0) return { max: 1, ticks: [0, 0.5, 1] };
  const rough = max / target;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * pow).find((s) => s >= rough - 1e-12)!;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { max: ticks[ticks.length - 1]!, ticks };
}

export interface ChartInput {
  keys: string[];
  labels: string[];
  models: AttributionModel[];
  /** null: the cell has no number to draw (withheld, or unknown); its bar is left out. */
  value: (key: string, model: AttributionModel) => number | null;
  width: number;
}

export interface ChartBar {
  key: string;
  model: AttributionModel;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartGroup {
  key: string;
  label: string;
  /** The label cut to fit the label column ("…" at the end), or the label itself. */
  shortLabel: string;
  y: number;
  height: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  /** The plotting area: bars start at left; the scale's maximum is at right. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  ticks: { value: number; x: number }[];
  groups: ChartGroup[];
  bars: ChartBar[];
  barHeight: number;
}

export const CHART = {
  axisHeight: 22,
  groupPadding: 7,
  barGap: 2,
  valueSpace: 52,
  charWidth: 7.5,
  minLabel: 56,
  maxLabelShare: 0.36,
} as const;

/** A label cut to `chars` characters, with "…" when it was longer. */
export function truncate(label: string, chars: number): string {
  if (label.length <= chars) return label;
  return label.slice(0, Math.max(1, chars - 1)) + '…';
}

/**
 * The grouped horizontal bar chart: one group per key (top to bottom in `keys` order), one bar per
 * model inside it (in `models` order) except where the value is null (its slot stays empty, so
 * every model keeps its place), bar lengths on one linear scale from 0. Labels take the left
 * column (at most 36% of the width), values the right margin.
 */
export function chartLayout(input: ChartInput): ChartLayout {
  const { keys, labels, models, value, width } = input;
  const n = Math.max(1, models.length);
  const barHeight = n <= 2 ? 16 : n <= 4 ? 13 : 11;
  const groupHeight = n * barHeight + (n - 1) * CHART.barGap + 2 * CHART.groupPadding;
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  const labelWidth = Math.round(Math.min(Math.max(longest * CHART.charWidth + 14, CHART.minLabel), width * CHART.maxLabelShare));
  const left = labelWidth;
  const right = Math.max(left + 40, width - CHART.valueSpace);
  const top = CHART.axisHeight;
  const max = keys.reduce((m, k) => models.reduce((mm, md) => Math.max(mm, value(k, md) ?? 0), m), 0);
  const scale = niceScale(max);
  const x = (v: number) => left + (Math.max(0, v) / scale.max) * (right - left);
  const chars = Math.max(3, Math.floor((labelWidth - 14) / CHART.charWidth));
  const groups: ChartGroup[] = [];
  const bars: ChartBar[] = [];
  keys.forEach((key, i) => {
    const y = top + i * groupHeight;
    const label = labels[i] ?? key;
    groups.push({ key, label, shortLabel: truncate(label, chars), y, height: groupHeight });
    models.forEach((model, j) => {
      const v = value(key, model);
      if (v === null) return;
      bars.push({
        key,
        model,
        value: v,
        x: left,
        y: y + CHART.groupPadding + j * (barHeight + CHART.barGap),
        width: x(v) - left,
        height: barHeight,
      });
    });
  });
  const bottom = top + keys.length * groupHeight;
  return {
    width,
    height: bottom + 4,
    left,
    right,
    top,
    bottom,
    ticks: scale.ticks.map((v) => ({ value: v, x: x(v) })),
    groups,
    bars,
    barHeight,
  };
}

/** A tick's label: "0", "2.5", "1.2K", "3M", with "%" for shares and "×" for ROAS. */
export function formatTick(v: number, metric: CreditMetric, share: boolean): string {
  const s = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 }).format(v);
  if (share && (metric === 'conversions' || metric === 'revenue')) return `${s}%`;
  return metric === 'roas' ? `${s}×` : s;
}

/** What the columns show, as a caption or a chart's name begins: "Share of revenue credited", "Cost per acquisition". */
export function metricTitle(metric: CreditMetric, share: boolean): string {
  if (metric === 'cpa') return 'Cost per acquisition (spend ÷ credited conversions)';
  if (metric === 'roas') return 'Return on ad spend (credited revenue ÷ spend)';
  return share ? `Share of ${metric} credited` : `${metric.charAt(0).toUpperCase()}${metric.slice(1)} credited`;
}

/** The chart's accessible name: what it compares, and where the numbers are. */
export function chartLabel(models: AttributionModel[], by: CreditKey, keys: number, metric: CreditMetric, share: boolean): string {
  const what = metricTitle(metric, share);
  const key = by === 'partner,channel' ? 'partner and channel' : by;
  const names = models.map((m) => MODEL_INFO[m].label).join(', ');
  return `${what} by ${key}: ${keys} ${keys === 1 ? 'key' : 'keys'} × ${models.length} ${models.length === 1 ? 'model' : 'models'} (${names}). The table below lists every value.`;
}

/** How many cells of `keys` have no bar: withheld for privacy, or without a known value ("—"). */
export function chartGaps(t: CreditTable, keys: readonly string[], metric: CreditMetric, share: boolean): { hidden: number; unknown: number } {
  const gaps = { hidden: 0, unknown: 0 };
  for (const k of keys) {
    for (const m of t.models) {
      const f = cellFigure(t, k, m, metric, share);
      if (f.kind === 'hidden') gaps.hidden++;
      else if (f.kind === 'none') gaps.unknown++;
    }
  }
  return gaps;
}

/** The note under the chart naming the bars it leaves out, or null when every cell has its bar. */
export function chartGapNote(gaps: { hidden: number; unknown: number }, k: number): string | null {
  const cells = (n: number) => `${n} ${n === 1 ? 'cell' : 'cells'}`;
  const parts: string[] = [];
  if (gaps.hidden > 0) parts.push(`${cells(gaps.hidden)} with ${hiddenText(k)} behind ${gaps.hidden === 1 ? 'it' : 'them'} (hidden to protect privacy)`);
  if (gaps.unknown > 0) parts.push(`${cells(gaps.unknown)} without a known value (—)`);
  return parts.length > 0 ? `Left out of the chart: ${parts.join(' and ')}.` : null;
}

// ---------- data feeds ----------

export const DELIVERY_INFO: Record<DeliveryState, { label: string; tone: string; help: string }> = {
  on_time: { label: 'On time', tone: 'success', help: 'The last delivery arrived within the contract’s cadence and tolerated delay.' },
  late: { label: 'Late', tone: 'danger', help: 'No delivery since the due time: the cadence and the tolerated delay have passed.' },
  awaiting_first_delivery: {
    label: 'Awaiting first delivery',
    tone: 'neutral',
    help: 'The contract is registered; no events have arrived yet. The first delivery is due by the time shown.',
  },
};

/** A delivery state the server may add later still gets a neutral badge with its own name. */
export function deliveryInfo(state: string | undefined | null): { label: string; tone: string; help: string } {
  if (state && state in DELIVERY_INFO) return DELIVERY_INFO[state as DeliveryState];
  return { label: state ? state.replace(/_/g, ' ') : 'Unknown', tone: 'neutral', help: 'The server did not report a delivery status.' };
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}’` : `${name}’s`;
}

/**
 * The alert line of a late feed: "StreamCo’s streamco-events is late: due by 22 Nov 2026, 08:04
 * (overdue by 3h 10m)." `format` renders the due time (the viewer's zone by default).
 */
export function lateFeedText(f: FeedContract, now: number, format: (iso: string) => string = (iso) => formatDateTime(iso)): string {
  const due = f.delivery?.due_by ?? '';
  const dueMs = Date.parse(due);
  const overdue = Number.isFinite(dueMs) && now > dueMs ? ` (overdue by ${formatSpan((now - dueMs) / 1000)})` : '';
  return `${possessive(f.org_name)} ${f.feed} is late: due by ${format(due)}${overdue}.`;
}

/** The feeds whose delivery is late, in the list's order. */
export function lateFeeds(items: readonly FeedContract[]): FeedContract[] {
  return items.filter((f) => f.delivery?.state === 'late');
}

/** "every 1 day, up to 6 hours late": how often the contract expects a delivery. */
export function describeCadence(c: Pick<DataContractDocument, 'cadence' | 'max_delay'>): string {
  if (!c.cadence) return '—';
  const base = `every ${describeDuration(c.cadence)}`;
  return c.max_delay && !/^0[smhdw]?$/.test(c.max_delay) ? `${base}, up to ${describeDuration(c.max_delay)} late` : base;
}

export const PRIVACY_INFO: Record<string, { label: string; tone: string; help: string }> = {
  raw_identifier: {
    label: 'Raw identifier',
    tone: 'warning',
    help: 'Hashed on arrival (keyed HMAC-SHA256 under this deployment’s secret). The raw value is never stored: not in events, reports or the audit trail.',
  },
  pseudonymous: { label: 'Pseudonymous', tone: 'accent', help: 'Already a pseudonymous key or id: kept as sent.' },
  aggregate: { label: 'Aggregate', tone: 'neutral', help: 'Not personal on its own (a time, a channel, an amount): kept as sent.' },
  free_text: { label: 'Free text', tone: 'muted', help: 'Checked against the contract, then dropped: free text can carry anything, so it is never stored.' },
};

export function privacyInfo(privacy: string): { label: string; tone: string; help: string } {
  return PRIVACY_INFO[privacy] ?? { label: privacy, tone: 'neutral', help: 'A privacy class this version of the UI does not describe.' };
}

const ROLE_LABELS: Record<string, string> = {
  event_id: 'Event id',
  user_key: 'User key',
  timestamp: 'Timestamp',
  event_type: 'Event type',
  channel: 'Channel',
  value: 'Value',
  consent: 'Consent',
};

/**
 * What a field stands for in the shared metric dictionary: "User key (email)", "Value
 * (revenue)", "Event type (purchase → conversion, view → impression)"; "" without a role.
 */
export function describeRole(f: Pick<ContractField, 'role' | 'identifier' | 'metric' | 'event_types'>): string {
  if (!f.role) return '';
  const base = ROLE_LABELS[f.role] ?? f.role.replace(/_/g, ' ');
  if (f.role === 'user_key' && f.identifier) return `${base} (${f.identifier.replace(/_/g, ' ')})`;
  if (f.role === 'value' && f.metric) return `${base} (${f.metric})`;
  if (f.role === 'event_type' && f.event_types) {
    const map = Object.entries(f.event_types)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([from, to]) => `${from} → ${to}`);
    if (map.length > 0) return `${base} (${map.join(', ')})`;
  }
  return base;
}

/** A field's type as written: "enum: view, click, purchase", "string ≤ 64". */
export function describeType(f: Pick<ContractField, 'type' | 'values' | 'max_length'>): string {
  if (f.type === 'enum' && f.values?.length) return `enum: ${f.values.join(', ')}`;
  if (f.type === 'string' && f.max_length && f.max_length !== 1024) return `string ≤ ${f.max_length}`;
  return f.type;
}
