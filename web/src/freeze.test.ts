import { describe, expect, it } from 'vitest';
import { activeFreezes, freezeSentence, reasonProblem } from './freeze.ts';
import type { Freeze } from './types.ts';

const f = (over: Partial<Freeze>): Freeze => ({ id: 'frz_1', scope: 'activation', reason: 'Crisis', created_by: 'usr_o', created_at: '2026-11-21T06:40:00Z', active: true, ...over });
const names = (id: string) => ({ usr_o: 'Olivia Okafor' })[id] ?? id;
const orgs = (id: string) => ({ org_s: 'StreamCo' })[id] ?? id;

describe('activeFreezes', () => {
  it('keeps the active ones, the whole activation first, then oldest first', () => {
    const list = activeFreezes([
      f({ id: 'p2', scope: 'partner', org_id: 'org_s', created_at: '2026-11-21T08:00:00Z' }),
      f({ id: 'old', active: false }),
      f({ id: 'p1', scope: 'partner', org_id: 'org_s', created_at: '2026-11-21T07:00:00Z' }),
      f({ id: 'a' }),
    ]);
    expect(list.map((x) => x.id)).toEqual(['a', 'p1', 'p2']);
  });
});

describe('freezeSentence', () => {
  it('says since when, by whom and why', () => {
    expect(freezeSentence(f({}), names, orgs, 'UTC')).toBe('Publishing frozen since 21 Nov 2026, 06:40 by Olivia Okafor — Crisis');
  });
  it('names the partner a partner freeze holds and reads frozen_by / frozen_at too', () => {
    const g = f({ scope: 'partner', org_id: 'org_s', created_by: undefined, created_at: undefined, frozen_by: 'usr_o', frozen_at: '2026-11-21T23:05:00Z', reason: 'Talent issue' });
    expect(freezeSentence(g, names, orgs, 'UTC')).toBe("StreamCo's publishing frozen since 21 Nov 2026, 23:05 by Olivia Okafor — Talent issue");
  });
});

describe('reasonProblem', () => {
  it('requires a reason to freeze and to lift', () => {
    expect(reasonProblem('  ', 'freeze')).toMatch(/reason is required/);
    expect(reasonProblem('', 'lift')).toMatch(/lifted/);
    expect(reasonProblem('Statement out', 'lift')).toBeNull();
    expect(reasonProblem('x'.repeat(1001), 'freeze')).toMatch(/1000/);
  });
});
