// Week view of the content calendar: seven days of the chosen zone in hour rows. A strip above
// the hours lists each day's launches, milestone deadlines, blackouts and release windows that
// open or close; in the hours, posts sit at their wall-clock time, blackouts are hatched,
// release windows are green stripes at the right edge and launches purple lines. A post dropped
// in a column moves to that day and time (15-minute steps).

import { useEffect, useRef, useState } from 'preact/hooks';
import { atMinute, dayLayout } from '../calendar.ts';
import { dayKey, formatDateKey, formatDateTimeIn, formatTimeIn, minutesIntoDay, parseDateKey, segmentInDay, weekdayOf } from '../tz.ts';
import type { Blackout, ReleaseWindow } from '../types.ts';
import { BanIcon, blackoutTitle, DeadlineMarker, DRAG_TYPE, dragging, LaunchMarker, PostChip, type CalendarModel } from './CalendarItems.tsx';

const HOUR_H = 48;
const POST_MIN = 50; // minutes of height a post takes

function px(minutes: number): string {
  return `${(minutes / 60) * HOUR_H}px`;
}

interface WindowGroup {
  market: string;
  start: number;
  end: number;
  platforms: string[];
}

/** Release windows with the same market and interval, drawn as one stripe. */
function groupWindows(windows: ReleaseWindow[]): WindowGroup[] {
  const groups = new Map<string, WindowGroup>();
  for (const w of windows) {
    const k = `${w.market ?? ''}|${w.start}|${w.end}`;
    const g = groups.get(k) ?? { market: w.market ?? 'every market', start: Date.parse(w.start), end: Date.parse(w.end), platforms: [] };
    if (!g.platforms.includes(w.platform)) g.platforms.push(w.platform);
    groups.set(k, g);
  }
  return [...groups.values()].sort((a, b) => a.start - b.start || a.market.localeCompare(b.market));
}

function windowTitle(g: WindowGroup, tz: string): string {
  return `Release window ${g.market} (${g.platforms.join(', ')}): ${formatDateTimeIn(g.start, tz)} → ${formatDateTimeIn(g.end, tz)}`;
}

export function CalendarWeek({ days, model, now }: { days: string[]; model: CalendarModel; now: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [dropKey, setDropKey] = useState<string | null>(null);
  const groups = groupWindows(model.windows);

  // Open the week at its first post (or 08:00), not at midnight.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let first = 8 * 60;
    for (const key of days) for (const p of model.postsByDay.get(key) ?? []) first = Math.min(first, minutesIntoDay(Date.parse(p.at), model.tz));
    el.scrollTop = Math.max(0, (first / 60 - 0.5) * HOUR_H);
  }, [days[0], model.tz]);

  const drop = (e: DragEvent, key: string) => {
    e.preventDefault();
    setDropKey(null);
    const id = e.dataTransfer?.getData(DRAG_TYPE) || dragging.id;
    const offset = dragging.grabOffsetPx;
    dragging.id = null;
    const post = id ? model.postById.get(id) : undefined;
    if (!post || !model.canMove(post)) return;
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const minutes = ((e.clientY - rect.top - offset) / HOUR_H) * 60;
    const at = atMinute(key, minutes, model.tz, 15);
    if (at !== Date.parse(post.at)) model.onMove(post, at);
  };

  return (
    <div class="week-wrap">
      <div class="week" data-testid="week-view" role="group" aria-label={`Week of ${formatDateKey(days[0]!)}`}>
        <div class="week-head">
          <div class="week-gutter-head" aria-hidden="true" />
          {days.map((key) => (
            <div key={key} class={`week-day-head${key === model.today ? ' today' : ''}${weekdayOf(key) >= 6 ? ' weekend' : ''}`}>
              <span class="wd">{formatDateKey(key, { weekday: 'short' })}</span>
              <span class="dn">{parseDateKey(key)!.day}</span>
            </div>
          ))}
        </div>
        <div class="week-allday">
          <div class="week-gutter-head small muted">Day</div>
          {days.map((key) => (
            <div key={key} class="week-allday-cell" data-date={key}>
              {(model.blackoutsByDay.get(key) ?? []).map((b, i) => (
                <div key={`b${i}`} class="blackout-tag" data-testid="calendar-blackout" title={blackoutTitle(b, model.tz)}>
                  <BanIcon /> {b.name}
                </div>
              ))}
              {(model.launchesByDay.get(key) ?? []).map((l) => (
                <LaunchMarker key={l.market} launch={l} model={model} />
              ))}
              {(model.deadlinesByDay.get(key) ?? []).map((d) => (
                <DeadlineMarker key={d.id} d={d} tz={model.tz} />
              ))}
              {groups
                .filter((g) => dayKey(g.start, model.tz) === key)
                .map((g, i) => (
                  <div key={`o${i}`} class="window-tag" data-testid="release-window" title={windowTitle(g, model.tz)}>
                    {formatTimeIn(g.start, model.tz)} {g.market} window opens
                  </div>
                ))}
              {groups
                .filter((g) => dayKey(g.end, model.tz) === key)
                .map((g, i) => (
                  <div key={`c${i}`} class="window-tag closes" title={windowTitle(g, model.tz)}>
                    {formatTimeIn(g.end, model.tz)} {g.market} window closes
                  </div>
                ))}
            </div>
          ))}
        </div>
        <div class="week-scroll" ref={scrollRef} tabIndex={0} aria-label="Hours of the week">
          <div class="week-grid" style={{ height: `${24 * HOUR_H}px` }}>
            <div class="week-gutter" aria-hidden="true">
              {Array.from({ length: 24 }, (_, h) => (
                <span key={h} style={{ top: `${h * HOUR_H}px` }}>
                  {h === 0 ? '' : `${String(h).padStart(2, '0')}:00`}
                </span>
              ))}
            </div>
            {days.map((key) => (
              <DayColumn
                key={key}
                dayKey={key}
                model={model}
                groups={groups}
                now={now}
                dropping={dropKey === key}
                onDragOver={(e) => {
                  if (!dragging.id) return;
                  e.preventDefault();
                  if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
                  if (dropKey !== key) setDropKey(key);
                }}
                onDragLeave={(e) => {
                  if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null) && dropKey === key) setDropKey(null);
                }}
                onDrop={(e) => drop(e, key)}
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

function DayColumn({
  dayKey: key,
  model,
  groups,
  now,
  dropping,
  onDragOver,
  onDragLeave,
  onDrop,
}: {
  dayKey: string;
  model: CalendarModel;
  groups: WindowGroup[];
  now: number;
  dropping: boolean;
  onDragOver: (e: DragEvent) => void;
  onDragLeave: (e: DragEvent) => void;
  onDrop: (e: DragEvent) => void;
}) {
  const tz = model.tz;
  const posts = model.postsByDay.get(key) ?? [];
  const starts = posts.map((p) => minutesIntoDay(Date.parse(p.at), tz));
  const lanes = dayLayout(starts.map((from) => ({ from, to: Math.min(1440, from + POST_MIN) })));

  const stripes = groups
    .map((g, lane) => ({ g, lane, seg: segmentInDay(g.start, g.end, key, tz) }))
    .filter((x): x is { g: WindowGroup; lane: number; seg: { from: number; to: number } } => x.seg !== null);
  const reserved = groups.length ? groups.length * 5 + 4 : 0;
  const blackouts = (model.blackoutsByDay.get(key) ?? [])
    .map((b) => ({ b, seg: segmentInDay(Date.parse(b.start), Date.parse(b.end), key, tz) }))
    .filter((x): x is { b: Blackout; seg: { from: number; to: number } } => x.seg !== null);
  const nowAt = key === model.today ? minutesIntoDay(now, tz) : null;

  return (
    <div
      role="group"
      class={`week-col${weekdayOf(key) >= 6 ? ' weekend' : ''}${dropping ? ' drop-target' : ''}`}
      data-date={key}
      data-testid="week-day"
      aria-label={formatDateKey(key, { weekday: 'long', day: 'numeric', month: 'long' })}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      {blackouts.map(({ b, seg }, i) => (
        <div key={`b${i}`} class="blackout-band" style={{ top: px(seg.from), height: px(seg.to - seg.from) }} title={blackoutTitle(b, tz)} />
      ))}
      {stripes.map(({ g, lane, seg }) => (
        <div
          key={`w${lane}`}
          class="window-stripe"
          style={{ top: px(seg.from), height: px(seg.to - seg.from), right: `${2 + lane * 5}px` }}
          title={windowTitle(g, tz)}
        />
      ))}
      {(model.launchesByDay.get(key) ?? []).map((l) => (
        <div
          key={`l${l.market}`}
          class={`launch-line${model.marketsAtRisk.has(l.market) ? ' at-risk' : ''}`}
          style={{ top: px(minutesIntoDay(Date.parse(l.at), tz)) }}
          title={`Launch ${l.market} ${formatTimeIn(Date.parse(l.at), tz)}`}
        >
          <span class="line-tag">{l.market}</span>
        </div>
      ))}
      {(model.deadlinesByDay.get(key) ?? []).map((d) => (
        <div key={`d${d.id}`} class={`deadline-line${d.late ? ' late' : ''}`} style={{ top: px(minutesIntoDay(d.ms, tz)) }} title={`${d.id} due ${formatTimeIn(d.ms, tz)}`} />
      ))}
      {nowAt !== null && <div class="now-line" style={{ top: px(nowAt) }} aria-hidden="true" />}
      {posts.map((p, i) => {
        const { lane, lanes: n } = lanes[i]!;
        const top = Math.min(starts[i]!, 1440 - POST_MIN);
        return (
          <PostChip
            key={p.id}
            post={p}
            model={model}
            style={{
              top: px(top),
              height: px(POST_MIN - 2),
              left: `calc((100% - ${reserved}px) * ${lane / n} + 2px)`,
              width: `calc((100% - ${reserved}px) / ${n} - 4px)`,
            }}
          />
        );
      })}
    </div>
  );
}
