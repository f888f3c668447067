// The plan page's pure logic: durations and slack as text, edits of the plan document, the
// Gantt's time scale, and the snapping of a dragged bar to whole hours or working days.
// Unit-tested in plan.test.ts. The server computes every schedule; nothing here re-implements
// the engine beyond what a drag preview needs.

import type { AfterEntry, PlanDocument, PlanMilestone, Schedule, ScheduledMilestone, WorkCalendar } from './types.ts';
import { addDays, dayBounds, dayKey, DAY_MS, instantFromLocal, isWeekend, localParts, minutesIntoDay, weekdayOf, type DateKey } from './tz.ts';

// ---------- durations ----------

export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'wd';

export interface Duration {
  n: number;
  unit: DurationUnit;
}

const UNIT_SECONDS: Record<Exclude<DurationUnit, 'wd'>, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const TEN_YEARS_S = 10 * 366 * 86_400;

/** "36h" → {n: 36, unit: "h"}; null unless a non-negative integer and a unit, no spaces. */
export function parseDuration(s: string | null | undefined): Duration | null {
  const m = /^(\d{1,9})(wd|s|m|h|d|w)$/.exec(s ?? '');
  if (!m) return null;
  const d = { n: Number(m[1]), unit: m[2] as DurationUnit };
  if (d.unit !== 'wd' && d.n * UNIT_SECONDS[d.unit] > TEN_YEARS_S) return null;
  return d;
}

/** Elapsed seconds of a calendar-time duration; null for working days (they need a calendar). */
export function durationSeconds(s: string): number | null {
  const d = parseDuration(s);
  if (!d || d.unit === 'wd') return null;
  return d.n * UNIT_SECONDS[d.unit];
}

const UNIT_WORDS: Record<DurationUnit, [string, string]> = {
  s: ['second', 'seconds'],
  m: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
  wd: ['working day', 'working days'],
};

/** "5wd" → "5 working days", "1h" → "1 hour"; anything else is returned as is. */
export function describeDuration(s: string): string {
  const d = parseDuration(s);
  if (!d) return s;
  const [one, many] = UNIT_WORDS[d.unit];
  return `${d.n} ${d.n === 1 ? one : many}`;
}

/** A span in seconds as its two largest units: 561600 → "6d 12h", 5400 → "1h 30m", 0 → "0h". */
export function formatSpan(seconds: number): string {
  let s = Math.floor(Math.abs(seconds));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const units: [number, string][] = [
    [d, 'd'],
    [h, 'h'],
    [m, 'm'],
    [s, 's'],
  ];
  const first = units.findIndex(([v]) => v > 0);
  if (first < 0) return '0h';
  const parts = [units[first]!];
  const next = units[first + 1];
  // Seconds only matter when the whole span is under a minute.
  if (next && next[0] > 0 && !(next[1] === 's' && first < 2)) parts.push(next);
  return parts.map(([v, u]) => `${v}${u}`).join(' ');
}

/** Slack for people: "slack 6d 12h", "no slack", or late: "late by 1d 4h". */
export function formatSlack(seconds: number): { text: string; late: boolean } {
  if (seconds < 0) return { text: `late by ${formatSpan(seconds)}`, late: true };
  if (seconds === 0) return { text: 'no slack', late: false };
  return { text: `slack ${formatSpan(seconds)}`, late: false };
}

// ---------- the plan document ----------

export function afterId(e: AfterEntry): string {
  return typeof e === 'string' ? e : e.id;
}

export function afterLag(e: AfterEntry): string {
  return typeof e === 'string' ? '' : (e.lag ?? '');
}

/** A dependency list from {id, lag} pairs: plain ids where there is no lag. */
export function makeAfter(entries: { id: string; lag?: string }[]): AfterEntry[] {
  return entries.map((e) => (e.lag ? { id: e.id, lag: e.lag } : e.id));
}

/** What the milestone form changes; an empty string or list removes the key. */
export interface MilestoneEdit {
  id?: string;
  duration?: string;
  buffer?: string;
  owner?: string;
  market?: string;
  after?: AfterEntry[];
  actual_start?: string;
  actual_finish?: string;
}

/**
 * The plan with one milestone changed (a new document; the input is not modified). Keys of the
 * milestone that the edit does not mention, and everything else in the plan, are kept as they
 * were. Renaming a milestone (`id`) renames it in every `after` list too. Unknown id: the plan
 * unchanged.
 */
export function updateMilestone(plan: PlanDocument, id: string, edit: MilestoneEdit): PlanDocument {
  const index = plan.milestones.findIndex((m) => m.id === id);
  if (index < 0) return plan;
  const next: Record<string, unknown> = { ...plan.milestones[index] };
  for (const [k, v] of Object.entries(edit) as [keyof MilestoneEdit, unknown][]) {
    if (v === undefined) continue;
    if (k === 'duration' || k === 'id') {
      next[k] = v;
    } else if ((typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) {
      delete next[k];
    } else {
      next[k] = typeof v === 'string' ? v.trim() : v;
    }
  }
  const renamed = edit.id !== undefined && edit.id !== id ? edit.id : null;
  const milestones = plan.milestones.map((m, i) => {
    if (i === index) return next as unknown as PlanMilestone;
    if (!renamed || !m.after?.some((e) => afterId(e) === id)) return m;
    return { ...m, after: m.after.map((e) => (afterId(e) !== id ? e : typeof e === 'string' ? renamed : { ...e, id: renamed })) };
  });
  return { ...plan, milestones };
}

/** The plan with a milestone appended. */
export function addMilestone(plan: PlanDocument, m: PlanMilestone): PlanDocument {
  return { ...plan, milestones: [...plan.milestones, m] };
}

/** The plan without a milestone, and without it in any `after` list. */
export function removeMilestone(plan: PlanDocument, id: string): PlanDocument {
  return {
    ...plan,
    milestones: plan.milestones
      .filter((m) => m.id !== id)
      .map((m) => {
        if (!m.after?.some((e) => afterId(e) === id)) return m;
        const after = m.after.filter((e) => afterId(e) !== id);
        const { after: _drop, ...rest } = m;
        return after.length ? { ...m, after } : rest;
      }),
  };
}

/** The ids that (transitively) wait for `id`: they cannot be its dependencies (a cycle). */
export function dependents(plan: PlanDocument, id: string): Set<string> {
  const waiting = new Map<string, string[]>();
  for (const m of plan.milestones) {
    for (const e of m.after ?? []) {
      const list = waiting.get(afterId(e)) ?? [];
      list.push(m.id);
      waiting.set(afterId(e), list);
    }
  }
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    for (const w of waiting.get(stack.pop()!) ?? []) {
      if (!out.has(w)) {
        out.add(w);
        stack.push(w);
      }
    }
  }
  return out;
}

/** A first plan: one local launch time in the given markets and one milestone. */
export function newPlanDocument(launchLocal: string, markets: { name: string; tz: string }[], first: PlanMilestone): PlanDocument {
  return {
    launch: { local: launchLocal, markets, on_gap: 'shift_forward', on_overlap: 'earliest' },
    milestones: [first],
  };
}

/** Milestone ids are 1 to 64 bytes. */
export function validMilestoneId(id: string): boolean {
  const bytes = new TextEncoder().encode(id).length;
  return bytes >= 1 && bytes <= 64 && id.trim() === id;
}

/**
 * Which field of the milestone at `index` an engine error's path names: "milestones[2].after[1].lag"
 * → "after" for index 2; null when it names another milestone or something else.
 */
export function milestoneErrorField(field: string | null | undefined, index: number): string | null {
  if (!field) return null;
  const m = /^\/?milestones(?:\[(\d+)\]|[./](\d+))(?:[./]([a-z_]+))?/.exec(field);
  if (!m || Number(m[1] ?? m[2]) !== index) return null;
  return m[3] ?? 'milestone';
}

// ---------- milestone state ----------

export type MilestoneState = 'done' | 'overdue' | 'in_progress' | 'planned';

export function milestoneState(pm: PlanMilestone | undefined, sm: ScheduledMilestone, now: number): MilestoneState {
  if (pm?.actual_finish) return 'done';
  if (pm?.actual_start) return Date.parse(sm.earliest_finish) < now ? 'overdue' : 'in_progress';
  return 'planned';
}

/** Milestones with negative slack, in plan order. */
export function lateMilestones(schedule: Schedule): ScheduledMilestone[] {
  return schedule.milestones.filter((m) => m.slack_seconds < 0);
}

/** The earliest launch instant over all markets, or NaN. */
export function firstLaunch(schedule: Schedule): number {
  const all = Object.values(schedule.launch).map((v) => Date.parse(v));
  return all.length ? Math.min(...all) : Number.NaN;
}

// ---------- the Gantt's time axis ----------

/**
 * The span the Gantt shows: from the day before the earliest of now and every start to two days
 * after the latest launch or finish, on day boundaries of `tz`.
 */
export function ganttSpan(schedule: Schedule, now: number, tz: string): { start: number; end: number } {
  const instants = [now];
  for (const v of Object.values(schedule.launch)) instants.push(Date.parse(v));
  for (const m of schedule.milestones) {
    instants.push(Date.parse(m.earliest_start), Date.parse(m.earliest_finish), Date.parse(m.latest_start), Date.parse(m.latest_finish));
  }
  const ok = instants.filter((x) => Number.isFinite(x));
  const lo = Math.min(...ok);
  const hi = Math.max(...ok);
  return { start: dayBounds(addDays(dayKey(lo, tz), -1), tz)[0], end: dayBounds(addDays(dayKey(hi, tz), 1), tz)[1] };
}

export interface TimeScale {
  start: number;
  end: number;
  width: number;
  /** Pixels from the left edge for an instant. */
  x(ms: number): number;
  /** The instant at a pixel offset. */
  at(px: number): number;
  pxPerDay: number;
}

export function timeScale(start: number, end: number, width: number): TimeScale {
  const span = Math.max(1, end - start);
  const k = width / span;
  return {
    start,
    end,
    width,
    x: (ms) => (ms - start) * k,
    at: (px) => start + px / k,
    pxPerDay: k * DAY_MS,
  };
}

/** The width that shows `days` days at least `minPxPerDay` wide, or fills `available`. */
export function fitWidth(start: number, end: number, available: number, minPxPerDay: number): number {
  const days = (end - start) / DAY_MS;
  return Math.max(available, Math.ceil(days * minPxPerDay));
}

export interface DayColumn {
  key: DateKey;
  x: number;
  width: number;
  weekend: boolean;
  /** Day of the month, "5". */
  day: number;
  /** The label row shows this day (every day when wide, else Mondays or the 1st). */
  labelled: boolean;
  /** First column of a month (or of the chart): where the month's name goes. */
  monthStart: boolean;
}

/** The day columns of the axis in `tz` (a DST day is 23 or 25 hours wide). */
export function dayColumns(scale: TimeScale, tz: string): DayColumn[] {
  const cols: DayColumn[] = [];
  let key = dayKey(scale.start, tz);
  for (let guard = 0; guard < 40_000; guard++) {
    const [s, e] = dayBounds(key, tz);
    if (s >= scale.end) break;
    const x0 = scale.x(Math.max(s, scale.start));
    const x1 = scale.x(Math.min(e, scale.end));
    const p = localParts(s, tz);
    const every = scale.pxPerDay >= 20 ? 1 : scale.pxPerDay >= 6 ? 7 : 0;
    cols.push({
      key,
      x: x0,
      width: x1 - x0,
      weekend: isWeekend(key),
      day: p.day,
      labelled: every === 1 || (every === 7 && p.weekday === 1) || (every === 0 && p.day === 1),
      monthStart: p.day === 1 || cols.length === 0,
    });
    key = addDays(key, 1);
  }
  return cols;
}

/**
 * Greedy interval partitioning: the lane (0, 1, …) of each span such that spans in one lane do
 * not overlap. Used for launch labels that would collide and for posts at close times.
 */
export function assignLanes(spans: { start: number; end: number }[]): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.start - spans[b]!.start || a - b);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    const s = spans[i]!;
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(s.end);
    } else {
      laneEnds[lane] = s.end;
    }
    lanes[i] = lane;
  }
  return lanes;
}

// ---------- dragging a bar's end: snapping ----------

/**
 * The duration for a bar dragged to end at `endMs`, in calendar time: the elapsed time from
 * `startMs` snapped to multiples of `snapSeconds` (an hour, or a day when hours are too narrow to
 * aim at), at least one step. Whole days stay in days when the original was in days or weeks.
 */
export function snappedDuration(original: string, startMs: number, endMs: number, snapSeconds = 3600): { duration: string; endMs: number } {
  const step = Math.max(3600, snapSeconds);
  const raw = (endMs - startMs) / 1000;
  const seconds = Math.max(step, Math.round(raw / step) * step);
  const unit = parseDuration(original)?.unit;
  const duration = (unit === 'd' || unit === 'w') && seconds % 86_400 === 0 ? `${seconds / 86_400}d` : `${seconds / 3600}h`;
  return { duration, endMs: startMs + seconds * 1000 };
}

/** A working calendar with its defaults filled in (Mon–Fri 09:00–17:00 Etc/UTC). */
export interface ResolvedCalendar {
  tz: string;
  days: Set<number>; // ISO weekdays
  startMin: number;
  endMin: number;
  holidays: Set<string>;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function hhmm(s: string | undefined, fallback: number): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : fallback;
}

export function resolveCalendar(c: WorkCalendar | undefined): ResolvedCalendar {
  const days = new Set((c?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri']).map((d) => WEEKDAYS.indexOf(d) + 1).filter((d) => d > 0));
  const tz = !c?.tz || c.tz === 'Etc/UTC' ? 'UTC' : c.tz;
  return { tz, days, startMin: hhmm(c?.hours?.[0], 9 * 60), endMin: hhmm(c?.hours?.[1], 17 * 60), holidays: new Set(c?.holidays ?? []) };
}

/** The calendar whose working days a milestone's duration counts: its owner's, else the default. */
export function calendarOf(plan: PlanDocument, owner: string | undefined): ResolvedCalendar {
  return resolveCalendar((owner && plan.calendars?.[owner]) || plan.default_calendar);
}

function isWorkingDate(key: DateKey, cal: ResolvedCalendar): boolean {
  return cal.days.has(weekdayOf(key)) && !cal.holidays.has(key);
}

function at(key: DateKey, minutes: number, cal: ResolvedCalendar): number {
  if (minutes >= 1440) return dayBounds(key, cal.tz)[1];
  return instantFromLocal(cal.tz, key, Math.floor(minutes / 60), minutes % 60);
}

/**
 * The instants at which 1, 2, … working days of `cal` counted from `startMs` end, up to `count`
 * of them: work starting mid-day ends at the same working moment of a later working day; work
 * starting at or before the day's start ends at a day's end (Friday 17:00, not Monday 09:00).
 */
export function workingDayEnds(startMs: number, cal: ResolvedCalendar, count: number): number[] {
  const len = cal.endMin - cal.startMin;
  if (len <= 0 || cal.days.size === 0) return [];
  let key = dayKey(startMs, cal.tz);
  let offset = 0;
  // Find the first working moment at or after the start.
  for (let guard = 0; guard < 3700; guard++, key = addDays(key, 1), offset = 0) {
    if (!isWorkingDate(key, cal)) continue;
    const sameDay = dayKey(startMs, cal.tz) === key;
    const m = sameDay ? minutesIntoDay(startMs, cal.tz) : 0;
    if (m >= cal.endMin) continue;
    offset = Math.max(0, m - cal.startMin);
    break;
  }
  const ends: number[] = [];
  const day = key;
  let k = day;
  if (offset === 0) {
    // Ends at the end of the 1st, 2nd, … working day starting with `day`.
    for (let guard = 0; ends.length < count && guard < 3700 * 2; guard++, k = addDays(k, 1)) {
      if (isWorkingDate(k, cal)) ends.push(at(k, cal.endMin, cal));
    }
  } else {
    // Ends at the same working moment of the following working days.
    k = addDays(day, 1);
    for (let guard = 0; ends.length < count && guard < 3700 * 2; guard++, k = addDays(k, 1)) {
      if (isWorkingDate(k, cal)) ends.push(at(k, cal.startMin + offset, cal));
    }
  }
  return ends;
}

/**
 * The whole number of working days (at least 1) whose end is nearest to where a bar was dragged,
 * and that end.
 */
export function snappedWorkingDays(startMs: number, endMs: number, cal: ResolvedCalendar): { duration: string; endMs: number } | null {
  const wanted = Math.max(1, Math.ceil((endMs - startMs) / DAY_MS) + 14);
  const ends = workingDayEnds(startMs, cal, Math.min(wanted, 3000));
  if (ends.length === 0) return null;
  let best = 0;
  for (let i = 1; i < ends.length; i++) if (Math.abs(ends[i]! - endMs) < Math.abs(ends[best]! - endMs)) best = i;
  return { duration: `${best + 1}wd`, endMs: ends[best]! };
}

/**
 * The duration one keyboard step away: ±1 working day for "wd", ±1 hour otherwise (±1 day
 * with `big`). Never below one step.
 */
export function stepDuration(original: string, direction: 1 | -1, big = false): string {
  const d = parseDuration(original);
  if (!d) return original;
  if (d.unit === 'wd') return `${Math.max(1, d.n + direction * (big ? 5 : 1))}wd`;
  const seconds = d.n * UNIT_SECONDS[d.unit];
  const days = d.unit === 'd' || d.unit === 'w';
  const step = big || days ? 86_400 : 3600;
  const base = Math.round(seconds / (days ? 86_400 : 3600)) * (days ? 86_400 : 3600);
  const next = Math.max(days ? 86_400 : 3600, base + direction * step);
  if ((d.unit === 'd' || d.unit === 'w') && next % 86_400 === 0) return `${next / 86_400}d`;
  return `${next / 3600}h`;
}

/**
 * Where a milestone starting at `startMs` would end with `duration`: calendar time is added as
 * is; working days follow the owner's calendar. Null for a malformed duration.
 */
export function durationEnd(plan: PlanDocument, owner: string | undefined, startMs: number, duration: string): number | null {
  const d = parseDuration(duration);
  if (!d) return null;
  if (d.unit !== 'wd') return startMs + d.n * UNIT_SECONDS[d.unit] * 1000;
  if (d.n === 0) return startMs;
  return workingDayEnds(startMs, calendarOf(plan, owner), d.n)[d.n - 1] ?? null;
}
