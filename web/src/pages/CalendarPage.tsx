// The content calendar of an activation: posts of every partner with the findings of the
// conflict checks on them, launches, milestone deadlines, blackouts and release windows, in a
// month or week view of the chosen market's (or UTC's, or the browser's) time zone. Partners
// move and edit their own posts; brief editors any. Calendar subscriptions at the bottom.

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import {
  bucketByDay,
  distinct,
  filterPosts,
  findingsByLaunch,
  findingsByPost,
  intervalsByDay,
  launchesOf,
  marketsOf,
  orgNames,
  pickZone,
  postBody,
  readableMessage,
  zoneOptions,
  type PostFilter,
} from '../calendar.ts';
import { SeverityIcon, type CalendarModel, type Deadline } from '../components/CalendarItems.tsx';
import { CalendarMonth } from '../components/CalendarMonth.tsx';
import { CalendarWeek } from '../components/CalendarWeek.tsx';
import { FeedsPanel } from '../components/FeedsPanel.tsx';
import { PostDialog } from '../components/PostDialog.tsx';
import { ZonePicker } from '../components/ZonePicker.tsx';
import { ErrorBanner, Loading, useAsync, useDocumentTitle, useNow } from '../components/ui.tsx';
import { ApiError } from '../errors.ts';
import { humanize } from '../format.ts';
import { canCreatePost, canEditBrief, canWritePost } from '../permissions.ts';
import { navigate, type CalendarView, type Route } from '../router.ts';
import { addDays, addMonths, browserTimeZone, dayKey, formatDateKey, formatDateTimeIn, instantFromLocal, isoSeconds, weekDays } from '../tz.ts';
import type { Activation, Finding, MilestonesResponse, Partner, Post, PostsResponse, User } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';
import { FreezePanel } from '../components/FreezePanel.tsx';

type CalendarRoute = Extract<Route, { name: 'calendar' }>;

interface Loaded {
  activation: Activation;
  partners: Partner[];
  posts: PostsResponse;
  milestones: MilestonesResponse | null;
}

const CONFLICT_MESSAGE =
  'Someone else changed this activation in the meantime. The calendar has been reloaded with their changes; yours were not saved, so apply them again if they are still needed.';

type Notice = { kind: 'success' | 'warning'; text: string; undo?: Post };

export function CalendarPage({ user, route }: { user: User; route: CalendarRoute }) {
  const id = route.id;
  const [data, setData, reload] = useAsync<Loaded>(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const [partners, posts, milestones] = await Promise.all([
        api.listPartners(id, signal).then(
          (r) => r.items ?? [],
          () => [] as Partner[],
        ),
        api.getPosts(id, signal),
        api.getMilestones(id, signal).catch(() => null),
      ]);
      return { activation, partners, posts, milestones };
    },
    [id],
  );
  const now = useNow(60_000).getTime();
  const [filter, setFilter] = useState<PostFilter>({ partner: '', platform: '' });
  const [open, setOpen] = useState<{ post: Post; isNew: boolean } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useDocumentTitle(data.state === 'ok' ? `Calendar · ${data.data.activation.name}` : 'Calendar');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;

  const { activation: a, partners, posts: pr, milestones: mr } = data.data;
  const plan = mr?.plan ?? null;
  const schedule = mr?.schedule ?? null;
  const calendar = pr.content_calendar ?? {};
  const allPosts = calendar.posts ?? [];
  const markets = marketsOf(plan, a);
  const zones = zoneOptions(markets, browserTimeZone());
  const zone = pickZone(zones, route.zone);
  const tz = zone.tz;
  const names = orgNames(a, partners);
  const launches = launchesOf(pr, schedule);
  const today = dayKey(now, tz);
  const nextLaunch = launches.find((l) => Date.parse(l.at) >= now) ?? launches[0];
  const anchor = route.date ?? (nextLaunch ? dayKey(Date.parse(nextLaunch.at), tz) : today);
  const view: CalendarView = route.view;
  const days = weekDays(anchor);
  const mayEditAll = canEditBrief(user, a);

  const go = (patch: Partial<CalendarRoute>) => navigate({ ...route, date: anchor, ...patch }, true);

  const findings = pr.findings?.findings ?? [];
  const counts = pr.findings?.counts ?? { error: 0, warning: 0, info: 0 };
  const visible = filterPosts(allPosts, filter);
  const plannedDone = new Set((plan?.milestones ?? []).filter((m) => m.actual_finish).map((m) => m.id));
  const deadlines: Deadline[] = (schedule?.milestones ?? [])
    .filter((m) => !plannedDone.has(m.id))
    .map((m) => ({ id: m.id, ms: Date.parse(m.latest_finish), late: m.slack_seconds < 0 }));
  const orgIds = distinct(allPosts.map((p) => p.partner)).sort((x, y) => (names.get(x) ?? x).localeCompare(names.get(y) ?? y));
  const colorOrder = [...new Set([...partners.map((p) => p.org_id), a.host_org_id, ...orgIds])];

  const setPosts = (r: PostsResponse) => setData({ ...data.data, posts: r });
  const conflict = () => {
    setOpen(null);
    setNotice({ kind: 'warning', text: CONFLICT_MESSAGE });
    reload();
  };

  const move = async (post: Post, atMs: number, undo = true) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.putPost(a.id, post.id, postBody({ ...post, at: isoSeconds(atMs) }, pr.version));
      setPosts(r);
      setNotice({ kind: 'success', text: `${post.id} moved to ${formatDateTimeIn(atMs, tz)} (${zone.short}).`, undo: undo ? post : undefined });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) conflict();
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const model: CalendarModel = {
    tz,
    today,
    postsByDay: bucketByDay(visible, (p) => Date.parse(p.at), tz),
    postById: new Map(allPosts.map((p) => [p.id, p])),
    launchesByDay: bucketByDay(launches, (l) => Date.parse(l.at), tz),
    deadlinesByDay: bucketByDay(deadlines, (d) => d.ms, tz),
    blackoutsByDay: intervalsByDay(calendar.blackouts ?? [], tz),
    blackouts: calendar.blackouts ?? [],
    windows: (calendar.release_windows ?? []).filter((w) => !filter.platform || w.platform === filter.platform),
    findings: findingsByPost(findings),
    launchFindings: findingsByLaunch(findings),
    marketsAtRisk: new Set(schedule?.markets_at_risk ?? []),
    names,
    colors: new Map(colorOrder.map((o, i) => [o, i])),
    canMove: (p) => canWritePost(user, a, p.partner),
    onOpen: (p) => setOpen({ post: p, isNew: false }),
    onMove: (p, at) => void move(p, at),
    busy,
  };

  const title =
    view === 'month'
      ? formatDateKey(anchor, { month: 'long', year: 'numeric' })
      : `${formatDateKey(days[0]!, { day: 'numeric', month: 'short' })} – ${formatDateKey(days[6]!, { day: 'numeric', month: 'short', year: 'numeric' })}`;

  const newPost = () => {
    const partner = mayEditAll ? (filter.partner || partners[0]?.org_id || a.host_org_id) : user.org_id;
    const market = markets.find((m) => m.name === zone.id)?.name ?? markets[0]?.name ?? '';
    setOpen({
      isNew: true,
      post: { id: '', partner, platform: filter.platform, market, at: isoSeconds(instantFromLocal(tz, anchor, 9, 0)) },
    });
  };

  const openPost = (postId: string) => {
    const p = allPosts.find((x) => x.id === postId);
    if (!p) return;
    navigate({ ...route, date: dayKey(Date.parse(p.at), tz) }, true);
    setOpen({ post: p, isNew: false });
  };

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="calendar" />
      <FreezePanel activation={a} user={user} onChanged={reload} />

      {notice && (
        <div class={`alert alert-${notice.kind} notice-row`} role="status" data-testid="calendar-notice">
          <span>{notice.text}</span>
          {notice.undo && (
            <button
              type="button"
              class="btn btn-small"
              disabled={busy}
              onClick={() => {
                const u = notice.undo!;
                void move(u, Date.parse(u.at), false);
              }}
            >
              Undo
            </button>
          )}
        </div>
      )}
      {error !== null && <ErrorBanner error={error} title="The change was not saved." />}
      {pr.error && (
        <div class="alert alert-error" role="alert">
          <strong>The stored calendar no longer checks.</strong> {pr.error.message}
        </div>
      )}

      <div class="cal-toolbar">
        <div class="cal-nav">
          <div class="btn-group" role="group" aria-label="Navigate">
            <button type="button" class="btn" aria-label={view === 'month' ? 'Previous month' : 'Previous week'} onClick={() => go({ date: view === 'month' ? addMonths(anchor, -1) : addDays(anchor, -7) })}>
              ‹
            </button>
            <button type="button" class="btn" onClick={() => go({ date: today })}>
              Today
            </button>
            <button type="button" class="btn" aria-label={view === 'month' ? 'Next month' : 'Next week'} onClick={() => go({ date: view === 'month' ? addMonths(anchor, 1) : addDays(anchor, 7) })}>
              ›
            </button>
          </div>
          {nextLaunch && (
            <button type="button" class="btn btn-ghost" onClick={() => go({ date: dayKey(Date.parse(nextLaunch.at), tz) })}>
              Launch day
            </button>
          )}
          <h2 class="cal-title" aria-live="polite" data-testid="calendar-title">
            {title}
          </h2>
        </div>
        <div class="segmented view-toggle" role="group" aria-label="View">
          {(['month', 'week'] as const).map((v) => (
            <button key={v} type="button" class={`seg${view === v ? ' active' : ''}`} aria-pressed={view === v} onClick={() => go({ view: v })}>
              {v === 'month' ? 'Month' : 'Week'}
            </button>
          ))}
        </div>
      </div>

      <div class="cal-subbar">
        <ZonePicker options={zones} value={zone.id} now={now} onChange={(z) => go({ zone: z })} />
        <div class="cal-filters">
          <label class="inline-field">
            <span class="label">Partner</span>
            <select value={filter.partner} onChange={(e) => setFilter({ ...filter, partner: (e.target as HTMLSelectElement).value })} data-testid="filter-partner">
              <option value="">All partners</option>
              {orgIds.map((o) => (
                <option key={o} value={o}>
                  {names.get(o) ?? o}
                </option>
              ))}
            </select>
          </label>
          <label class="inline-field">
            <span class="label">Platform</span>
            <select value={filter.platform} onChange={(e) => setFilter({ ...filter, platform: (e.target as HTMLSelectElement).value })} data-testid="filter-platform">
              <option value="">All platforms</option>
              {distinct(allPosts.map((p) => p.platform)).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          {canCreatePost(user, a) && (
            <button type="button" class="btn btn-primary" onClick={newPost} data-testid="new-post">
              + New post
            </button>
          )}
        </div>
      </div>

      {view === 'month' ? (
        <CalendarMonth anchor={anchor} model={model} onShowDay={(key) => go({ view: 'week', date: key })} />
      ) : (
        <CalendarWeek days={days} model={model} now={now} />
      )}
      <ul class="legend cal-legend" aria-label="Legend">
        <li>
          <span class="swatch swatch-launch" aria-hidden="true" /> Launch
        </li>
        <li>
          <span class="legend-diamond" aria-hidden="true">
            ◆
          </span>{' '}
          Milestone due (latest finish)
        </li>
        <li>
          <span class="swatch swatch-blackout" aria-hidden="true" /> Blackout
        </li>
        {view === 'week' && (
          <li>
            <span class="swatch swatch-release" aria-hidden="true" /> Release window open
          </li>
        )}
        <li>
          <SeverityIcon severity="error" /> Error
        </li>
        <li>
          <SeverityIcon severity="warning" /> Warning
        </li>
        <li>
          <SeverityIcon severity="info" /> Info
        </li>
      </ul>
      <p class="muted small cal-hint">
        {allPosts.some((p) => model.canMove(p))
          ? 'Drag a post you may edit to another day (it keeps its time) or, in the week view, to another time. Or open it to change date, time, platform and market.'
          : 'Open a post to see its details and findings.'}{' '}
        {allPosts.length !== visible.length && `${allPosts.length - visible.length} post(s) hidden by the filters.`}
      </p>

      <div class="cal-bottom">
        <FindingsCard findings={findings} counts={counts} tz={tz} names={names} onOpen={openPost} />
        <FeedsPanel user={user} />
      </div>

      {open && (
        <PostDialog
          key={`${open.post.id}|${tz}`}
          activationId={a.id}
          user={user}
          version={pr.version}
          post={open.post}
          isNew={open.isNew}
          findings={model.findings.get(open.post.id) ?? []}
          tz={tz}
          zoneLabel={zone.label}
          names={names}
          partnerChoices={mayEditAll ? colorOrder : [user.org_id]}
          markets={markets.map((m) => m.name)}
          platforms={distinct(allPosts.map((p) => p.platform))}
          existingIds={allPosts.map((p) => p.id)}
          canWrite={open.isNew ? canCreatePost(user, a) : canWritePost(user, a, open.post.partner)}
          onSaved={(r, text, undo) => {
            setPosts(r);
            setOpen(null);
            setError(null);
            setNotice({ kind: 'success', text, undo });
          }}
          onConflict={conflict}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}

function FindingsCard({
  findings,
  counts,
  tz,
  names,
  onOpen,
}: {
  findings: Finding[];
  counts: { error: number; warning: number; info: number };
  tz: string;
  names: Map<string, string>;
  onOpen: (postId: string) => void;
}) {
  return (
    <section class="card" aria-labelledby="findings-title" data-testid="findings-card">
      <header class="card-header">
        <h2 id="findings-title">Checks</h2>
        <div class="counts" data-testid="finding-counts">
          <span class={`count-pill sev-error${counts.error ? '' : ' zero'}`}>
            <SeverityIcon severity="error" /> {counts.error} error{counts.error === 1 ? '' : 's'}
          </span>
          <span class={`count-pill sev-warning${counts.warning ? '' : ' zero'}`}>
            <SeverityIcon severity="warning" /> {counts.warning} warning{counts.warning === 1 ? '' : 's'}
          </span>
          <span class={`count-pill sev-info${counts.info ? '' : ' zero'}`}>
            <SeverityIcon severity="info" /> {counts.info} info
          </span>
        </div>
      </header>
      {findings.length === 0 ? (
        <div class="card-body">
          <p class="muted">No conflicts: every post respects the windows, blackouts and rules.</p>
        </div>
      ) : (
        <ul class="finding-list findings-all">
          {findings.map((f, i) => (
            <li key={i} class={`finding sev-${f.severity}`} data-severity={f.severity} data-testid="finding">
              <SeverityIcon severity={f.severity} />
              <div>
                <p>
                  <span class="strong">{humanize(f.kind)}</span> · <span class="muted">{formatDateTimeIn(Date.parse(f.at), tz)}</span>
                </p>
                <p>{readableMessage(f.message, names, tz)}</p>
                <p class="finding-links">
                  {f.launch && <span class="chip">Launch {f.launch}</span>}
                  {f.post_ids.map((p) => (
                    <button key={p} type="button" class="chip chip-link mono" onClick={() => onOpen(p)}>
                      {p}
                    </button>
                  ))}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
