import { describe, expect, it } from 'vitest';
import { criteriaToOverride, criterionText, decisionBody, decisionProblems, formatMeasured, prettyExpected } from './gates.ts';
import type { GateCriterionResult } from './types.ts';

const ctr = (over: Partial<GateCriterionResult> = {}): GateCriterionResult => ({
  id: 'ctr', kind: 'metric', outcome: 'pass', label: 'ctr', metric: 'ctr', measured: 0.0092, expected: '>= 0.8 %', message: '', ...over,
});

describe('formatMeasured', () => {
  it('shows rates as percent with up to two decimals', () => {
    // 0.0092 is 0.92 %; 0.008 is 0.8 % (trailing zero dropped).
    expect(formatMeasured('ctr', 0.0092)).toBe('0.92 %');
    expect(formatMeasured('conversion_rate', 0.008)).toBe('0.8 %');
  });
  it('shows money with two decimals and counts whole', () => {
    expect(formatMeasured('cpa', 37.5)).toBe('37.50');
    expect(formatMeasured('impressions', 1234567)).toBe('1,234,567');
    expect(formatMeasured('roas', 2.5)).toBe('2.5');
  });
});

describe('criterionText', () => {
  it('reads a metric as measured against expected', () => {
    expect(criterionText(ctr())).toBe('CTR 0.92 % ≥ 0.8 %');
  });
  it('names the scope and says when a figure is withheld or not measured', () => {
    expect(criterionText(ctr({ scope: 'StreamCo', withheld: true, measured: undefined }))).toBe('CTR (StreamCo) not shared with you ≥ 0.8 %');
    expect(criterionText(ctr({ measured: undefined, outcome: 'unknown', metric: 'cpa', expected: '<= 40' }))).toBe('CPA not measured ≤ 40');
  });
  it('counts sign-offs against those needed, roles in words', () => {
    expect(
      criterionText({ id: 'approval:host:owner', kind: 'approval', outcome: 'pass', label: 'approval by host:owner', measured: 1, expected: '>= 1 approval', message: '1 of 1 required approval by host:owner' }),
    ).toBe('Sign-off: 1 of 1 required approval by host owner');
  });
  it('shows a checklist item by its label', () => {
    expect(criterionText({ id: 'qa', kind: 'checklist', outcome: 'fail', label: 'Tracking QA passed', expected: 'checked', message: '' })).toBe('Tracking QA passed');
  });
});

describe('prettyExpected', () => {
  it('uses mathematical signs for the comparison', () => {
    expect(prettyExpected('<= 40')).toBe('≤ 40');
    expect(prettyExpected('> 3')).toBe('> 3');
  });
});

describe('decisionProblems', () => {
  const failing = [ctr({ id: 'cpa', metric: 'cpa', outcome: 'fail', measured: 55, expected: '<= 40', label: 'cpa' })];
  it('asks for a verdict and a reason', () => {
    expect(decisionProblems({ verdict: '', reason: ' ', overrides: {} }, [])).toEqual({
      verdict: 'Choose go or no-go.',
      reason: 'Give the reason for this decision.',
    });
  });
  it('refuses a go past a failing criterion that is not overridden', () => {
    const p = decisionProblems({ verdict: 'go', reason: 'ship it', overrides: {} }, failing);
    expect(p['override:cpa']).toBe('CPA 55.00 ≤ 40 does not pass: override it with a reason, or record a no-go.');
  });
  it('requires a reason for each override', () => {
    const p = decisionProblems({ verdict: 'go', reason: 'ship it', overrides: { cpa: '' } }, failing);
    expect(p['override:cpa']).toBe('Give the reason for overriding "cpa".');
    expect(decisionProblems({ verdict: 'go', reason: 'ship it', overrides: { cpa: 'seasonal' } }, failing)).toEqual({});
  });
  it('lets a no-go through with failing criteria', () => {
    expect(decisionProblems({ verdict: 'no_go', reason: 'CPA too high', overrides: {} }, failing)).toEqual({});
  });
});

describe('decisionBody', () => {
  it('sends overrides only on a go, trimmed', () => {
    expect(decisionBody({ verdict: 'go', reason: ' ok ', overrides: { cpa: ' seasonal ' } })).toEqual({
      verdict: 'go', reason: 'ok', overrides: [{ criterion: 'cpa', reason: 'seasonal' }],
    });
    expect(decisionBody({ verdict: 'no_go', reason: 'no', overrides: { cpa: 'x' } })).toEqual({ verdict: 'no_go', reason: 'no' });
  });
});

describe('criteriaToOverride', () => {
  it('lists failing and unknown criteria', () => {
    const list = criteriaToOverride({
      evaluation: { phase: 'pilot', ready: false, counts: { pass: 1, fail: 1, unknown: 1 }, criteria: [ctr(), ctr({ id: 'a', outcome: 'fail' }), ctr({ id: 'b', outcome: 'unknown' })] },
    });
    expect(list.map((c) => c.id)).toEqual(['a', 'b']);
  });
});
