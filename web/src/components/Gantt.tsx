// The Gantt chart of a plan: one row per milestone (plan order) with its earliest bar, its
// allowed window behind it, its slack, and vertical markers for each market's launch and now.
// Editors resize a bar from its right edge (pointer) or with the arrow keys on the same handle.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  afterId,
  assignLanes,
  calendarOf,
  dayColumns,
  durationEnd,
  fitWidth,
  formatSlack,
  ganttSpan,
  milestoneState,
  parseDuration,
  snappedDuration,
  snappedWorkingDays,
  stepDuration,
  timeScale,
  describeDuration,
  type MilestoneState,
} from '../plan.ts';
import { formatDateKey, formatDateTimeIn, formatTimeIn } from '../tz.ts';
import type { PlanDocument, PlanMilestone, Schedule, ScheduledMilestone } from '../types.ts';

/** A duration being changed by dragging or the keyboard, not saved yet. */
export interface DurationDraft {
  id: string;
  duration: string;
  endMs: number;
}

interface Props {
  plan: PlanDocument;
  schedule: Schedule;
  tz: string;
  now: number;
  selected: string | null;
  onSelect: (id: string) => void;
  /** Resize handles are shown (brief editors, and not while previewing a what-if). */
  editable: boolean;
  draft: DurationDraft | null;
  onDraft: (d: DurationDraft) => void;
  /** Milestones a what-if pushes past the launch: outlined. */
  highlight?: Set<string>;
}

const ROW_H = 46;
const MIN_PX_PER_DAY = 8;
const LAUNCH_LABEL_W = 74;

function labelWidth(container: number): number {
  return container < 640 ? 128 : 204;
}

const MONTH_LABEL_W = 64;

/** Month starts to label: the chart's first day only when the next month is far enough away. */
function monthLabels(cols: ReturnType<typeof dayColumns>): ReturnType<typeof dayColumns> {
  const starts = cols.filter((c) => c.monthStart);
  return starts.filter((c, i) => i + 1 >= starts.length || starts[i + 1]!.x - c.x >= MONTH_LABEL_W);
}

const STATE_LABEL: Record<MilestoneState, string> = {
  done: 'Done',
  overdue: 'Overdue',
  in_progress: 'In progress',
  planned: '',
};

export function Gantt({ plan, schedule, tz, now, selected, onSelect, editable, draft, onDraft, highlight }: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const [containerW, setContainerW] = useState(960);
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = () => setContainerW(el.clientWidth || 960);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const labelW = labelWidth(containerW);
  const span = ganttSpan(schedule, now, tz);
  const trackW = fitWidth(span.start, span.end, Math.max(200, containerW - labelW - 2), MIN_PX_PER_DAY);
  const scale = timeScale(span.start, span.end, trackW);
  const cols = dayColumns(scale, tz);
  const planById = new Map(plan.milestones.map((m) => [m.id, m]));

  const launches = Object.entries(schedule.launch)
    .map(([market, at]) => ({ market, ms: Date.parse(at) }))
    .sort((a, b) => a.ms - b.ms || a.market.localeCompare(b.market));
  // A label near the right edge hangs to the left of its line instead of being cut off.
  const launchFlip = launches.map((l) => scale.x(l.ms) + LAUNCH_LABEL_W > trackW);
  const launchLanes = assignLanes(
    launches.map((l, i) => {
      const x = scale.x(l.ms);
      return launchFlip[i] ? { start: x - LAUNCH_LABEL_W, end: x } : { start: x, end: x + LAUNCH_LABEL_W };
    }),
  );
  const laneCount = Math.max(1, ...launchLanes.map((l) => l + 1));
  const atRisk = new Set(schedule.markets_at_risk);
  const critical = new Set(schedule.critical_path);
  const nowX = scale.x(now);
  const nowVisible = nowX >= 0 && nowX <= trackW;

  return (
    <div class="gantt" ref={wrapRef} data-testid="gantt">
      <div class="gantt-scroll" tabIndex={-1}>
        <div class="gantt-inner" style={{ width: `${labelW + trackW}px`, '--gantt-label-w': `${labelW}px` }}>
          <div class="gantt-head">
            <div class="gantt-corner" style={{ width: `${labelW}px` }}>
              <span>Milestone</span>
            </div>
            <div class="gantt-axis" style={{ width: `${trackW}px` }} aria-hidden="true">
              <div class="gantt-months">
                {monthLabels(cols).map((c) => (
                  <span key={c.key} class="gantt-month" style={{ left: `${c.x}px` }}>
                    {formatDateKey(c.key, { month: 'short', year: 'numeric' })}
                  </span>
                ))}
              </div>
              <div class="gantt-days">
                {cols.map((c) => (
                  <span
                    key={c.key}
                    class={`gantt-day${c.weekend ? ' weekend' : ''}${c.monthStart ? ' month-start' : ''}`}
                    style={{ left: `${c.x}px`, width: `${c.width}px` }}
                    title={formatDateKey(c.key)}
                  >
                    {c.labelled ? c.day : ''}
                  </span>
                ))}
              </div>
              <div class="gantt-launch-labels" style={{ height: `${laneCount * 20 + 4}px` }}>
                {launches.map((l, i) => (
                  <span
                    key={l.market}
                    class={`gantt-launch-label${atRisk.has(l.market) ? ' at-risk' : ''}${launchFlip[i] ? ' flip' : ''}`}
                    style={{
                      ...(launchFlip[i] ? { right: `${trackW - scale.x(l.ms)}px` } : { left: `${scale.x(l.ms)}px` }),
                      top: `${launchLanes[i]! * 20 + 2}px`,
                    }}
                    title={`Launch ${l.market}: ${formatDateTimeIn(l.ms, tz)}`}
                  >
                    {l.market} {formatTimeIn(l.ms, tz)}
                  </span>
                ))}
                {nowVisible && (
                  <span class="gantt-now-label" style={{ left: `${nowX}px` }}>
                    Now
                  </span>
                )}
              </div>
            </div>
          </div>

          <div class="gantt-body" style={{ height: `${Math.max(1, schedule.milestones.length) * ROW_H}px` }}>
            <div class="gantt-grid" style={{ left: `${labelW}px`, width: `${trackW}px` }} aria-hidden="true">
              {cols
                .filter((c) => c.weekend)
                .map((c) => (
                  <span key={c.key} class="gantt-weekend" style={{ left: `${c.x}px`, width: `${c.width}px` }} />
                ))}
              {cols
                .filter((c) => c.monthStart && c.x > 0)
                .map((c) => (
                  <span key={c.key} class="gantt-month-line" style={{ left: `${c.x}px` }} />
                ))}
              {launches.map((l) => (
                <span
                  key={l.market}
                  class={`gantt-launch-line${atRisk.has(l.market) ? ' at-risk' : ''}`}
                  style={{ left: `${scale.x(l.ms)}px` }}
                  data-testid="launch-marker"
                  data-market={l.market}
                />
              ))}
              {nowVisible && <span class="gantt-now-line" style={{ left: `${nowX}px` }} data-testid="now-marker" />}
            </div>

            <ol class="gantt-rows" aria-label="Milestones">
              {schedule.milestones.map((sm) => (
                <GanttRow
                  key={sm.id}
                  sm={sm}
                  pm={planById.get(sm.id)}
                  plan={plan}
                  labelW={labelW}
                  trackW={trackW}
                  scale={scale}
                  tz={tz}
                  now={now}
                  critical={critical.has(sm.id)}
                  selected={selected === sm.id}
                  onSelect={onSelect}
                  editable={editable}
                  draft={draft && draft.id === sm.id ? draft : null}
                  onDraft={onDraft}
                  highlighted={!!highlight?.has(sm.id)}
                />
              ))}
            </ol>
          </div>
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  sm: ScheduledMilestone;
  pm: PlanMilestone | undefined;
  plan: PlanDocument;
  labelW: number;
  trackW: number;
  scale: ReturnType<typeof timeScale>;
  tz: string;
  now: number;
  critical: boolean;
  selected: boolean;
  onSelect: (id: string) => void;
  editable: boolean;
  draft: DurationDraft | null;
  onDraft: (d: DurationDraft) => void;
  highlighted: boolean;
}

function GanttRow({ sm, pm, plan, labelW, trackW, scale, tz, now, critical, selected, onSelect, editable, draft, onDraft, highlighted }: RowProps) {
  const start = Date.parse(sm.earliest_start);
  const finish = draft ? draft.endMs : Date.parse(sm.earliest_finish);
  const ls = Date.parse(sm.latest_start);
  const lf = Date.parse(sm.latest_finish);
  const state = milestoneState(pm, sm, now);
  const slack = formatSlack(sm.slack_seconds);
  const after = (pm?.after ?? []).map(afterId);
  const duration = draft?.duration ?? pm?.duration ?? '';
  const resizable = editable && !!pm && state !== 'done' && !!parseDuration(pm.duration);

  const barX = scale.x(start);
  const barW = Math.max(3, scale.x(finish) - barX);
  const winX = scale.x(ls);
  const winW = Math.max(2, scale.x(lf) - winX);
  const rightEdge = Math.max(barX + barW, winX + winW);
  const textRight = rightEdge + 8 + 110 <= trackW;
  const textX = textRight ? rightEdge + 8 : Math.min(barX, winX) - 8;

  const late = sm.slack_seconds < 0;
  const cls = ['gantt-row', selected && 'selected', critical && 'critical', late && 'late', state === 'done' && 'done', highlighted && 'highlighted']
    .filter(Boolean)
    .join(' ');
  const summary =
    `${sm.id}: ${formatDateTimeIn(start, tz)} to ${formatDateTimeIn(finish, tz)}; ` +
    `must finish by ${formatDateTimeIn(lf, tz)}; ${slack.text}` +
    (critical ? '; critical' : '') +
    (STATE_LABEL[state] ? `; ${STATE_LABEL[state].toLowerCase()}` : '');

  return (
    <li class={cls} style={{ height: `${ROW_H}px` }} data-testid="gantt-row" data-id={sm.id} data-critical={critical ? 'true' : 'false'} data-state={state}>
      <button
        type="button"
        class="gantt-label"
        style={{ width: `${labelW}px` }}
        aria-current={selected ? 'true' : undefined}
        aria-label={summary}
        onClick={() => onSelect(sm.id)}
      >
        <span class="gantt-label-top">
          <span class="gantt-id">{sm.id}</span>
          {critical && (
            <span class="pill pill-critical" title="On the critical path">
              Critical
            </span>
          )}
          {state === 'done' && <span class="pill pill-done">✓ Done</span>}
          {state === 'overdue' && <span class="pill pill-late">Overdue</span>}
          {late && (
            <span class="pill pill-late" data-testid="row-warning" title={`Finishes ${slack.text.replace('late by ', '')} after it must`}>
              ⚠ Late
            </span>
          )}
        </span>
        <span class="gantt-label-sub">
          {pm?.owner ?? 'No owner'}
          {after.length > 0 && <> · after {after.join(', ')}</>}
        </span>
      </button>
      <div class="gantt-track" style={{ width: `${trackW}px` }}>
        <div class="gantt-window" style={{ left: `${winX}px`, width: `${winW}px` }} title={`Allowed: start by ${formatDateTimeIn(ls, tz)}, finish by ${formatDateTimeIn(lf, tz)}`} />
        <div
          class={`gantt-bar${draft ? ' drafting' : ''}`}
          style={{ left: `${barX}px`, width: `${barW}px` }}
          onClick={() => onSelect(sm.id)}
          title={`${sm.id}: ${describeDuration(duration)} · ${formatDateTimeIn(start, tz)} → ${formatDateTimeIn(finish, tz)}`}
          data-testid="gantt-bar"
        >
          {state === 'done' && (
            <span class="gantt-bar-check" aria-hidden="true">
              ✓
            </span>
          )}
          {resizable && pm && <ResizeHandle sm={sm} pm={pm} plan={plan} scale={scale} duration={duration} onDraft={onDraft} onSelect={onSelect} />}
        </div>
        <span
          class={`gantt-slack${late ? ' late' : ''}${textRight ? '' : ' left'}`}
          style={textRight ? { left: `${textX}px` } : { right: `${trackW - textX}px` }}
          data-testid="slack"
        >
          {draft ? <em>{describeDuration(draft.duration)} (unsaved)</em> : slack.text}
        </span>
      </div>
    </li>
  );
}

function ResizeHandle({
  sm,
  pm,
  plan,
  scale,
  duration,
  onDraft,
  onSelect,
}: {
  sm: ScheduledMilestone;
  pm: PlanMilestone;
  plan: PlanDocument;
  scale: ReturnType<typeof timeScale>;
  duration: string;
  onDraft: (d: DurationDraft) => void;
  onSelect: (id: string) => void;
}) {
  const start = Date.parse(sm.earliest_start);
  const unit = parseDuration(pm.duration)?.unit;
  const drag = useRef<{ pointer: number; originX: number; trackLeft: number } | null>(null);
  const [dragging, setDragging] = useState(false);

  // Hours narrower than 3 px cannot be aimed at: snap to whole days (still whole hours).
  const snapSeconds = scale.pxPerDay / 24 >= 3 ? 3600 : 86_400;

  const draftAt = (endMs: number): DurationDraft | null => {
    if (unit === 'wd') {
      const s = snappedWorkingDays(start, endMs, calendarOf(plan, pm.owner));
      return s && { id: pm.id, duration: s.duration, endMs: s.endMs };
    }
    const s = snappedDuration(pm.duration, start, endMs, snapSeconds);
    return { id: pm.id, duration: s.duration, endMs: s.endMs };
  };

  useEffect(() => () => void (drag.current = null), []);

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const track = (e.currentTarget as HTMLElement).closest('.gantt-track') as HTMLElement | null;
    if (!track) return;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    drag.current = { pointer: e.pointerId, originX: e.clientX, trackLeft: track.getBoundingClientRect().left };
    setDragging(true);
    onSelect(pm.id);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    const endMs = scale.at(e.clientX - d.trackLeft);
    const next = draftAt(endMs);
    if (next) onDraft(next);
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    drag.current = null;
    setDragging(false);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    let dir: 1 | -1 | 0 = 0;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') dir = 1;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') dir = -1;
    else if (e.key === 'PageUp') dir = 1;
    else if (e.key === 'PageDown') dir = -1;
    if (dir === 0) {
      if (e.key === 'Enter') {
        e.preventDefault();
        onSelect(pm.id);
      }
      return;
    }
    e.preventDefault();
    const next = stepDuration(duration, dir, e.shiftKey || e.key === 'PageUp' || e.key === 'PageDown');
    const endMs = durationEnd(plan, pm.owner, start, next);
    if (endMs !== null) {
      onSelect(pm.id);
      onDraft({ id: pm.id, duration: next, endMs });
    }
  };

  const n = parseDuration(duration)?.n ?? 0;
  return (
    <span
      class={`gantt-handle${dragging ? ' dragging' : ''}`}
      role="slider"
      tabIndex={0}
      aria-label={`Duration of ${pm.id}`}
      aria-valuemin={1}
      aria-valuemax={Math.max(n, 9999)}
      aria-valuenow={n}
      aria-valuetext={describeDuration(duration)}
      aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight"
      title="Drag to change the duration (arrow keys: one step; Shift: bigger steps)"
      data-testid="resize-handle"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={onKeyDown}
    />
  );
}
