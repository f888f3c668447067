// The content calendar page's pure logic: which time zones to offer, where posts, launches,
// blackouts and windows go in a month or week view of a zone, which findings belong to which
// post or launch, and the bodies of post edits. Unit-tested in calendar.test.ts.

import type {
  Activation,
  CalendarFeed,
  CalendarLaunch,
  Finding,
  Partner,
  PlanDocument,
  PlanMarket,
  Post,
  PostBody,
  PostsResponse,
  Schedule,
  Severity,
} from './types.ts';
import { dayKey, daysTouched, formatShortIn, instantFromLocal, localParts, zoneAbbreviation, type DateKey } from './tz.ts';

// ---------- time zones on offer ----------

export interface ZoneOption {
  /** Stable id for the URL: the market's name, "utc" or "local". */
  id: string;
  tz: string;
  /** "US — America/New_York". */
  label: string;
  /** "US", "UTC", "Local". */
  short: string;
}

/** The markets of the plan's launch, then those of the brief that the plan lacks. */
export function marketsOf(plan: PlanDocument | null | undefined, activation: Pick<Activation, 'markets'> | null | undefined): PlanMarket[] {
  const out: PlanMarket[] = [];
  const seen = new Set<string>();
  for (const m of [...(plan?.launch?.markets ?? []), ...(activation?.markets ?? [])]) {
    if (!m?.name || !m.tz || seen.has(m.name)) continue;
    seen.add(m.name);
    out.push({ name: m.name, tz: m.tz });
  }
  return out;
}

const isUtc = (tz: string) => tz === 'UTC' || tz === 'Etc/UTC' || tz === 'Etc/GMT' || tz === 'GMT';

/** Each market's zone, UTC, and the browser's zone (left out when it is UTC). */
export function zoneOptions(markets: PlanMarket[], browserTz: string): ZoneOption[] {
  const out: ZoneOption[] = markets.map((m) => ({ id: m.name, tz: m.tz, label: `${m.name} — ${m.tz}`, short: m.name }));
  const local = isUtc(browserTz);
  out.push({ id: 'utc', tz: 'UTC', label: local ? 'UTC (your time zone)' : 'UTC', short: 'UTC' });
  if (!local) out.push({ id: 'local', tz: browserTz, label: `Your time — ${browserTz}`, short: 'Local' });
  return out;
}

/** The option for a URL's zone id; the first market (or UTC) when absent or unknown. */
export function pickZone(options: ZoneOption[], id: string | null | undefined): ZoneOption {
  return options.find((o) => o.id === id) ?? options[0]!;
}

// ---------- launches, deadlines and findings ----------

/**
 * The launches to show: those the checks used (the posts response), else the calendar's own,
 * else the computed plan's. Sorted by instant.
 */
export function launchesOf(posts: PostsResponse | null | undefined, schedule: Schedule | null | undefined): CalendarLaunch[] {
  let list: CalendarLaunch[] = [];
  if (posts?.launches?.length) list = posts.launches;
  else if (posts?.content_calendar?.launches?.length) list = posts.content_calendar.launches;
  else if (schedule) list = Object.entries(schedule.launch).map(([market, at]) => ({ market, at }));
  return [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.market.localeCompare(b.market));
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings per post id (a finding with several posts is listed on each), most severe first. */
export function findingsByPost(findings: Finding[] | null | undefined): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings ?? []) {
    for (const id of new Set(f.post_ids ?? [])) {
      const list = out.get(id) ?? [];
      list.push(f);
      out.set(id, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return out;
}

/** Findings about a launch (those with `launch` set), per market. */
export function findingsByLaunch(findings: Finding[] | null | undefined): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings ?? []) {
    if (!f.launch) continue;
    const list = out.get(f.launch) ?? [];
    list.push(f);
    out.set(f.launch, list);
  }
  return out;
}

export function worstSeverity(list: Finding[] | null | undefined): Severity | null {
  let worst: Severity | null = null;
  for (const f of list ?? []) if (worst === null || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

/** Organisation names by id: the host and every partner of the activation. */
export function orgNames(activation: Pick<Activation, 'host_org_id' | 'host_org_name'>, partners: Pick<Partner, 'org_id' | 'org_name'>[]): Map<string, string> {
  const names = new Map<string, string>([[activation.host_org_id, activation.host_org_name]]);
  for (const p of partners) names.set(p.org_id, p.org_name);
  return names;
}

/**
 * A finding's message for people: organisation ids replaced by their names and, with a zone,
 * ISO instants by that zone's wall-clock time ("5 Jan 05:00 EST").
 */
export function readableMessage(message: string, names: Map<string, string>, tz?: string): string {
  let m = message.replace(/\borg_[A-Za-z0-9]+\b/g, (id) => names.get(id) ?? id);
  if (tz) {
    m = m.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g, (iso) => {
      const ms = Date.parse(iso);
      return Number.isFinite(ms) ? `${formatShortIn(ms, tz)} ${zoneAbbreviation(ms, tz)}` : iso;
    });
  }
  return m;
}

// ---------- placing things in days ----------

/** Items per calendar date of `tz`, each day's list in time order. */
export function bucketByDay<T>(items: T[], at: (t: T) => number, tz: string): Map<DateKey, T[]> {
  const out = new Map<DateKey, T[]>();
  const sorted = items.filter((x) => Number.isFinite(at(x))).sort((a, b) => at(a) - at(b));
  for (const item of sorted) {
    const key = dayKey(at(item), tz);
    const list = out.get(key) ?? [];
    list.push(item);
    out.set(key, list);
  }
  return out;
}

/** Intervals ([start, end) as ISO strings) per calendar date of `tz` that they touch. */
export function intervalsByDay<T extends { start: string; end: string }>(items: T[], tz: string): Map<DateKey, T[]> {
  const out = new Map<DateKey, T[]>();
  for (const item of items) {
    for (const key of daysTouched(Date.parse(item.start), Date.parse(item.end), tz)) {
      const list = out.get(key) ?? [];
      list.push(item);
      out.set(key, list);
    }
  }
  return out;
}

export interface PostFilter {
  /** An organisation id, or "" for all. */
  partner: string;
  /** A platform, or "" for all. */
  platform: string;
}

export function filterPosts(posts: Post[], f: PostFilter): Post[] {
  return posts.filter((p) => (!f.partner || p.partner === f.partner) && (!f.platform || p.platform === f.platform));
}

/** Distinct values, sorted. */
export function distinct(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))].sort((a, b) => a.localeCompare(b));
}

/** The instant on another date at the same wall-clock time of day in `tz` (month-view drop). */
export function moveToDay(atMs: number, key: DateKey, tz: string): number {
  const p = localParts(atMs, tz);
  return instantFromLocal(tz, key, p.hour, p.minute, p.second);
}

/** The instant at a wall-clock minute of a date in `tz`, snapped to `step` minutes (week-view drop). */
export function atMinute(key: DateKey, minutes: number, tz: string, step = 15): number {
  const snapped = Math.min(1440 - step, Math.max(0, Math.round(minutes / step) * step));
  return instantFromLocal(tz, key, Math.floor(snapped / 60), snapped % 60);
}

/**
 * Side-by-side columns for items of one day of a week view. Items overlapping (directly or
 * through others) form a group sharing its width; `lane` is an item's column, `lanes` its
 * group's column count.
 */
export function dayLayout(spans: { from: number; to: number }[]): { lane: number; lanes: number }[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.from - spans[b]!.from || spans[b]!.to - spans[a]!.to || a - b);
  const out = spans.map(() => ({ lane: 0, lanes: 1 }));
  let group: number[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -Infinity;
  const close = () => {
    for (const i of group) out[i]!.lanes = laneEnds.length;
    group = [];
    laneEnds = [];
  };
  for (const i of order) {
    const s = spans[i]!;
    if (s.from >= groupEnd) close();
    let lane = laneEnds.findIndex((end) => end <= s.from);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(s.to);
    } else laneEnds[lane] = s.to;
    out[i]!.lane = lane;
    group.push(i);
    groupEnd = group.length === 1 ? s.to : Math.max(groupEnd, s.to);
  }
  close();
  return out;
}

// ---------- editing posts ----------

/**
 * The body of PUT …/posts/{post_id}: the post without its id, with the expected version. The
 * server's `frozen` mark describes the post's state and is never sent back.
 */
export function postBody(post: Post, version?: number): PostBody {
  const { id: _id, frozen: _frozen, ...rest } = post;
  const body: PostBody = { ...rest };
  if (!body.content_hash) delete body.content_hash;
  if (!body.assets?.length) delete body.assets;
  if (version !== undefined) body.version = version;
  return body;
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24);
}

/** A fresh post id such as "streamco-youtube-3", unique among `existing`. */
export function newPostId(partnerName: string, platform: string, existing: Iterable<string>): string {
  const taken = new Set(existing);
  const base = [slug(partnerName), slug(platform)].filter(Boolean).join('-') || 'post';
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Content hashes are hex (any case); empty means "not known yet". */
export function validContentHash(s: string): boolean {
  return s === '' || /^[0-9a-fA-F]{1,128}$/.test(s);
}

// ---------- calendar subscriptions ----------

/** webcal:// form of an http(s) feed URL, which calendar apps open as a subscription. */
export function webcalUrl(url: string): string {
  return url.replace(/^https?:\/\//i, 'webcal://');
}

/** Active feeds first, then revoked ones; newest first within each. */
export function sortFeeds(feeds: CalendarFeed[]): CalendarFeed[] {
  return [...feeds].sort((a, b) => Number(!!a.revoked_at) - Number(!!b.revoked_at) || b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
}
