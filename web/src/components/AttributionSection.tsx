// Attribution of an activation: which models (side by side), what credit is keyed by, the
// lookback windows, half-life and Markov order; the totals, a grouped bar chart and the credit
// table. A model the server refuses (Shapley with too many keys) is named with the server's reason
// and the others are shown anyway. The settings live in the page's URL, so a comparison can be
// shared as a link.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError } from '../errors.ts';
import {
  attributionQuery,
  cellValue,
  chartKeys,
  chartLabel,
  CREDIT_KEYS,
  durationProblem,
  formatCount,
  formatCredit,
  keyHelp,
  keyLabel,
  loadAttribution,
  MODEL_INFO,
  MODELS,
  normaliseModels,
  pivotResults,
  type AttributionOutcome,
  type AttributionSettings,
} from '../measurement.ts';
import type { AttributionModel } from '../types.ts';
import { AttributionChart } from './AttributionChart.tsx';
import { EmptyState, ErrorBanner, FieldError, useAsync } from './ui.tsx';

const PARAM_FIELDS = new Set(['click_lookback', 'view_lookback', 'half_life', 'order', 'by']);

export function AttributionSection({
  activationId,
  settings,
  onChange,
}: {
  activationId: string;
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
              <Results settings={settings} set={set} data={data} />
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
}: {
  settings: AttributionSettings;
  set: (patch: Partial<AttributionSettings>) => void;
  data: NonNullable<AttributionOutcome['data']>;
}) {
  const table = pivotResults(data.results);
  const by = data.by ?? settings.by;
  const labels = table.keys.map((k) => keyLabel(k, by));
  const helps = table.keys.map(keyHelp);
  const { metric, share } = settings;
  const value = (k: string, m: AttributionModel) => cellValue(table, k, m, metric, share);
  const drawn = chartKeys(table, metric);
  const keyHeading = CREDIT_KEYS.find((k) => k.value === by)?.label ?? 'Key';
  const what = metric === 'revenue' ? 'Revenue' : 'Conversions';
  return (
    <>
      <dl class="stat-grid" data-testid="attribution-summary">
        <Stat name="events" label="Events" value={formatCount(data.events)} />
        <Stat name="journeys" label="Journeys" value={formatCount(data.journeys)} />
        <Stat name="conversions" label="Conversions" value={formatCount(data.conversions)} />
        <Stat name="revenue" label="Revenue" value={formatCredit(data.revenue, false)} />
      </dl>
      {data.conversions === 0 && (
        <p class="alert alert-info" role="status">
          No conversions in these events yet: every model credits 0 until one arrives.
        </p>
      )}

      <div class="toolbar spread wrap attr-view">
        <div class="segmented" role="group" aria-label="Show">
          {(['conversions', 'revenue'] as const).map((m) => (
            <button key={m} type="button" class={`seg${metric === m ? ' active' : ''}`} aria-pressed={metric === m} onClick={() => set({ metric: m })}>
              {m === 'conversions' ? 'Conversions' : 'Revenue'}
            </button>
          ))}
        </div>
        <label class="check">
          <input type="checkbox" checked={share} onChange={(e) => set({ share: (e.target as HTMLInputElement).checked })} data-testid="share-toggle" />
          Share of each model’s total (%)
        </label>
      </div>

      {table.keys.length === 0 ? (
        <p class="muted">No touches or conversions to credit in these windows.</p>
      ) : (
        <div class="attr-grid">
          <div>
            <AttributionChart
              keys={drawn}
              labels={drawn.map((k) => keyLabel(k, by))}
              helps={drawn.map(keyHelp)}
              models={table.models}
              value={value}
              share={share}
              label={chartLabel(table.models, by, drawn.length, metric, share)}
              describedBy="attr-caption"
            />
            {drawn.length < table.keys.length && (
              <p class="muted small chart-note" data-testid="chart-note">
                The chart shows the {drawn.length} of {table.keys.length} keys with the most credit; the table lists them all.
              </p>
            )}
          </div>
          <div class="table-wrap attr-table-wrap">
            <table class="table compact attr-table" data-testid="attribution-table">
              <caption id="attr-caption" class="attr-caption">
                {share ? `Share of ${what.toLowerCase()}` : what} credited by {keyHeading.toLowerCase()}, one column per model
              </caption>
              <thead>
                <tr>
                  <th scope="col">{keyHeading}</th>
                  {table.models.map((m) => (
                    <th key={m} scope="col" class="num" data-model={m} title={MODEL_INFO[m].help}>
                      <span class="swatch swatch-dot" style={{ background: MODEL_INFO[m].color }} aria-hidden="true" />
                      {MODEL_INFO[m].label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.keys.map((k, i) => (
                  <tr key={k} data-testid="credit-row" data-key={k}>
                    <th scope="row" class="key-cell">
                      {helps[i] ? (
                        <span class="key-special" title={helps[i]!}>
                          {labels[i]}
                        </span>
                      ) : (
                        labels[i]
                      )}
                    </th>
                    {table.models.map((m) => (
                      <td key={m} class="num" data-model={m}>
                        {formatCredit(value(k, m), share)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  {table.models.map((m) => (
                    <td key={m} class="num" data-model={m}>
                      {share ? formatCredit((table.totals[m]?.[metric] ?? 0) > 0 ? 100 : 0, true) : formatCredit(table.totals[m]?.[metric] ?? 0, false)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </div>
      )}
    </>
  );
}

function Stat({ name, label, value }: { name: string; label: string; value: string }) {
  return (
    <div class="stat" data-stat={name}>
      <dt>{label}</dt>
      <dd>{value}</dd>
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
