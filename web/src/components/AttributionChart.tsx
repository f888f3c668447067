// The attribution chart: a grouped horizontal bar chart in plain SVG, one group per credit key and
// one bar per model, with a legend. A cell without a number (withheld for privacy, or unknown)
// gets no bar; the section says how many were left out. The SVG is one image for assistive
// technology (role="img" with a summary as its name); the credit table next to it holds every
// number.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { chartLayout, MODEL_INFO } from '../measurement.ts';
import type { AttributionModel } from '../types.ts';

/** The width of an element, following its resizes (0 before the first layout). */
function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((old) => (old === w ? old : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}

export function AttributionChart({
  keys,
  labels,
  helps,
  models,
  value,
  format,
  tick,
  label,
  describedBy,
}: {
  keys: string[];
  labels: string[];
  helps: (string | null)[];
  models: AttributionModel[];
  /** null: no bar for this key and model. */
  value: (key: string, model: AttributionModel) => number | null;
  /** A bar's value as text. */
  format: (v: number) => string;
  /** An axis tick's label. */
  tick: (v: number) => string;
  label: string;
  describedBy?: string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const layout = width > 0 ? chartLayout({ keys, labels, models, value, width }) : null;
  return (
    <figure class="attr-chart" data-testid="attribution-chart">
      <ul class="legend attr-legend" aria-label="Models">
        {models.map((m) => (
          <li key={m}>
            <span class="swatch" style={{ background: MODEL_INFO[m].color }} aria-hidden="true" />
            {MODEL_INFO[m].label}
          </li>
        ))}
      </ul>
      <div ref={ref} class="attr-chart-box">
        {layout && (
          <svg
            role="img"
            aria-label={label}
            aria-describedby={describedBy}
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            data-testid="attribution-svg"
          >
            <g class="chart-grid" aria-hidden="true">
              {layout.ticks.map((t) => (
                <g key={t.value}>
                  <line x1={t.x} x2={t.x} y1={layout.top - 4} y2={layout.bottom} class={t.value === 0 ? 'axis-zero' : ''} />
                  <text x={t.x} y={layout.top - 9} text-anchor={t.x >= layout.right - 1 ? 'end' : t.value === 0 ? 'start' : 'middle'}>
                    {tick(t.value)}
                  </text>
                </g>
              ))}
            </g>
            {layout.groups.map((g, i) => (
              <g key={g.key} class="chart-group" data-testid="bar-group" data-key={g.key}>
                {i > 0 && <line class="group-sep" x1={0} x2={layout.right} y1={g.y} y2={g.y} />}
                <text class="chart-key" x={0} y={g.y + g.height / 2} dominant-baseline="middle">
                  <title>{helps[i] ? `${g.label}: ${helps[i]}` : g.label}</title>
                  {g.shortLabel}
                </text>
              </g>
            ))}
            {layout.bars.map((b) => {
              const text = format(b.value);
              const label = `${MODEL_INFO[b.model].label} · ${labels[keys.indexOf(b.key)] ?? b.key}: ${text}`;
              return (
                <g key={`${b.key}|${b.model}`}>
                  <rect
                    x={b.x}
                    y={b.y}
                    width={Math.max(b.width, b.value > 0 ? 1.5 : 0)}
                    height={b.height}
                    rx={2}
                    fill={MODEL_INFO[b.model].color}
                    data-testid="bar"
                    data-key={b.key}
                    data-model={b.model}
                    data-value={b.value}
                  >
                    <title>{label}</title>
                  </rect>
                  {b.value === 0 && <line class="zero-tick" x1={b.x} x2={b.x} y1={b.y} y2={b.y + b.height} stroke={MODEL_INFO[b.model].color} />}
                  <text class="bar-value" x={b.x + b.width + 4} y={b.y + b.height / 2} dominant-baseline="central">
                    {text}
                  </text>
                </g>
              );
            })}
          </svg>
        )}
      </div>
    </figure>
  );
}
