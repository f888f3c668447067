import { describe, expect, it } from 'vitest';
import {
  atMinute,
  bucketByDay,
  dayLayout,
  filterPosts,
  findingsByLaunch,
  findingsByPost,
  intervalsByDay,
  launchesOf,
  marketsOf,
  moveToDay,
  newPostId,
  orgNames,
  pickZone,
  postBody,
  readableMessage,
  sortFeeds,
  validContentHash,
  webcalUrl,
  worstSeverity,
  zoneOptions,
} from './calendar.ts';
import type { Finding, Post, PostsResponse, Schedule } from './types.ts';

const t = (iso: string) => Date.parse(iso);
const US = { name: 'US', tz: 'America/New_York' };
const GB = { name: 'GB', tz: 'Europe/London' };
const JP = { name: 'JP', tz: 'Asia/Tokyo' };

const post = (id: string, at: string, over: Partial<Post> = {}): Post => ({
  id,
  partner: 'org_streamco',
  platform: 'youtube',
  market: 'US',
  at,
  ...over,
});

const finding = (severity: Finding['severity'], post_ids: string[], over: Partial<Finding> = {}): Finding => ({
  kind: 'too_close',
  severity,
  at: '2027-01-05T12:00:00.000Z',
  post_ids,
  message: 'm',
  ...over,
});

describe('time zones on offer', () => {
  it('lists each market, UTC and the browser zone', () => {
    const z = zoneOptions([US, JP], 'Europe/Paris');
    expect(z.map((o) => o.id)).toEqual(['US', 'JP', 'utc', 'local']);
    expect(z[0]).toEqual({ id: 'US', tz: 'America/New_York', label: 'US — America/New_York', short: 'US' });
    expect(z[3]!.label).toBe('Your time — Europe/Paris');
  });
  it('does not offer the browser zone twice when it is UTC', () => {
    const z = zoneOptions([US], 'Etc/UTC');
    expect(z.map((o) => o.id)).toEqual(['US', 'utc']);
    expect(z[1]!.label).toBe('UTC (your time zone)');
  });
  it('picks the URL zone, else the first market', () => {
    const z = zoneOptions([US, JP], 'UTC');
    expect(pickZone(z, 'JP').tz).toBe('Asia/Tokyo');
    expect(pickZone(z, 'FR').tz).toBe('America/New_York');
    expect(pickZone(z, null).id).toBe('US');
    expect(pickZone(zoneOptions([], 'UTC'), null).id).toBe('utc');
  });
  it('takes markets from the plan first, then from the brief, once each', () => {
    const plan = { launch: { local: '2027-01-05T09:00', markets: [JP, US] }, milestones: [] };
    expect(marketsOf(plan, { markets: [US, GB] }).map((m) => m.name)).toEqual(['JP', 'US', 'GB']);
    expect(marketsOf(null, { markets: [GB] })).toEqual([GB]);
    expect(marketsOf(null, null)).toEqual([]);
  });
});

describe('launches', () => {
  const schedule: Schedule = {
    launch: { US: '2027-01-05T14:00:00Z', JP: '2027-01-05T00:00:00Z' },
    milestones: [],
    critical_path: [],
    at_risk: false,
    markets_at_risk: [],
  };
  const resp = (over: Partial<PostsResponse>): PostsResponse => ({ content_calendar: {}, version: 1, updated_at: null, findings: null, ...over });
  it('prefers the launches the checks used, then the calendar\'s, then the plan\'s, sorted by time', () => {
    expect(launchesOf(resp({ launches: [{ market: 'GB', at: '2027-01-05T09:00:00Z' }] }), schedule)).toEqual([{ market: 'GB', at: '2027-01-05T09:00:00Z' }]);
    expect(launchesOf(resp({ content_calendar: { launches: [{ market: 'US', at: '2027-01-06T00:00:00Z' }] } }), schedule)).toEqual([
      { market: 'US', at: '2027-01-06T00:00:00Z' },
    ]);
    expect(launchesOf(resp({}), schedule).map((l) => l.market)).toEqual(['JP', 'US']);
    expect(launchesOf(null, null)).toEqual([]);
  });
});

describe('findings', () => {
  const list = [
    finding('warning', ['a', 'b']),
    finding('error', ['b']),
    finding('info', ['c']),
    finding('error', [], { kind: 'refresh_cycle', launch: 'US' }),
  ];
  it('go on every post they name, most severe first', () => {
    const by = findingsByPost(list);
    expect(by.get('a')!.map((f) => f.severity)).toEqual(['warning']);
    expect(by.get('b')!.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(by.get('c')!.map((f) => f.severity)).toEqual(['info']);
    expect(by.has('US')).toBe(false);
    expect(findingsByPost(null).size).toBe(0);
  });
  it('with a launch go on that launch', () => {
    const by = findingsByLaunch(list);
    expect([...by.keys()]).toEqual(['US']);
    expect(by.get('US')![0]!.kind).toBe('refresh_cycle');
  });
  it('have a worst severity', () => {
    expect(worstSeverity([finding('info', []), finding('warning', [])])).toBe('warning');
    expect(worstSeverity([finding('warning', []), finding('error', [])])).toBe('error');
    expect(worstSeverity([])).toBeNull();
  });
  it('read with organisation names and times in the chosen zone', () => {
    const names = orgNames({ host_org_id: 'org_acme', host_org_name: 'Acme' }, [{ org_id: 'org_nova1', org_name: 'Nova Sports' }]);
    const msg = 'nova-1 and nova-2 (org_nova1 on instagram) are 2h apart; org_unknown9 too';
    expect(readableMessage(msg, names)).toBe('nova-1 and nova-2 (Nova Sports on instagram) are 2h apart; org_unknown9 too');
    const late = 'p at 2027-01-05T10:00:00.000Z is 2h before its asset is due at 2027-01-05T12:00:00Z';
    expect(readableMessage(late, names, 'Asia/Tokyo')).toBe('p at 5 Jan 19:00 GMT+9 is 2h before its asset is due at 5 Jan 21:00 GMT+9');
    expect(readableMessage(late, names)).toBe(late);
  });
});

describe('placing posts in days', () => {
  const posts = [post('late-us', '2027-01-05T03:30:00Z'), post('jp', '2027-01-05T00:00:00Z'), post('noon', '2027-01-05T12:00:00Z')];
  it('buckets by the local date of the chosen zone, in time order', () => {
    const ny = bucketByDay(posts, (p) => Date.parse(p.at), 'America/New_York');
    expect([...ny.keys()]).toEqual(['2027-01-04', '2027-01-05']);
    expect(ny.get('2027-01-04')!.map((p) => p.id)).toEqual(['jp', 'late-us']);
    const tokyo = bucketByDay(posts, (p) => Date.parse(p.at), 'Asia/Tokyo');
    expect([...tokyo.keys()]).toEqual(['2027-01-05']);
    expect(tokyo.get('2027-01-05')!.map((p) => p.id)).toEqual(['jp', 'late-us', 'noon']);
  });
  it('buckets across a DST change by local midnights (Sydney, 25-hour day)', () => {
    const a = post('a', '2026-04-04T13:30:00Z'); // 00:30 AEDT on the 5th
    const b = post('b', '2026-04-05T13:30:00Z'); // 23:30 AEST on the 5th
    const c = post('c', '2026-04-05T14:00:00Z'); // 00:00 on the 6th
    const by = bucketByDay([a, b, c], (p) => Date.parse(p.at), 'Australia/Sydney');
    expect(by.get('2026-04-05')!.map((p) => p.id)).toEqual(['a', 'b']);
    expect(by.get('2026-04-06')!.map((p) => p.id)).toEqual(['c']);
  });
  it('lists an interval on every local day it touches', () => {
    const blackouts = [{ name: 'embargo', start: '2027-01-02T00:00:00Z', end: '2027-01-05T00:00:00Z' }];
    expect([...intervalsByDay(blackouts, 'UTC').keys()]).toEqual(['2027-01-02', '2027-01-03', '2027-01-04']);
    expect([...intervalsByDay(blackouts, 'Asia/Tokyo').keys()]).toEqual(['2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05']);
  });
  it('filters by partner and platform', () => {
    const list = [post('a', 'x'), post('b', 'x', { platform: 'x' }), post('c', 'x', { partner: 'org_nova' })];
    expect(filterPosts(list, { partner: '', platform: '' }).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(filterPosts(list, { partner: 'org_streamco', platform: '' }).map((p) => p.id)).toEqual(['a', 'b']);
    expect(filterPosts(list, { partner: 'org_streamco', platform: 'x' }).map((p) => p.id)).toEqual(['b']);
  });
});

describe('moving posts', () => {
  it('keeps the wall-clock time in the zone when dropped on another day, across DST', () => {
    // 09:00 EST on Saturday 7 March 2026 → Sunday 8 March is EDT: still 09:00 local, an hour earlier in UTC.
    expect(moveToDay(t('2026-03-07T14:00:00Z'), '2026-03-08', 'America/New_York')).toBe(t('2026-03-08T13:00:00Z'));
    // The same instant seen in Tokyo (23:00) moves to 23:00 on the 10th there.
    expect(moveToDay(t('2026-03-07T14:00:00Z'), '2026-03-10', 'Asia/Tokyo')).toBe(t('2026-03-10T14:00:00Z'));
  });
  it('snaps a drop in the week view to a quarter hour of that day in the zone', () => {
    expect(atMinute('2027-01-05', 9 * 60 + 7, 'Asia/Tokyo')).toBe(t('2027-01-05T00:00:00Z'));
    expect(atMinute('2027-01-05', 9 * 60 + 8, 'Asia/Tokyo')).toBe(t('2027-01-05T00:15:00Z'));
    expect(atMinute('2027-01-05', -30, 'UTC')).toBe(t('2027-01-05T00:00:00Z'));
    expect(atMinute('2027-01-05', 1500, 'UTC')).toBe(t('2027-01-05T23:45:00Z'));
  });
  it('lays out overlapping items side by side, each group on its own', () => {
    const spans = [
      { from: 60, to: 110 },
      { from: 90, to: 140 },
      { from: 120, to: 170 },
      { from: 300, to: 350 },
    ];
    expect(dayLayout(spans)).toEqual([
      { lane: 0, lanes: 2 },
      { lane: 1, lanes: 2 },
      { lane: 0, lanes: 2 },
      { lane: 0, lanes: 1 },
    ]);
    expect(dayLayout([])).toEqual([]);
  });
});

describe('post edits', () => {
  it('sends the post without its id, with the version, and without empty optional fields', () => {
    expect(postBody(post('a', '2027-01-05T00:00:00Z', { content_hash: '', assets: [] }), 7)).toEqual({
      partner: 'org_streamco',
      platform: 'youtube',
      market: 'US',
      at: '2027-01-05T00:00:00Z',
      version: 7,
    });
    const withAssets = post('a', '2027-01-05T00:00:00Z', { content_hash: 'ab12', assets: [{ ref: 'hero', due: '2027-01-04T00:00:00Z' }] });
    expect(postBody(withAssets)).toEqual({
      partner: 'org_streamco',
      platform: 'youtube',
      market: 'US',
      at: '2027-01-05T00:00:00Z',
      content_hash: 'ab12',
      assets: [{ ref: 'hero', due: '2027-01-04T00:00:00Z' }],
    });
  });
  it('never sends back the frozen mark the server put on a post', () => {
    const frozen = post('a', '2027-01-05T00:00:00Z', { frozen: { freeze_id: 'frz_1', reason: 'Crisis', since: '2027-01-01T00:00:00Z' } });
    expect(postBody(frozen, 3)).toEqual({ partner: 'org_streamco', platform: 'youtube', market: 'US', at: '2027-01-05T00:00:00Z', version: 3 });
  });
  it('makes fresh readable post ids', () => {
    expect(newPostId('StreamCo', 'YouTube', [])).toBe('streamco-youtube-1');
    expect(newPostId('Nova Sports', 'x', ['nova-sports-x-1', 'nova-sports-x-2'])).toBe('nova-sports-x-3');
    expect(newPostId('Lumen Créateurs', '', [])).toBe('lumen-createurs-1');
    expect(newPostId('', '', [])).toBe('post-1');
  });
  it('accepts hexadecimal content hashes only', () => {
    expect(validContentHash('')).toBe(true);
    expect(validContentHash('9F86d081')).toBe(true);
    expect(validContentHash('xyz')).toBe(false);
  });
});

describe('calendar subscriptions', () => {
  it('offer a webcal:// link for the feed URL', () => {
    expect(webcalUrl('https://tutti.example.com/feeds/tcf_abc.ics')).toBe('webcal://tutti.example.com/feeds/tcf_abc.ics');
    expect(webcalUrl('http://127.0.0.1:8080/feeds/tcf_abc.ics')).toBe('webcal://127.0.0.1:8080/feeds/tcf_abc.ics');
  });
  it('list active feeds first, newest first', () => {
    const feed = (id: string, created_at: string, revoked_at: string | null) => ({
      id,
      kind: 'user' as const,
      name: id,
      org_id: 'o',
      user_id: 'u',
      created_at,
      revoked_at,
      last_used_at: null,
    });
    const sorted = sortFeeds([
      feed('old', '2026-11-01T00:00:00Z', null),
      feed('gone', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z'),
      feed('new', '2026-11-10T00:00:00Z', null),
    ]);
    expect(sorted.map((f) => f.id)).toEqual(['new', 'old', 'gone']);
  });
});
