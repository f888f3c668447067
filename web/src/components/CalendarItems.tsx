// Pieces shared by the month and week views of the content calendar: the post chip (with its
// findings), launch and deadline markers, and the drag state of a post being moved.

import type { ComponentChildren } from 'preact';
import { readableMessage, worstSeverity } from '../calendar.ts';
import { formatDateTimeIn, formatTimeIn } from '../tz.ts';
import type { Blackout, CalendarLaunch, Finding, Post, ReleaseWindow, Severity } from '../types.ts';

/** Everything a view needs to draw one zone's days; built once by the page. */
export interface CalendarModel {
  tz: string;
  today: string;
  postsByDay: Map<string, Post[]>;
  postById: Map<string, Post>;
  launchesByDay: Map<string, CalendarLaunch[]>;
  deadlinesByDay: Map<string, Deadline[]>;
  blackoutsByDay: Map<string, Blackout[]>;
  windows: ReleaseWindow[];
  blackouts: Blackout[];
  findings: Map<string, Finding[]>;
  launchFindings: Map<string, Finding[]>;
  marketsAtRisk: Set<string>;
  names: Map<string, string>;
  colors: Map<string, number>;
  canMove: (p: Post) => boolean;
  onOpen: (p: Post) => void;
  onMove: (p: Post, atMs: number) => void;
  /** A move is being saved: no other drag meanwhile. */
  busy: boolean;
}

export interface Deadline {
  id: string;
  ms: number;
  late: boolean;
}

export const SEVERITY_ICON: Record<Severity, string> = { error: '✕', warning: '!', info: 'i' };
export const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** The post being dragged (HTML drag and drop carries only strings, and only on drop). */
export const dragging: { id: string | null; grabOffsetPx: number } = { id: null, grabOffsetPx: 0 };
export const DRAG_TYPE = 'application/x-tutti-post';

export function SeverityIcon({ severity }: { severity: Severity }) {
  return (
    <span class={`sev-icon sev-${severity}`} aria-hidden="true">
      {SEVERITY_ICON[severity]}
    </span>
  );
}

export function findingText(list: Finding[], names: Map<string, string>, tz: string): string {
  return list.map((f) => `${SEVERITY_LABEL[f.severity]}: ${readableMessage(f.message, names, tz)}`).join('\n');
}

/** A "no entry" sign (fonts lack a reliable glyph for it). */
export function BanIcon() {
  return (
    <svg class="ban-icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M3.5 12.5l9-9" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}

export function PostChip({
  post,
  model,
  compact = false,
  style,
}: {
  post: Post;
  model: CalendarModel;
  compact?: boolean;
  style?: Record<string, string>;
}) {
  const list = model.findings.get(post.id) ?? [];
  const sev = worstSeverity(list);
  const ms = Date.parse(post.at);
  const partner = model.names.get(post.partner) ?? post.partner;
  const movable = model.canMove(post) && !model.busy;
  const time = formatTimeIn(ms, model.tz);
  const label =
    `${time} ${partner}, ${post.platform}, ${post.market}` +
    (post.frozen ? '; publishing frozen' : '') +
    (list.length ? `; ${list.length} finding${list.length === 1 ? '' : 's'}, worst: ${sev}` : '') +
    (movable ? '; editable' : '');
  return (
    <button
      type="button"
      class={`post-chip partner-${(model.colors.get(post.partner) ?? 0) % 6}${sev ? ` has-${sev}` : ''}${compact ? ' compact' : ''}${movable ? ' movable' : ''}${post.frozen ? ' post-frozen' : ''}`}
      style={style}
      draggable={movable}
      data-testid="post"
      data-post-id={post.id}
      data-severity={sev ?? ''}
      data-frozen={post.frozen ? 'true' : 'false'}
      data-editable={movable ? 'true' : 'false'}
      title={[`${time} · ${partner} · ${post.platform} · ${post.market} (${post.id})`, post.frozen ? `Publishing frozen: ${post.frozen.reason}` : '', list.length ? findingText(list, model.names, model.tz) : '', movable ? 'Drag to move, or open to edit.' : '']
        .filter(Boolean)
        .join('\n')}
      aria-label={label}
      onClick={() => model.onOpen(post)}
      onDragStart={(e) => {
        if (!movable || !e.dataTransfer) return;
        dragging.id = post.id;
        const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
        dragging.grabOffsetPx = e.clientY - rect.top;
        e.dataTransfer.setData(DRAG_TYPE, post.id);
        e.dataTransfer.setData('text/plain', post.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragEnd={() => {
        dragging.id = null;
      }}
    >
      <span class="post-line">
        {post.frozen && (
          <span class="frozen-mark" aria-hidden="true">
            ❄{' '}
          </span>
        )}
        <span class="post-time">{time}</span> <span class="post-partner">{partner}</span>
      </span>
      <span class="post-meta">
        {post.platform} · {post.market}
      </span>
      {sev && <SeverityIcon severity={sev} />}
    </button>
  );
}

export function LaunchMarker({ launch, model, children }: { launch: CalendarLaunch; model: CalendarModel; children?: ComponentChildren }) {
  const list = model.launchFindings.get(launch.market) ?? [];
  const sev = worstSeverity(list);
  const risk = model.marketsAtRisk.has(launch.market);
  const ms = Date.parse(launch.at);
  return (
    <div
      class={`launch-chip${risk ? ' at-risk' : ''}${sev ? ` has-${sev}` : ''}`}
      data-testid="calendar-launch"
      data-market={launch.market}
      data-severity={sev ?? ''}
      title={[`Launch ${launch.market} at ${formatTimeIn(ms, model.tz)}`, risk ? 'The plan puts this launch at risk.' : '', ...list.map((f) => `${SEVERITY_LABEL[f.severity]}: ${readableMessage(f.message, model.names, model.tz)}`)]
        .filter(Boolean)
        .join('\n')}
    >
      <span class="launch-flag" aria-hidden="true">
        ▶
      </span>
      <span>
        Launch {launch.market} {formatTimeIn(ms, model.tz)}
      </span>
      {risk && <span class="sr-only">, at risk</span>}
      {sev && <SeverityIcon severity={sev} />}
      {children}
    </div>
  );
}

export function DeadlineMarker({ d, tz }: { d: Deadline; tz: string }) {
  return (
    <div class={`deadline-chip${d.late ? ' late' : ''}`} data-testid="calendar-deadline" title={`Milestone ${d.id} must finish by ${formatDateTimeIn(d.ms, tz)}${d.late ? ' (late)' : ''}`}>
      <span aria-hidden="true">◆</span> {formatTimeIn(d.ms, tz)} {d.id} due
    </div>
  );
}

export function blackoutTitle(b: Blackout, tz: string): string {
  const scope = [b.market, b.platform, b.partner].filter(Boolean).join(' · ');
  return `Blackout “${b.name}”: ${formatDateTimeIn(Date.parse(b.start), tz)} → ${formatDateTimeIn(Date.parse(b.end), tz)}${scope ? ` (${scope})` : ' (everyone)'}`;
}
