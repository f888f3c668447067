import { describe, expect, it } from 'vitest';
import {
  addMilestone,
  assignLanes,
  dayColumns,
  dependents,
  describeDuration,
  durationEnd,
  durationSeconds,
  fitWidth,
  formatSlack,
  formatSpan,
  ganttSpan,
  makeAfter,
  milestoneErrorField,
  milestoneState,
  parseDuration,
  removeMilestone,
  resolveCalendar,
  snappedDuration,
  snappedWorkingDays,
  stepDuration,
  timeScale,
  updateMilestone,
  workingDayEnds,
} from './plan.ts';
import type { PlanDocument, Schedule, ScheduledMilestone } from './types.ts';

const t = (iso: string) => Date.parse(iso);

const plan: PlanDocument = {
  launch: { local: '2026-06-01T09:00', markets: [{ name: 'US', tz: 'America/New_York' }] },
  milestones: [
    { id: 'brief', duration: '3d', buffer: '1d', owner: 'ana' },
    { id: 'qa', duration: '36h', after: ['brief', { id: 'legal', lag: '4h' }] },
    { id: 'legal', duration: '90m', market: 'US' },
  ],
  calendars: { ana: { tz: 'Europe/Paris' } },
};

describe('durations', () => {
  it('parses a whole number and a unit, nothing else', () => {
    expect(parseDuration('36h')).toEqual({ n: 36, unit: 'h' });
    expect(parseDuration('5wd')).toEqual({ n: 5, unit: 'wd' });
    expect(parseDuration('0d')).toEqual({ n: 0, unit: 'd' });
    for (const bad of ['', '3', 'd', '3 d', '-1d', '1.5h', '2y', '3D']) expect(parseDuration(bad)).toBeNull();
    expect(parseDuration('3660d')).toEqual({ n: 3660, unit: 'd' });
    expect(parseDuration('4000d')).toBeNull(); // more than ten years
  });
  it('knows calendar seconds but not working days', () => {
    expect(durationSeconds('90m')).toBe(5400);
    expect(durationSeconds('2w')).toBe(14 * 86_400);
    expect(durationSeconds('5wd')).toBeNull();
  });
  it('describes durations in words', () => {
    expect(describeDuration('1h')).toBe('1 hour');
    expect(describeDuration('5wd')).toBe('5 working days');
    expect(describeDuration('nonsense')).toBe('nonsense');
  });
});

describe('slack as text', () => {
  it('shows the two largest units', () => {
    expect(formatSpan(561_600)).toBe('6d 12h');
    expect(formatSpan(887_400)).toBe('10d 6h');
    expect(formatSpan(5400)).toBe('1h 30m');
    expect(formatSpan(86_400)).toBe('1d');
    expect(formatSpan(90_061)).toBe('1d 1h');
    expect(formatSpan(45)).toBe('45s');
    expect(formatSpan(0)).toBe('0h');
  });
  it('says "late by" in red for negative slack', () => {
    expect(formatSlack(561_600)).toEqual({ text: 'slack 6d 12h', late: false });
    expect(formatSlack(0)).toEqual({ text: 'no slack', late: false });
    expect(formatSlack(-(86_400 + 4 * 3600))).toEqual({ text: 'late by 1d 4h', late: true });
  });
});

describe('plan edits', () => {
  it('changes one milestone and keeps everything else', () => {
    const next = updateMilestone(plan, 'brief', { duration: '5d' });
    expect(next.milestones[0]).toEqual({ id: 'brief', duration: '5d', buffer: '1d', owner: 'ana' });
    expect(next.milestones[1]).toBe(plan.milestones[1]);
    expect(next.calendars).toBe(plan.calendars);
    expect(plan.milestones[0]!.duration).toBe('3d'); // the input is not modified
  });
  it('removes optional keys set to empty and trims the rest', () => {
    const next = updateMilestone(plan, 'brief', { buffer: '', owner: '  bo  ', actual_finish: '2026-05-22T10:00:00Z' });
    expect(next.milestones[0]).toEqual({ id: 'brief', duration: '3d', owner: 'bo', actual_finish: '2026-05-22T10:00:00Z' });
    const noDeps = updateMilestone(plan, 'qa', { after: [] });
    expect(noDeps.milestones[1]).not.toHaveProperty('after');
  });
  it('writes dependencies as plain ids unless they have a lag', () => {
    expect(makeAfter([{ id: 'brief' }, { id: 'legal', lag: '4h' }, { id: 'x', lag: '' }])).toEqual(['brief', { id: 'legal', lag: '4h' }, 'x']);
  });
  it('renames a milestone in every dependency list', () => {
    const next = updateMilestone(plan, 'legal', { id: 'legal_review' });
    expect(next.milestones[2]!.id).toBe('legal_review');
    expect(next.milestones[1]!.after).toEqual(['brief', { id: 'legal_review', lag: '4h' }]);
  });
  it('leaves the plan alone for an unknown milestone', () => {
    expect(updateMilestone(plan, 'nope', { duration: '1d' })).toBe(plan);
  });
  it('adds and removes milestones, removing references too', () => {
    const added = addMilestone(plan, { id: 'ship', duration: '1h', after: ['qa'] });
    expect(added.milestones.map((m) => m.id)).toEqual(['brief', 'qa', 'legal', 'ship']);
    const removed = removeMilestone(added, 'qa');
    expect(removed.milestones.map((m) => m.id)).toEqual(['brief', 'legal', 'ship']);
    expect(removed.milestones[2]).toEqual({ id: 'ship', duration: '1h' });
    expect(removeMilestone(plan, 'legal').milestones[1]!.after).toEqual(['brief']);
  });
  it('finds what waits for a milestone, transitively (candidates for a cycle)', () => {
    const p = addMilestone(plan, { id: 'ship', duration: '1h', after: ['qa'] });
    expect([...dependents(p, 'brief')].sort()).toEqual(['qa', 'ship']);
    expect([...dependents(p, 'ship')]).toEqual([]);
  });
  it('maps engine error paths to the field of the milestone being edited', () => {
    expect(milestoneErrorField('milestones[2].duration', 2)).toBe('duration');
    expect(milestoneErrorField('milestones[1].after[1].lag', 1)).toBe('after');
    expect(milestoneErrorField('/milestones/1/buffer', 1)).toBe('buffer');
    expect(milestoneErrorField('milestones[3]', 3)).toBe('milestone');
    expect(milestoneErrorField('milestones[2].duration', 1)).toBeNull();
    expect(milestoneErrorField('launch.local', 0)).toBeNull();
    expect(milestoneErrorField(null, 0)).toBeNull();
  });
});

const sm = (over: Partial<ScheduledMilestone> = {}): ScheduledMilestone => ({
  id: 'm',
  earliest_start: '2026-05-20T00:00:00Z',
  earliest_finish: '2026-05-23T00:00:00Z',
  latest_start: '2026-05-26T12:00:00Z',
  latest_finish: '2026-05-29T12:00:00Z',
  slack_seconds: 561_600,
  critical: true,
  ...over,
});

describe('milestone state', () => {
  it('is done with an actual finish, overdue when started and past its finish', () => {
    const now = t('2026-05-24T00:00:00Z');
    expect(milestoneState({ id: 'm', duration: '3d', actual_finish: '2026-05-22T00:00:00Z' }, sm(), now)).toBe('done');
    expect(milestoneState({ id: 'm', duration: '3d', actual_start: '2026-05-20T00:00:00Z' }, sm(), now)).toBe('overdue');
    expect(milestoneState({ id: 'm', duration: '3d', actual_start: '2026-05-20T00:00:00Z' }, sm(), t('2026-05-21T00:00:00Z'))).toBe('in_progress');
    expect(milestoneState({ id: 'm', duration: '3d' }, sm(), now)).toBe('planned');
  });
});

describe('Gantt scale', () => {
  const schedule: Schedule = {
    launch: { JP: '2026-06-01T00:00:00Z', US: '2026-06-01T13:00:00Z' },
    milestones: [sm({ id: 'brief' })],
    critical_path: ['brief'],
    at_risk: false,
    markets_at_risk: [],
  };
  it('spans from the day before the first instant to the day after the last, on local days', () => {
    const span = ganttSpan(schedule, t('2026-05-20T00:00:00Z'), 'America/New_York');
    // Now is 19 May 20:00 in New York: the span opens at local midnight of 18 May (EDT, UTC-4).
    expect(span.start).toBe(t('2026-05-18T04:00:00Z'));
    // US launch 1 June 09:00 local: it closes at the end of 2 June.
    expect(span.end).toBe(t('2026-06-03T04:00:00Z'));
  });
  it('maps instants to pixels and back', () => {
    const s = timeScale(t('2026-05-01T00:00:00Z'), t('2026-05-11T00:00:00Z'), 1000);
    expect(s.pxPerDay).toBe(100);
    expect(s.x(t('2026-05-03T12:00:00Z'))).toBe(250);
    expect(s.at(250)).toBe(t('2026-05-03T12:00:00Z'));
    expect(fitWidth(s.start, s.end, 600, 8)).toBe(600);
    expect(fitWidth(s.start, s.end, 50, 8)).toBe(80);
  });
  it('makes day columns in the zone, 23 hours wide on a spring-forward day', () => {
    const s = timeScale(t('2026-03-07T05:00:00Z'), t('2026-03-10T04:00:00Z'), 71 * 10); // 71 hours, 10 px each
    const cols = dayColumns(s, 'America/New_York');
    expect(cols.map((c) => c.key)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(cols.map((c) => c.width)).toEqual([240, 230, 240]);
    expect(cols.map((c) => c.weekend)).toEqual([true, true, false]);
    expect(cols[0]!.labelled).toBe(true); // 240 px per day: every day has its number
    expect(cols[0]!.monthStart).toBe(true);
  });
  it('labels only Mondays when days are narrow', () => {
    const s = timeScale(t('2026-05-01T00:00:00Z'), t('2026-05-31T00:00:00Z'), 300); // 10 px per day
    const labelled = dayColumns(s, 'UTC').filter((c) => c.labelled).map((c) => c.key);
    expect(labelled).toEqual(['2026-05-04', '2026-05-11', '2026-05-18', '2026-05-25']);
  });
  it('puts overlapping labels in different lanes', () => {
    expect(assignLanes([{ start: 0, end: 70 }, { start: 5, end: 75 }, { start: 80, end: 150 }, { start: 72, end: 90 }])).toEqual([0, 1, 1, 0]);
    expect(assignLanes([{ start: 0, end: 10 }, { start: 10, end: 20 }])).toEqual([0, 0]); // touching is fine
    expect(assignLanes([])).toEqual([]);
  });
});

describe('dragging a bar to a new duration', () => {
  const start = t('2026-05-20T00:00:00Z');
  it('snaps calendar time to whole hours, keeping days as days', () => {
    expect(snappedDuration('36h', start, t('2026-05-21T13:20:00Z'))).toEqual({ duration: '37h', endMs: t('2026-05-21T13:00:00Z') });
    expect(snappedDuration('3d', start, t('2026-05-24T00:20:00Z'))).toEqual({ duration: '4d', endMs: t('2026-05-24T00:00:00Z') });
    expect(snappedDuration('3d', start, t('2026-05-24T05:00:00Z')).duration).toBe('101h');
    // Too narrow to aim at hours: whole days.
    expect(snappedDuration('3d', start, t('2026-05-24T05:00:00Z'), 86_400).duration).toBe('4d');
    // Never shorter than one step, even dragged before the start.
    expect(snappedDuration('90m', start, start - 3600_000).duration).toBe('1h');
  });

  const cal = resolveCalendar({ tz: 'Europe/Paris' }); // Mon-Fri 09:00-17:00 Paris
  it('counts working days: from a morning start they end at 17:00, skipping weekends', () => {
    const monday9 = t('2026-05-18T07:00:00Z'); // 09:00 CEST
    const ends = workingDayEnds(monday9, cal, 6);
    expect(ends[0]).toBe(t('2026-05-18T15:00:00Z')); // Monday 17:00
    expect(ends[4]).toBe(t('2026-05-22T15:00:00Z')); // Friday 17:00, not Monday 09:00
    expect(ends[5]).toBe(t('2026-05-25T15:00:00Z')); // the next Monday
  });
  it('from a mid-day start a working day ends at the same time on the next working day', () => {
    const friday13 = t('2026-05-22T11:00:00Z'); // 13:00 CEST
    expect(workingDayEnds(friday13, cal, 1)).toEqual([t('2026-05-25T11:00:00Z')]);
    // Started after hours: counts from the next working morning.
    const friday20 = t('2026-05-22T18:00:00Z');
    expect(workingDayEnds(friday20, cal, 1)).toEqual([t('2026-05-25T15:00:00Z')]);
  });
  it('skips holidays and follows the calendar hours', () => {
    const c = resolveCalendar({ tz: 'Asia/Tokyo', hours: ['10:00', '19:00'], holidays: ['2026-05-19'] });
    const ends = workingDayEnds(t('2026-05-18T00:00:00Z'), c, 2); // Monday 09:00 JST
    expect(ends).toEqual([t('2026-05-18T10:00:00Z'), t('2026-05-20T10:00:00Z')]); // Mon 19:00, Wed 19:00
  });
  it('snaps a drag to the nearest working-day end', () => {
    const monday9 = t('2026-05-18T07:00:00Z');
    // Dropped on Saturday noon: Friday 17:00 (5wd) is nearer than Monday 17:00.
    expect(snappedWorkingDays(monday9, t('2026-05-23T10:00:00Z'), cal)).toEqual({ duration: '5wd', endMs: t('2026-05-22T15:00:00Z') });
    expect(snappedWorkingDays(monday9, t('2026-05-18T08:00:00Z'), cal)).toEqual({ duration: '1wd', endMs: t('2026-05-18T15:00:00Z') });
  });
  it('steps by one unit from the keyboard', () => {
    expect(stepDuration('5wd', 1)).toBe('6wd');
    expect(stepDuration('1wd', -1)).toBe('1wd');
    expect(stepDuration('5wd', 1, true)).toBe('10wd');
    expect(stepDuration('3d', 1)).toBe('4d');
    expect(stepDuration('36h', 1)).toBe('37h');
    expect(stepDuration('36h', 1, true)).toBe('60h');
    expect(stepDuration('90m', -1)).toBe('1h');
    expect(stepDuration('1d', -1)).toBe('1d');
    expect(stepDuration('2w', -1)).toBe('13d');
    expect(stepDuration('bad', 1)).toBe('bad');
  });
  it('computes where a duration would end for the preview', () => {
    const p: PlanDocument = { ...plan, calendars: { ana: { tz: 'Europe/Paris' } } };
    expect(durationEnd(p, undefined, start, '36h')).toBe(start + 36 * 3600_000);
    expect(durationEnd(p, 'ana', t('2026-05-18T07:00:00Z'), '5wd')).toBe(t('2026-05-22T15:00:00Z'));
    expect(durationEnd(p, 'ana', start, '0wd')).toBe(start);
    expect(durationEnd(p, 'ana', start, 'x')).toBeNull();
  });
});
