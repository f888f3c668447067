import { describe, expect, it } from 'vitest';
import { approvalHistory, decisionProblem, formatSpan, formatTimeLeft, groupInbox, liveTimeLeft, urgency } from './approvals.ts';
import type { InboxItem } from './types.ts';

const MIN = 60_000;
const H = 60 * MIN;

describe('formatTimeLeft', () => {
  it('says hours and minutes when less than a day is left', () => {
    expect(formatTimeLeft(3 * H + 20 * MIN)).toBe('due in 3 h 20 min');
  });
  it('rounds down so it never promises more time than is left', () => {
    // 3 h 20 min 59.9 s is still "3 h 20 min".
    expect(formatTimeLeft(3 * H + 20 * MIN + 59_900)).toBe('due in 3 h 20 min');
  });
  it('drops zero minutes and zero hours', () => {
    expect(formatTimeLeft(2 * H)).toBe('due in 2 h');
    expect(formatTimeLeft(45 * MIN)).toBe('due in 45 min');
  });
  it('counts days and hours from a day on', () => {
    // 47 h 59 min = 1 d 23 h 59 min: minutes are dropped at that range.
    expect(formatTimeLeft(47 * H + 59 * MIN)).toBe('due in 1 d 23 h');
    expect(formatTimeLeft(72 * H)).toBe('due in 3 d');
  });
  it('says overdue once the time is negative', () => {
    expect(formatTimeLeft(-(1 * H + 5 * MIN))).toBe('overdue by 1 h 5 min');
  });
  it('says less than a minute either side of the due time', () => {
    expect(formatTimeLeft(30_000)).toBe('due in less than a minute');
    expect(formatTimeLeft(-30_000)).toBe('overdue by less than a minute');
    expect(formatSpan(0)).toBe('less than a minute');
  });
});

describe('urgency', () => {
  it('is overdue when the time left is negative or the server says breached', () => {
    expect(urgency(-1)).toBe('overdue');
    expect(urgency(5 * H, true)).toBe('overdue');
  });
  it('is soon within four hours and later beyond', () => {
    expect(urgency(4 * H)).toBe('soon');
    expect(urgency(4 * H + 1)).toBe('later');
  });
});

describe('liveTimeLeft', () => {
  it('counts down by the time elapsed on the browser since the inbox was read', () => {
    // Read at t=1000 with 10 min left; 4 min later 6 min are left.
    expect(liveTimeLeft(10 * MIN, 1000, 1000 + 4 * MIN)).toBe(6 * MIN);
  });
  it('goes negative past the due time', () => {
    expect(liveTimeLeft(MIN, 0, 3 * MIN)).toBe(-2 * MIN);
  });
  it('ignores a clock that went backwards', () => {
    expect(liveTimeLeft(MIN, 5000, 1000)).toBe(MIN);
  });
});

describe('decisionProblem', () => {
  it('lets an approval go without a comment', () => {
    expect(decisionProblem('approve', '')).toBeNull();
  });
  it('requires a comment to reject or request changes', () => {
    expect(decisionProblem('reject', '  ')).toMatch(/comment is required/);
    expect(decisionProblem('request_changes', '')).toMatch(/what should change/);
    expect(decisionProblem('reject', 'Logo too small')).toBeNull();
  });
});

describe('approvalHistory', () => {
  it('puts each decision under its round, rounds and decisions in order', () => {
    const h = approvalHistory({
      rounds: [
        { round: 2, started_at: '2026-06-02T00:00:00Z', started_by: 'usr_b', comment: 'bigger logo' },
        { round: 1, started_at: '2026-06-01T00:00:00Z', started_by: 'usr_b' },
      ],
      decisions: [
        { round: 2, seq: 3, step: 'host review', user_id: 'usr_a', decision: 'approve', at: '2026-06-02T01:00:00Z' },
        { round: 1, seq: 1, step: 'host review', user_id: 'usr_a', decision: 'request_changes', comment: 'logo', at: '2026-06-01T01:00:00Z' },
      ],
    });
    expect(h.map((r) => r.round)).toEqual([1, 2]);
    expect(h[0]!.decisions.map((d) => d.decision)).toEqual(['request_changes']);
    expect(h[1]!.decisions.map((d) => d.seq)).toEqual([3]);
    expect(h[1]!.comment).toBe('bigger logo');
  });
});

describe('groupInbox', () => {
  it('groups by activation keeping the most urgent first order', () => {
    const item = (approval_id: string, activation_id: string, activation_name: string): InboxItem => ({
      approval_id, activation_id, activation_name, title: approval_id, step: 's', due_at: '', time_left_ms: 0, breached: false, escalation_level: 0,
    });
    const g = groupInbox([item('a1', 'act_1', 'One'), item('a2', 'act_2', 'Two'), item('a3', 'act_1', 'One')]);
    expect(g.map((x) => [x.name, x.items.map((i) => i.approval_id)])).toEqual([
      ['One', ['a1', 'a3']],
      ['Two', ['a2']],
    ]);
  });
});
