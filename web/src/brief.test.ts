import { describe, expect, it } from 'vitest';
import { draftFromActivation, fieldIndex, isBriefField, patchFromDraft } from './brief.ts';
import type { Activation } from './types.ts';

const base: Activation = {
  id: 'act_1',
  host_org_id: 'org_acme',
  host_org_name: 'Acme Beverages',
  name: 'Summer Splash 2026',
  objective: 'lead_generation',
  status: 'planning',
  description: 'Joint summer campaign.',
  audiences: [{ name: 'Gen Z', description: '18–24 sports fans' }],
  markets: [
    { name: 'US', tz: 'America/New_York' },
    { name: 'GB', tz: 'Europe/London' },
    { name: 'JP', tz: 'Asia/Tokyo' },
  ],
  primary_metric: { name: 'Qualified leads', unit: 'leads', target: 50000, forecast: 42000 },
  supporting_metrics: [{ name: 'Reach', unit: 'people', target: 10000000, forecast: null }],
  budget: { amount_micros: 1_250_000_000_000, currency: 'EUR' },
  version: 7,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
  partner_count: 3,
};

describe('brief form model', () => {
  it('an untouched draft produces an empty patch', () => {
    const { patch, errors } = patchFromDraft(base, draftFromActivation(base));
    expect(errors).toEqual({});
    expect(patch).toEqual({});
  });

  it('sends only changed fields plus the version', () => {
    const d = draftFromActivation(base);
    d.description = 'New text';
    d.markets[1] = { name: 'GB', tz: 'Europe/Dublin' };
    const { patch } = patchFromDraft(base, d);
    expect(patch).toEqual({
      description: 'New text',
      markets: [
        { name: 'US', tz: 'America/New_York' },
        { name: 'GB', tz: 'Europe/Dublin' },
        { name: 'JP', tz: 'Asia/Tokyo' },
      ],
      version: 7,
    });
  });

  it('passes unknown time zones to the server to validate', () => {
    const d = draftFromActivation(base);
    d.markets.push({ name: ' MA ', tz: ' Mars/Olympus ' });
    d.markets.push({ name: '', tz: '' }); // blank rows are dropped
    const { patch, errors } = patchFromDraft(base, d);
    expect(errors).toEqual({});
    expect(patch?.markets?.at(-1)).toEqual({ name: 'MA', tz: 'Mars/Olympus' });
    expect(patch?.markets).toHaveLength(4);
  });

  it('converts budget amounts to micros and removes an emptied budget', () => {
    const d = draftFromActivation(base);
    expect(d.budget_amount).toBe('1250000');
    d.budget_amount = '1,300,000.25';
    expect(patchFromDraft(base, d).patch).toEqual({ budget: { amount_micros: 1_300_000_250_000, currency: 'EUR' }, version: 7 });
    d.budget_amount = '';
    expect(patchFromDraft(base, d).patch).toEqual({ budget: null, version: 7 });
  });

  it('reports client-side format errors per field and produces no patch', () => {
    const d = draftFromActivation(base);
    d.budget_amount = 'a lot';
    d.primary_metric.target = 'fifty';
    d.name = '  ';
    const { patch, errors } = patchFromDraft(base, d);
    expect(patch).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['budget', 'name', 'primary_metric']);
    d.name = 'x';
    d.primary_metric.target = '1';
    d.budget_amount = '10';
    d.budget_currency = 'EURO';
    expect(patchFromDraft(base, d).errors.budget).toMatch(/ISO 4217/);
  });

  it('clears the primary metric when all its inputs are emptied', () => {
    const d = draftFromActivation(base);
    d.primary_metric = { name: '', unit: '', target: '', forecast: '' };
    expect(patchFromDraft(base, d).patch).toEqual({ primary_metric: null, version: 7 });
  });

  it('edits supporting metrics with numbers', () => {
    const d = draftFromActivation(base);
    expect(d.supporting_metrics[0]).toEqual({ name: 'Reach', unit: 'people', target: '10000000', forecast: '' });
    d.supporting_metrics[0]!.forecast = '9,500,000';
    d.supporting_metrics.push({ name: 'CTR', unit: '%', target: '1.2', forecast: '' });
    expect(patchFromDraft(base, d).patch).toEqual({
      supporting_metrics: [
        { name: 'Reach', unit: 'people', target: 10000000, forecast: 9500000 },
        { name: 'CTR', unit: '%', target: 1.2, forecast: null },
      ],
      version: 7,
    });
  });

  it('handles an activation without optional parts', () => {
    const bare: Activation = { ...base, description: '', audiences: [], markets: [], primary_metric: null, supporting_metrics: [], budget: null };
    const d = draftFromActivation(bare);
    expect(patchFromDraft(bare, d).patch).toEqual({});
    d.audiences.push({ name: '', description: 'no name' });
    expect(patchFromDraft(bare, d).errors.audiences).toMatch(/name/);
  });
});

describe('fieldIndex / isBriefField', () => {
  it('extracts row indexes from error field paths', () => {
    expect(fieldIndex('markets[2].tz')).toBe(2);
    expect(fieldIndex('markets.0.tz')).toBe(0);
    expect(fieldIndex('/markets/3/tz')).toBe(3);
    expect(fieldIndex('markets')).toBeNull();
    expect(fieldIndex(null)).toBeNull();
  });
  it('knows the form fields', () => {
    expect(isBriefField('markets')).toBe(true);
    expect(isBriefField('budget')).toBe(true);
    expect(isBriefField('host_org_id')).toBe(false);
    expect(isBriefField(null)).toBe(false);
  });
});
