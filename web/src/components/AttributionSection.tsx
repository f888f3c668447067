// Attribution of an activation: which models (side by side), what credit is keyed by, the
// lookback windows, half-life and Markov order; the totals, a grouped bar chart, the credit table
// (credit, CPA or ROAS per model, spend per key, the caller's own rows marked) and the solo vs
// co-branded panel. Figures the server withholds (fewer than k people behind them) say so instead
// of a number; spend that is unknown or not shared shows "—" with the reason. A model the server
// refuses (Shapley with too many keys) is named with the server's reason and the others are shown
// anyway. The settings live in the page's URL, so a comparison can be shared as a link.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError } from '../errors.ts';
import {
  attributionQuery,
  canShare,
  cellFigure,
  chartGapNote,
  chartGaps,
  chartKeys,
  chartLabel,
  chartValue,
  compareCpa,
  CREDIT_KEYS,
  drawableKeys,
  durationProblem,
  figureOf,
  formatAmount,
  formatCount,
  formatMetric,
  formatRoas,
  formatTick,
  GROUP_INFO,
  hiddenHelp,
  hiddenText,
  keyHelp,
  keyLabel,
  keySpend,
  loadAttribution,
  metricTitle,
  METRICS,
  mixGroups,
  MODEL_INFO,
  MODELS,
  normaliseModels,
  pivotResults,
  totalFigure,
  unknownReasons,
  type AttributionOutcome,
  type AttributionSettings,
  type CreditMetric,
  type Figure,
} from '../measurement.ts';
import type { AttributionModel, PartnerMixRow } from '../types.ts';
import { AttributionChart } from './AttributionChart.tsx';
import { EmptyState, ErrorBanner, FieldError, useAsync } from './ui.tsx';

const PARAM_FIELDS = new Set(['click_lookback', 'view_lookback', 'half_life', 'order', 'by']);

export function AttributionSection({
  activationId,
  currency,
  settings,
  onChange,
}: {
  activationId: string;
  /** The activation's currency (its budget's), for revenue, spend and CPA; null shows plain numbers. */
  currency: string | null;
  settings: AttributionSettings;
  onChange: (next: AttributionSettings) => void;
}) {
  const query = attributionQuery(settings);
  const [result] = useAsync<AttributionOutcome>(
    (signal) => loadAttribution((models) => api.getAttribution(activationId, settings, models, signal), settings.models),
    [activationId, query],
  );
  // While a new answer loads, the last one stays on screen (dimmed) instead of a spinner.
  const last = useRef<{ query: string; outcome: AttributionOutcome } | null>(null);
  if (result.state === 'ok') last.current = { query, outcome: result.data };
  const shown = result.state === 'ok' ? result.data : result.state === 'loading' ? (last.current?.outcome ?? null) : null;
  const loading = result.state === 'loading';
  const error = result.state === 'error' ? result.error : null;
  const paramError = error instanceof ApiError && error.field && PARAM_FIELDS.has(error.field) ? error : null;
  const set = (patch: Partial<AttributionSettings>) => onChange({ ...settings, ...patch });

  const failures = shown?.failures ?? {};
  const data = shown?.data ?? null;
  const noEvents = data !== null && data.events === 0;

  return (
    <section class="card" aria-labelledby="attr-title" data-testid="attribution">
      <header class="card-header">
        <h2 id="attr-title">Attribution</h2>
        <span class="muted small">Who gets credit for each conversion and its revenue</span>
      </header>
      <div class="card-body attr-body">
        {!noEvents && <Controls settings={settings} set={set} failures={failures} paramError={paramError} />}

        {error !== null && !paramError && <ErrorBanner error={error} title="Attribution could not be computed." />}
        {paramError && (
          <p class="muted small" role="status">
            Change the setting marked above to see the credit again.
          </p>
        )}
        {result.state === 'loading' && !shown && (
          <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true" />
            Computing credit…
          </div>
        )}

        {shown && !paramError && error === null && (
          <div class={loading ? 'attr-results busy' : 'attr-results'} aria-busy={loading} data-testid="attribution-results">
            {data === null ? (
              <p class="alert alert-warning" role="status">
                None of the chosen models could run on these events; see the reasons above, or choose other models.
              </p>
            ) : noEvents ? (
              <EmptyState title="No events yet">
                <p>
                  Attribution shares each conversion, and its revenue, among the channels and partners whose touches led to it. It starts as
                  soon as partners send events through their data feeds (see above).
                </p>
              </EmptyState>
            ) : (
              <Results settings={settings} set={set} data={data} currency={currency} />
            )}
          </div>
        )}
        {!noEvents && <ModelHelp />}
      </div>
    </section>
  );
}

function Controls({
  settings,
  set,
  failures,
  paramError,
}: {
  settings: AttributionSettings;
  set: (patch: Partial<AttributionSettings>) => void;
  failures: Partial<Record<AttributionModel, string>>;
  paramError: ApiError | null;
}) {
  const toggleModel = (m: AttributionModel, on: boolean) => {
    const next = normaliseModels(on ? [...settings.models, m] : settings.models.filter((x) => x !== m));
    if (next.length > 0) set({ models: next });
  };
  const serverError = (field: string) => (paramError?.field === field ? paramError.message : null);
  return (
    <div class="attr-controls" data-testid="attribution-controls">
      <div class="attr-control-row">
        <div class="credit-by" role="radiogroup" aria-labelledby="credit-by-label">
          <span class="credit-by-label" id="credit-by-label">
            Credit by
          </span>
          <div class="segmented">
            {CREDIT_KEYS.map((k) => (
              <label key={k.value} class={`seg${settings.by === k.value ? ' active' : ''}`}>
                <input type="radio" name="credit-by" value={k.value} checked={settings.by === k.value} onChange={() => set({ by: k.value })} />
                <span class="seg-main">{k.label}</span>
              </label>
            ))}
          </div>
        </div>
        <FieldError field="by" message={serverError('by')} />
      </div>

      <fieldset class="model-picker">
        <legend>Models</legend>
        <div class="model-options">
          {MODELS.map((m) => {
            const on = settings.models.includes(m);
            const failure = on ? failures[m] : undefined;
            const info = MODEL_INFO[m];
            return (
              <div key={m} class={`model-option${failure ? ' failed' : ''}`} data-model={m}>
                <label class={`check${on && settings.models.length === 1 ? ' disabled' : ''}`} title={info.help}>
                  <input
                    type="checkbox"
                    name="model"
                    value={m}
                    checked={on}
                    disabled={on && settings.models.length === 1}
                    aria-describedby={`model-help-${m}${failure ? ` model-error-${m}` : ''}`}
                    onChange={(e) => toggleModel(m, (e.target as HTMLInputElement).checked)}
                  />
                  <span class="swatch" style={{ background: info.color }} aria-hidden="true" />
                  {info.label}
                </label>
                <span class="sr-only" id={`model-help-${m}`}>
                  {info.help}
                </span>
                {failure && (
                  <span class="model-error" id={`model-error-${m}`} role="alert" data-testid="model-error" data-model={m}>
                    Not shown: {failure}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>

      <div class="attr-windows">
        <DurationField
          name="click_lookback"
          label="Click lookback"
          hint="Clicks and engagements count this long before a conversion."
          value={settings.clickLookback}
          allowZero
          serverError={serverError('click_lookback')}
          onCommit={(v) => set({ clickLookback: v })}
        />
        <DurationField
          name="view_lookback"
          label="View lookback"
          hint="Impressions count this long before a conversion."
          value={settings.viewLookback}
          allowZero
          serverError={serverError('view_lookback')}
          onCommit={(v) => set({ viewLookback: v })}
        />
        <DurationField
          name="half_life"
          label="Half-life"
          hint="Time decay: a touch this much older counts half."
          value={settings.halfLife}
          allowZero={false}
          serverError={serverError('half_life')}
          onCommit={(v) => set({ halfLife: v })}
        />
        <div class="field window-field" data-field="order">
          <label class="label" for="attr-order">
            Markov order
          </label>
          <select id="attr-order" value={String(settings.order)} onChange={(e) => set({ order: Number((e.target as HTMLSelectElement).value) })}>
            {[1, 2, 3, 4].map((o) => (
              <option key={o} value={String(o)}>
                {o}
              </option>
            ))}
          </select>
          <span class="hint">How many past steps the chain remembers.</span>
          <FieldError field="order" message={serverError('order')} />
        </div>
      </div>
    </div>
  );
}

function DurationField({
  name,
  label,
  hint,
  value,
  allowZero,
  serverError,
  onCommit,
}: {
  name: string;
  label: string;
  hint: string;
  value: string;
  allowZero: boolean;
  serverError: string | null;
  onCommit: (v: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setDraft(value);
    setProblem(null);
  }, [value]);
  const message = problem ?? serverError;
  const id = `attr-${name}`;
  const commit = (v: string) => {
    const p = durationProblem(v, allowZero);
    setProblem(p);
    if (!p && v.trim() !== value) onCommit(v.trim());
  };
  return (
    <div class="field window-field" data-field={name}>
      <label class="label" for={id}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        class="w-short"
        value={draft}
        inputMode="text"
        autoComplete="off"
        spellcheck={false}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={message ? `err-${name}` : `${id}-hint`}
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        onChange={(e) => commit((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit((e.target as HTMLInputElement).value);
        }}
      />
      {message ? (
        <FieldError field={name} message={message} />
      ) : (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

function Results({
  settings,
  set,
  data,
  currency,
}: {
  settings: AttributionSettings;
  set: (patch: Partial<AttributionSettings>) => void;
  data: NonNullable<AttributionOutcome['data']>;
  currency: string | null;
}) {
  const table = pivotResults(data);
  const by = data.by ?? settings.by;
  const k = data.min_aggregate_users;
  const labels = table.keys.map((key) => keyLabel(key, by));
  const helps = table.keys.map(keyHelp);
  const { metric } = settings;
  const shareable = canShare(table, metric);
  const share = settings.share && shareable;
  const drawable = drawableKeys(table, metric, share);
  const drawn = chartKeys(table, metric, share);
  const gapNote = chartGapNote(chartGaps(table, table.keys, metric, share), k);
  const reasons = unknownReasons(table, metric, share);
  const keyHeading = CREDIT_KEYS.find((c) => c.value === by)?.label ?? 'Key';
  const total = table.total;
  const show = (f: Figure, m: CreditMetric | 'spend', visibleReason = false) => (
    <FigureText figure={f} k={k} text={f.kind === 'value' ? formatMetric(f.value, m, share, currency) : ''} visibleReason={visibleReason} />
  );
  return (
    <>
      <dl class="stat-grid" data-testid="attribution-summary">
        <Stat name="events" label="Events">
          {formatCount(data.events)}
        </Stat>
        <Stat name="journeys" label="Journeys">
          {formatCount(data.journeys)}
        </Stat>
        {total.suppressed ? (
          <Stat name="totals" label="Conversions, revenue and spend" wide>
            <FigureText figure={{ kind: 'hidden' }} k={k} text="" />
          </Stat>
        ) : (
          <>
            <Stat name="conversions" label="Conversions">
              {formatCount(total.conversions)}
            </Stat>
            <Stat name="revenue" label="Revenue">
              {formatAmount(total.revenue, currency)}
            </Stat>
            <Stat name="spend" label="Spend">
              {show(figureOf(total, 'spend'), 'spend', true)}
            </Stat>
            <Stat name="cpa" label="CPA">
              {show(figureOf(total, 'cpa'), 'cpa', true)}
            </Stat>
            <Stat name="roas" label="ROAS">
              {show(figureOf(total, 'roas'), 'roas', true)}
            </Stat>
          </>
        )}
      </dl>
      {total.suppressed && (
        <p class="muted small" data-testid="totals-hidden">
          The totals are hidden: {hiddenText(k)} stand behind them, or they would give a hidden cell away. Cells of your own organisation are
          always shown.
        </p>
      )}
      {!total.suppressed && total.conversions === 0 && (
        <p class="alert alert-info" role="status">
          No conversions in these events yet: every model credits 0 until one arrives.
        </p>
      )}

      <div class="toolbar spread wrap attr-view">
        <div class="segmented" role="group" aria-label="Show">
          {METRICS.map((m) => (
            <button
              key={m.value}
              type="button"
              class={`seg${metric === m.value ? ' active' : ''}`}
              aria-pressed={metric === m.value}
              title={m.help}
              onClick={() => set({ metric: m.value })}
            >
              {m.label}
            </button>
          ))}
        </div>
        <label class={`check${shareable ? '' : ' disabled'}`} title={shareable ? undefined : shareOffReason(metric, k)}>
          <input
            type="checkbox"
            checked={share}
            disabled={!shareable}
            aria-describedby={shareable ? undefined : 'share-off'}
            onChange={(e) => set({ share: (e.target as HTMLInputElement).checked })}
            data-testid="share-toggle"
          />
          Share of the total (%)
          {!shareable && (
            <span class="sr-only" id="share-off">
              {shareOffReason(metric, k)}
            </span>
          )}
        </label>
      </div>

      {table.keys.length === 0 ? (
        <p class="muted">No touches or conversions to credit in these windows.</p>
      ) : (
        <div class="attr-grid">
          <div>
            {drawn.length > 0 ? (
              <AttributionChart
                keys={drawn}
                labels={drawn.map((key) => keyLabel(key, by))}
                helps={drawn.map((key) => [keyHelp(key), table.own.has(key) ? `Yours. ${OWN_HELP}` : null].filter(Boolean).join(' ') || null)}
                models={table.models}
                value={(key, m) => chartValue(table, key, m, metric, share)}
                format={(v) => formatMetric(v, metric, share, currency)}
                tick={(v) => formatTick(v, metric, share)}
                label={chartLabel(table.models, by, drawn.length, metric, share)}
                describedBy="attr-caption"
              />
            ) : (
              <p class="muted" data-testid="chart-empty">
                Nothing to draw: every cell is withheld or unknown.
              </p>
            )}
            {drawn.length < drawable.length && (
              <p class="muted small chart-note" data-testid="chart-note">
                The chart shows the {drawn.length} of {drawable.length} keys with the highest values; the table lists them all.
              </p>
            )}
            {gapNote && (
              <p class="muted small chart-note" data-testid="chart-gap-note">
                {gapNote}
              </p>
            )}
          </div>
          <div class="table-wrap attr-table-wrap">
            <table class="table compact attr-table" data-testid="attribution-table">
              <caption id="attr-caption" class="attr-caption">
                {metricTitle(metric, share)} by {keyHeading.toLowerCase()}, one column per model; spend per {keyHeading.toLowerCase()}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{keyHeading}</th>
                  <th scope="col" class="num spend-col" data-col="spend" title={SPEND_HELP}>
                    Spend
                  </th>
                  {table.models.map((m) => (
                    <th key={m} scope="col" class="num" data-model={m} title={MODEL_INFO[m].help}>
                      <span class="swatch swatch-dot" style={{ background: MODEL_INFO[m].color }} aria-hidden="true" />
                      {MODEL_INFO[m].label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.keys.map((key, i) => (
                  <tr key={key} data-testid="credit-row" data-key={key} data-own={table.own.has(key) ? 'true' : undefined}>
                    <th scope="row" class="key-cell">
                      {helps[i] ? (
                        <span class="key-special" title={helps[i]!}>
                          {labels[i]}
                        </span>
                      ) : (
                        labels[i]
                      )}
                      {table.own.has(key) && (
                        <span class="badge badge-accent own-badge" title={OWN_HELP} data-testid="own-badge">
                          yours
                        </span>
                      )}
                    </th>
                    <td class="num spend-col" data-col="spend">
                      {show(keySpend(table, key), 'spend')}
                    </td>
                    {table.models.map((m) => (
                      <td key={m} class="num" data-model={m}>
                        {show(cellFigure(table, key, m, metric, share), metric)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="total-row">
                  <th scope="row">Total</th>
                  <td class="num spend-col" data-col="spend">
                    {show(totalFigure(table, 'spend', false), 'spend')}
                  </td>
                  {table.models.map((m) => (
                    <td key={m} class="num" data-model={m}>
                      {show(totalFigure(table, metric, share), metric)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
            {reasons.length > 0 && (
              <p class="muted small table-note" data-testid="unknown-reasons">
                — {reasons.join('; ')}.
              </p>
            )}
          </div>
        </div>
      )}

      <PartnerMixPanel mix={data.partner_mix} k={k} currency={currency} />
    </>
  );
}

const SPEND_HELP = 'What the key’s touches cost, on converting paths or not: the same under every model.';
const OWN_HELP = 'Only your organisation’s touches are behind this row, so it is always shown in full.';

function shareOffReason(metric: CreditMetric, k: number): string {
  if (metric === 'cpa' || metric === 'roas') return 'Shares apply to conversions and revenue only.';
  return `Shares need the total, which is hidden: ${hiddenText(k)} stand behind it.`;
}

/**
 * A figure as text: the number, "fewer than k people" (withheld), or "—" with its reason as a
 * tooltip and for screen readers (or shown beside it, where there is room).
 */
function FigureText({ figure, k, text, visibleReason = false }: { figure: Figure; k: number; text: string; visibleReason?: boolean }) {
  if (figure.kind === 'hidden') {
    return (
      <span class="figure-hidden" title={hiddenHelp(k)} data-figure="hidden">
        {hiddenText(k)}
      </span>
    );
  }
  if (figure.kind === 'none') {
    return (
      <span class="figure-none" title={figure.reason} data-figure="none">
        <span aria-hidden="true">—</span>
        <span class={visibleReason ? 'figure-reason' : 'sr-only'}> {figure.reason}</span>
      </span>
    );
  }
  return <>{text}</>;
}

/** Solo against co-branded paths (and direct conversions): one column per group, one row per figure. */
function PartnerMixPanel({ mix, k, currency }: { mix: PartnerMixRow[]; k: number; currency: string | null }) {
  const groups = mixGroups(mix);
  if (groups.length === 0) return null;
  return (
    <section class="mix-panel" aria-labelledby="mix-title" data-testid="partner-mix">
      <h3 id="mix-title" class="mix-title">
        Solo vs co-branded
      </h3>
      <p class="muted small">
        Paths touched by one organisation against paths touched by two or more; the same under every model. Spend counts the touches on each
        group’s paths, converting or not.
      </p>
      {groups.every((g) => g.suppressed) ? (
        <p class="mix-sentence" data-testid="mix-all-hidden">
          Hidden to protect privacy: {hiddenText(k)} stand behind each group, or showing one would give another away.
        </p>
      ) : (
        <>
          <p class="mix-sentence" data-testid="mix-comparison">
            {compareCpa(mix, k, currency)}
          </p>
          <MixTable groups={groups} k={k} currency={currency} />
        </>
      )}
    </section>
  );
}

function MixTable({ groups, k, currency }: { groups: PartnerMixRow[]; k: number; currency: string | null }) {
  const figures: { name: string; label: string; cell: (g: PartnerMixRow) => Figure; format: (v: number) => string }[] = [
    { name: 'journeys', label: 'Journeys', cell: (g) => (g.suppressed ? { kind: 'hidden' } : { kind: 'value', value: g.journeys }), format: formatCount },
    { name: 'users', label: 'People converting', cell: (g) => (g.suppressed ? { kind: 'hidden' } : { kind: 'value', value: g.users }), format: formatCount },
    { name: 'conversions', label: 'Conversions', cell: (g) => figureOf(g, 'conversions'), format: formatCount },
    { name: 'revenue', label: 'Revenue', cell: (g) => figureOf(g, 'revenue'), format: (v) => formatAmount(v, currency) },
    { name: 'spend', label: 'Spend', cell: (g) => figureOf(g, 'spend'), format: (v) => formatAmount(v, currency) },
    { name: 'cpa', label: 'CPA', cell: (g) => figureOf(g, 'cpa'), format: (v) => formatAmount(v, currency) },
    { name: 'roas', label: 'ROAS', cell: (g) => figureOf(g, 'roas'), format: formatRoas },
  ];
  const reasons = new Set(figures.flatMap((f) => groups.map((g) => f.cell(g))).flatMap((fig) => (fig.kind === 'none' ? [fig.reason] : [])));
  return (
    <>
      <div class="table-wrap">
        <table class="table compact mix-table" data-testid="partner-mix-table">
          <caption class="sr-only">Solo, co-branded and direct paths: journeys, people, conversions, revenue, spend, CPA and ROAS</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">Figure</span>
              </th>
              {groups.map((g) => (
                <th key={g.key} scope="col" class="num" data-group={g.key} title={GROUP_INFO[g.key].help}>
                  {GROUP_INFO[g.key].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {figures.map((f) => (
              <tr key={f.name} data-figure-row={f.name}>
                <th scope="row">{f.label}</th>
                {groups.map((g) => {
                  const fig = f.cell(g);
                  return (
                    <td key={g.key} class="num" data-group={g.key}>
                      <FigureText figure={fig} k={k} text={fig.kind === 'value' ? f.format(fig.value) : ''} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {reasons.size > 0 && (
        <p class="muted small" data-testid="mix-unknown-reasons">
          — {[...reasons].join('; ')}.
        </p>
      )}
    </>
  );
}

function Stat({ name, label, wide, children }: { name: string; label: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <div class={wide ? 'stat stat-wide' : 'stat'} data-stat={name}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ModelHelp() {
  return (
    <details class="model-help">
      <summary>How the models share credit</summary>
      <dl>
        {MODELS.map((m) => (
          <div key={m}>
            <dt>
              <span class="swatch" style={{ background: MODEL_INFO[m].color }} aria-hidden="true" />
              {MODEL_INFO[m].label}
            </dt>
            <dd>{MODEL_INFO[m].help}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">
        A conversion’s path is the user’s touches since their previous conversion: clicks and engagements within the click lookback,
        impressions within the view lookback. Conversions without a touch are credited to <span class="mono">(direct)</span>. People who opted
        out of measurement or sharing are left out.
      </p>
    </details>
  );
}
