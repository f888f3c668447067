import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './measurement.ts';
import { parseRoute, routeHref, type Route } from './router.ts';

describe('parseRoute', () => {
  it('parses the known routes', () => {
    expect(parseRoute('')).toEqual({ name: 'activations' });
    expect(parseRoute('#/')).toEqual({ name: 'activations' });
    expect(parseRoute('#/activations')).toEqual({ name: 'activations' });
    expect(parseRoute('#/activations/act_1')).toEqual({ name: 'activation', id: 'act_1' });
    expect(parseRoute('#/activations/a%2Fb/audit')).toEqual({ name: 'audit', id: 'a/b' });
    expect(parseRoute('#/activations/act_1/schedule')).toEqual({ name: 'schedule', id: 'act_1', zone: null });
    expect(parseRoute('#/activations/act_1/schedule?zone=JP')).toEqual({ name: 'schedule', id: 'act_1', zone: 'JP' });
    expect(parseRoute('#/activations/act_1/calendar')).toEqual({ name: 'calendar', id: 'act_1', view: 'month', date: null, zone: null });
    expect(parseRoute('#/activations/act_1/calendar?view=week&date=2027-01-05&zone=US')).toEqual({
      name: 'calendar',
      id: 'act_1',
      view: 'week',
      date: '2027-01-05',
      zone: 'US',
    });
    // A malformed date or view falls back to the defaults rather than to "not found".
    expect(parseRoute('#/activations/act_1/calendar?view=year&date=5%20Jan')).toEqual({ name: 'calendar', id: 'act_1', view: 'month', date: null, zone: null });
    expect(parseRoute('#/login')).toEqual({ name: 'login', next: null });
    expect(parseRoute('#/login?next=%2Factivations%2Fx')).toEqual({ name: 'login', next: '/activations/x' });
  });
  it('refuses off-site "next" targets and unknown paths', () => {
    expect(parseRoute('#/login?next=https%3A%2F%2Fevil.example')).toEqual({ name: 'login', next: null });
    expect(parseRoute('#/nope')).toEqual({ name: 'not_found', path: '/nope' });
    expect(parseRoute('#/activations/x/y')).toEqual({ name: 'not_found', path: '/activations/x/y' });
    expect(parseRoute('#/activations/%E0%A4%A')).toMatchObject({ name: 'not_found' });
  });
  it('round-trips through routeHref', () => {
    const routes: Route[] = [
      { name: 'activations' },
      { name: 'activation', id: 'act 7/ü' },
      { name: 'audit', id: 'act_9' },
      { name: 'schedule', id: 'act_9', zone: null },
      { name: 'schedule', id: 'act 9', zone: 'America/New_York' },
      { name: 'calendar', id: 'act_9', view: 'month', date: null, zone: null },
      { name: 'calendar', id: 'act_9', view: 'week', date: '2027-01-05', zone: 'local' },
      { name: 'measurement', id: 'act_9', settings: DEFAULT_SETTINGS },
      {
        name: 'measurement',
        id: 'act 9/ü',
        settings: { ...DEFAULT_SETTINGS, models: ['last', 'shapley'], by: 'partner,channel', halfLife: '12h', order: 2, metric: 'revenue', share: true },
      },
      { name: 'assets', id: 'act_9', tag: '', platform: '', locale: '' },
      { name: 'assets', id: 'act 9', tag: 'hero', platform: 'instagram_feed', locale: 'en-gb' },
      { name: 'gates', id: 'act_9' },
      { name: 'crisis', id: 'act 9/ü' },
      { name: 'approvals', id: 'act_9' },
      { name: 'inbox' },
      { name: 'login', next: '/activations/act_9/audit' },
      { name: 'login', next: null },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });
  it('writes only the calendar parameters that differ from the defaults', () => {
    expect(routeHref({ name: 'calendar', id: 'a', view: 'month', date: null, zone: null })).toBe('#/activations/a/calendar');
    expect(routeHref({ name: 'calendar', id: 'a', view: 'week', date: '2027-01-05', zone: 'JP' })).toBe(
      '#/activations/a/calendar?view=week&date=2027-01-05&zone=JP',
    );
    expect(routeHref({ name: 'schedule', id: 'a', zone: 'utc' })).toBe('#/activations/a/schedule?zone=utc');
  });
  it('parses the measurement tab with its attribution settings', () => {
    expect(parseRoute('#/activations/act_1/measurement')).toEqual({ name: 'measurement', id: 'act_1', settings: DEFAULT_SETTINGS });
    expect(parseRoute('#/activations/act_1/measurement?by=partner&models=first,last&show=revenue&share=1&order=3&click_lookback=7d')).toEqual({
      name: 'measurement',
      id: 'act_1',
      settings: { ...DEFAULT_SETTINGS, by: 'partner', models: ['first', 'last'], metric: 'revenue', share: true, order: 3, clickLookback: '7d' },
    });
    // Unknown values keep their defaults rather than making the page "not found".
    expect(parseRoute('#/activations/act_1/measurement?by=country&models=magic&order=7')).toEqual({ name: 'measurement', id: 'act_1', settings: DEFAULT_SETTINGS });
    expect(parseRoute('#/activations/act_1/measurement/extra')).toEqual({ name: 'not_found', path: '/activations/act_1/measurement/extra' });
  });
  it('writes only the measurement settings that differ from the defaults, commas readable', () => {
    expect(routeHref({ name: 'measurement', id: 'a', settings: DEFAULT_SETTINGS })).toBe('#/activations/a/measurement');
    expect(routeHref({ name: 'measurement', id: 'a', settings: { ...DEFAULT_SETTINGS, by: 'partner,channel', models: ['markov', 'first'] } })).toBe(
      '#/activations/a/measurement?models=first,markov&by=partner,channel',
    );
  });
  it('parses the asset library with its search, the gate board and the approvals inbox', () => {
    expect(parseRoute('#/activations/act_1/assets?tag=hero&locale=ja-jp')).toEqual({ name: 'assets', id: 'act_1', tag: 'hero', platform: '', locale: 'ja-jp' });
    expect(routeHref({ name: 'assets', id: 'a', tag: '', platform: 'x', locale: '' })).toBe('#/activations/a/assets?platform=x');
    expect(parseRoute('#/activations/act_1/gates')).toEqual({ name: 'gates', id: 'act_1' });
    expect(parseRoute('#/activations/act_1/crisis')).toEqual({ name: 'crisis', id: 'act_1' });
    expect(parseRoute('#/activations/act_1/crisis/x')).toEqual({ name: 'not_found', path: '/activations/act_1/crisis/x' });
    expect(parseRoute('#/approvals')).toEqual({ name: 'inbox' });
    expect(parseRoute('#/approvals/x')).toEqual({ name: 'not_found', path: '/approvals/x' });
  });
});
