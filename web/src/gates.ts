// Gate board logic (docs/approvals.md, "Gates"): the five phases and their names, how a
// criterion reads ("CTR 0.92 % ≥ 0.8 %"), which criteria a go must override, and what is missing
// from a go/no-go before it is sent. Pure functions, no DOM: unit-tested in gates.test.ts.

import type { GateCriterionResult, GateDecisionInput, GateMetric, GatePhase, GatePhaseStatus } from './types.ts';

export const PHASES: readonly GatePhase[] = ['ideation', 'proof_of_concept', 'pilot', 'full_deployment', 'retrospective'];

export const PHASE_LABELS: Record<GatePhase, string> = {
  ideation: 'Ideation',
  proof_of_concept: 'Proof of concept',
  pilot: 'Pilot',
  full_deployment: 'Full deployment',
  retrospective: 'Retrospective',
};

export const METRIC_LABELS: Record<GateMetric, string> = {
  impressions: 'Impressions',
  clicks: 'Clicks',
  conversions: 'Conversions',
  spend: 'Spend',
  revenue: 'Revenue',
  ctr: 'CTR',
  cpc: 'CPC',
  cpm: 'CPM',
  cpa: 'CPA',
  conversion_rate: 'Conversion rate',
  roas: 'ROAS',
};

const OPERATORS: Record<string, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };

/** ">= 0.8 %" → "≥ 0.8 %": the server's expected text with mathematical signs. */
export function prettyExpected(expected: string): string {
  return expected.replace(/^\s*(>=|<=|>|<)\s*/, (_, op: string) => `${OPERATORS[op]} `);
}

/** Trims a fixed-decimal string's trailing zeros: "0.920" → "0.92", "40.00" → "40". */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * A metric's measured value as the gate compares it: rates (CTR, conversion rate; stored as
 * fractions) as percent with up to two decimals, money per unit with two decimals, ROAS with two,
 * counts whole with thousands separators.
 */
export function formatMeasured(metric: GateMetric, value: number): string {
  switch (metric) {
    case 'ctr':
    case 'conversion_rate':
      return `${trimZeros((value * 100).toFixed(2))} %`;
    case 'spend':
    case 'revenue':
    case 'cpc':
    case 'cpm':
    case 'cpa':
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'roas':
      return trimZeros(value.toFixed(2));
    default:
      return Math.round(value).toLocaleString('en-US');
  }
}

/**
 * One line for a criterion: "CTR 0.92 % ≥ 0.8 %" for a metric (with its scope, "not shared with
 * you" when the server withholds the figure, "not measured" when unknown), the label for a
 * checklist item, and the sign-offs counted against those needed for an approval.
 */
export function criterionText(c: GateCriterionResult): string {
  if (c.kind === 'metric' && c.metric) {
    const name = METRIC_LABELS[c.metric] + (c.scope ? ` (${c.scope})` : '');
    const measured = c.withheld ? 'not shared with you' : c.measured === undefined ? 'not measured' : formatMeasured(c.metric, c.measured);
    return `${name} ${measured} ${prettyExpected(c.expected)}`;
  }
  if (c.kind === 'approval') {
    // The server's message counts them ("1 of 1 required approval by host:owner").
    const text = c.message || `${c.label} ${prettyExpected(c.expected)}`;
    return `Sign-off: ${text.replace(/\b(host|partner):([a-z_]+)/g, (_, side: string, role: string) => `${side} ${role.replace(/_/g, ' ')}`)}`;
  }
  return c.label;
}

export const OUTCOME_LABELS: Record<GateCriterionResult['outcome'], string> = { pass: 'Pass', fail: 'Fail', unknown: 'Unknown' };

/** The criteria a go must override (each with a reason): every one not passing. */
export function criteriaToOverride(phase: Pick<GatePhaseStatus, 'evaluation'>): GateCriterionResult[] {
  return phase.evaluation.criteria.filter((c) => c.outcome !== 'pass');
}

export interface DecisionDraft {
  verdict: 'go' | 'no_go' | '';
  reason: string;
  /** Criterion id → the reason typed for overriding it (only criteria ticked for override). */
  overrides: Record<string, string>;
}

/** Problems keyed by form field ("verdict", "reason", "override:<id>"); empty when it can be sent. */
export function decisionProblems(draft: DecisionDraft, notPassing: GateCriterionResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (draft.verdict === '') out.verdict = 'Choose go or no-go.';
  if (draft.reason.trim() === '') out.reason = 'Give the reason for this decision.';
  if (draft.verdict === 'go') {
    for (const c of notPassing) {
      const r = draft.overrides[c.id];
      if (r === undefined) out[`override:${c.id}`] = `${criterionText(c)} does not pass: override it with a reason, or record a no-go.`;
      else if (r.trim() === '') out[`override:${c.id}`] = `Give the reason for overriding "${c.label}".`;
    }
  }
  return out;
}

/** The request body for a draft without problems: overrides only on a go. */
export function decisionBody(draft: DecisionDraft): GateDecisionInput {
  const body: GateDecisionInput = { verdict: draft.verdict === 'go' ? 'go' : 'no_go', reason: draft.reason.trim() };
  const overrides = Object.entries(draft.overrides).map(([criterion, reason]) => ({ criterion, reason: reason.trim() }));
  if (body.verdict === 'go' && overrides.length > 0) body.overrides = overrides;
  return body;
}
