// Month view of the content calendar: Monday-first weeks of the chosen zone's dates, each day
// with its launches, milestone deadlines, blackouts and posts. A post dropped on another day
// keeps its wall-clock time in the chosen zone.

import { useState } from 'preact/hooks';
import { moveToDay } from '../calendar.ts';
import { formatDateKey, monthGrid, parseDateKey, weekdayOf } from '../tz.ts';
import { BanIcon, blackoutTitle, DeadlineMarker, DRAG_TYPE, dragging, LaunchMarker, PostChip, type CalendarModel } from './CalendarItems.tsx';

const MAX_POSTS = 4;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function CalendarMonth({ anchor, model, onShowDay }: { anchor: string; model: CalendarModel; onShowDay: (key: string) => void }) {
  const { year, month } = parseDateKey(anchor)!;
  const weeks = monthGrid(year, month);
  const [dropKey, setDropKey] = useState<string | null>(null);

  const drop = (e: DragEvent, key: string) => {
    e.preventDefault();
    setDropKey(null);
    const id = e.dataTransfer?.getData(DRAG_TYPE) || dragging.id;
    dragging.id = null;
    const post = id ? model.postById.get(id) : undefined;
    if (!post || !model.canMove(post)) return;
    const at = moveToDay(Date.parse(post.at), key, model.tz);
    if (at !== Date.parse(post.at)) model.onMove(post, at);
  };

  return (
    <div class="month-wrap">
      <div class="month" data-testid="month-view" aria-label={formatDateKey(anchor, { month: 'long', year: 'numeric' })} role="group">
        <div class="month-head" aria-hidden="true">
          {WEEKDAYS.map((d, i) => (
            <div key={d} class={i >= 5 ? 'weekend' : ''}>
              {d}
            </div>
          ))}
        </div>
        {weeks.map((week) => (
          <div class="month-row" key={week[0]}>
            {week.map((key) => {
              const inMonth = parseDateKey(key)!.month === month;
              const posts = model.postsByDay.get(key) ?? [];
              const launches = model.launchesByDay.get(key) ?? [];
              const deadlines = model.deadlinesByDay.get(key) ?? [];
              const blackouts = model.blackoutsByDay.get(key) ?? [];
              const shown = posts.slice(0, posts.length > MAX_POSTS + 1 ? MAX_POSTS : MAX_POSTS + 1);
              const cls = [
                'day-cell',
                !inMonth && 'outside',
                key === model.today && 'today',
                weekdayOf(key) >= 6 && 'weekend',
                blackouts.length > 0 && 'blackout',
                dropKey === key && 'drop-target',
              ]
                .filter(Boolean)
                .join(' ');
              return (
                <div
                  key={key}
                  role="group"
                  class={cls}
                  data-date={key}
                  data-testid="day-cell"
                  aria-label={formatDateKey(key, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}
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
                >
                  <div class="day-head">
                    <span class="day-num">{parseDateKey(key)!.day}</span>
                    {key === model.today && <span class="today-tag">Today</span>}
                  </div>
                  {blackouts.map((b, i) => (
                    <div
                      key={i}
                      class="blackout-tag"
                      data-testid="calendar-blackout"
                      title={blackoutTitle(b, model.tz)}
                    >
                      <BanIcon /> {b.name}
                    </div>
                  ))}
                  {launches.map((l) => (
                    <LaunchMarker key={l.market} launch={l} model={model} />
                  ))}
                  {deadlines.map((d) => (
                    <DeadlineMarker key={d.id} d={d} tz={model.tz} />
                  ))}
                  {shown.map((p) => (
                    <PostChip key={p.id} post={p} model={model} compact />
                  ))}
                  {posts.length > shown.length && (
                    <button type="button" class="more-link" onClick={() => onShowDay(key)}>
                      +{posts.length - shown.length} more
                    </button>
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
