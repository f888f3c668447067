import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './router.ts';

describe('parseRoute', () => {
  it('parses the known routes', () => {
    expect(parseRoute('')).toEqual({ name: 'activations' });
    expect(parseRoute('#/')).toEqual({ name: 'activations' });
    expect(parseRoute('#/activations')).toEqual({ name: 'activations' });
    expect(parseRoute('#/activations/act_1')).toEqual({ name: 'activation', id: 'act_1' });
    expect(parseRoute('#/activations/a%2Fb/audit')).toEqual({ name: 'audit', id: 'a/b' });
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
      { name: 'login', next: '/activations/act_9/audit' },
      { name: 'login', next: null },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });
});
