// The "Edit brief" form model: activation → editable strings → minimal PATCH body.
// Pure; unit-tested in brief.test.ts.

import { microsToInput, parseMoneyToMicros, parseNumberInput } from './format.ts';
import type { Activation, ActivationPatch, ActivationStatus, Audience, Market, Metric, Objective } from './types.ts';

export interface MetricDraft {
  name: string;
  unit: string;
  target: string;
  forecast: string;
}

export interface BriefDraft {
  name: string;
  objective: Objective;
  status: ActivationStatus;
  description: string;
  audiences: Audience[];
  markets: Market[];
  primary_metric: MetricDraft;
  supporting_metrics: MetricDraft[];
  budget_amount: string;
  budget_currency: string;
}

/** Top-level fields the form can attach an error to. */
export const BRIEF_FIELDS = [
  'name',
  'objective',
  'status',
  'description',
  'audiences',
  'markets',
  'primary_metric',
  'supporting_metrics',
  'budget',
] as const;
export type BriefField = (typeof BRIEF_FIELDS)[number];

export function isBriefField(f: string | null | undefined): f is BriefField {
  return !!f && (BRIEF_FIELDS as readonly string[]).includes(f);
}

const num = (v: number | null | undefined) => (v == null ? '' : String(v));

function metricToDraft(m: Metric | null | undefined): MetricDraft {
  return m
    ? { name: m.name ?? '', unit: m.unit ?? '', target: num(m.target), forecast: num(m.forecast) }
    : { name: '', unit: '', target: '', forecast: '' };
}

export function draftFromActivation(a: Activation): BriefDraft {
  return {
    name: a.name ?? '',
    objective: a.objective,
    status: a.status,
    description: a.description ?? '',
    audiences: (a.audiences ?? []).map((x) => ({ name: x.name ?? '', description: x.description ?? '' })),
    markets: (a.markets ?? []).map((x) => ({ name: x.name ?? '', tz: x.tz ?? '' })),
    primary_metric: metricToDraft(a.primary_metric),
    supporting_metrics: (a.supporting_metrics ?? []).map(metricToDraft),
    budget_amount: a.budget ? microsToInput(a.budget.amount_micros) : '',
    budget_currency: a.budget?.currency ?? 'EUR',
  };
}

type Errors = Partial<Record<BriefField, string>>;

function metricFromDraft(d: MetricDraft, field: BriefField, label: string, errors: Errors): Metric | null {
  const name = d.name.trim();
  const unit = d.unit.trim();
  const target = parseNumberInput(d.target);
  const forecast = parseNumberInput(d.forecast);
  if (!name && !unit && target == null && forecast == null) return null;
  if (!name) errors[field] ??= `${label}: give the metric a name.`;
  if (target === undefined) errors[field] ??= `${label}: the target must be a number.`;
  if (forecast === undefined) errors[field] ??= `${label}: the forecast must be a number.`;
  return { name, unit, target: target ?? null, forecast: forecast ?? null };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function normMetric(m: Metric | null | undefined): Metric | null {
  return m ? { name: m.name ?? '', unit: m.unit ?? '', target: m.target ?? null, forecast: m.forecast ?? null } : null;
}

/**
 * Builds the PATCH body with only the fields that differ from `original`, plus `version` for
 * optimistic concurrency. Client-side format problems (non-numeric targets, malformed amounts)
 * are returned in `errors`, keyed by top-level field, and no patch is produced.
 */
export function patchFromDraft(original: Activation, d: BriefDraft): { patch: ActivationPatch | null; errors: Errors } {
  const errors: Errors = {};
  const patch: ActivationPatch = {};

  const name = d.name.trim();
  if (!name) errors.name = 'The activation needs a name.';
  else if (name !== original.name) patch.name = name;
  if (d.objective !== original.objective) patch.objective = d.objective;
  if (d.status !== original.status) patch.status = d.status;
  if (d.description !== (original.description ?? '')) patch.description = d.description;

  const audiences = d.audiences
    .map((x) => ({ name: x.name.trim(), description: x.description.trim() }))
    .filter((x) => x.name || x.description);
  if (audiences.some((x) => !x.name)) errors.audiences = 'Every audience needs a name.';
  if (!same(audiences, (original.audiences ?? []).map((x) => ({ name: x.name, description: x.description ?? '' }))))
    patch.audiences = audiences;

  // Market rows are sent as typed (trimmed): the server validates the IANA zone names.
  const markets = d.markets.map((x) => ({ name: x.name.trim(), tz: x.tz.trim() })).filter((x) => x.name || x.tz);
  if (!same(markets, (original.markets ?? []).map((x) => ({ name: x.name, tz: x.tz })))) patch.markets = markets;

  const pm = metricFromDraft(d.primary_metric, 'primary_metric', 'Primary metric', errors);
  if (!same(pm, normMetric(original.primary_metric))) patch.primary_metric = pm;

  const sm: Metric[] = [];
  d.supporting_metrics.forEach((m, i) => {
    const v = metricFromDraft(m, 'supporting_metrics', `Supporting metric ${i + 1}`, errors);
    if (v) sm.push(v);
  });
  if (!same(sm, (original.supporting_metrics ?? []).map(normMetric))) patch.supporting_metrics = sm;

  const amount = d.budget_amount.trim();
  const currency = d.budget_currency.trim().toUpperCase();
  let budget: Activation['budget'] = null;
  if (amount !== '') {
    const micros = parseMoneyToMicros(amount);
    if (micros == null) errors.budget = 'Enter the budget as a number, e.g. 250000 or 250,000.00.';
    else if (micros < 0) errors.budget = 'The budget cannot be negative.';
    else if (!/^[A-Z]{3}$/.test(currency)) errors.budget = 'The currency is a three-letter ISO 4217 code, e.g. EUR.';
    else budget = { amount_micros: micros, currency };
  }
  const origBudget = original.budget ? { amount_micros: original.budget.amount_micros, currency: original.budget.currency } : null;
  if (!errors.budget && !same(budget, origBudget)) patch.budget = budget;

  if (Object.keys(errors).length > 0) return { patch: null, errors };
  if (Object.keys(patch).length === 0) return { patch: {}, errors };
  patch.version = original.version;
  return { patch, errors };
}

/** Row index of a list field error: "markets[1].tz" / "markets.1.tz" / "markets/1/tz" → 1. */
export function fieldIndex(field: string | null | undefined): number | null {
  if (!field) return null;
  const m = /^[^.[/]+(?:\[(\d+)\]|[./](\d+))/.exec(field.replace(/^\/+/, ''));
  if (!m) return null;
  return Number(m[1] ?? m[2]);
}
