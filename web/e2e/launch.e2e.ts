// End-to-end tests of the synchronized-launch pages (C2): the plan (Gantt) and the content
// calendar with its subscriptions, against the demo's "Summer Splash 2026". Tests run in order.
// Every change is undone by the test that makes it, and afterAll puts the plan and the calendar
// back as they were found, so the shared demo server stays as seeded.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsByPost, moveToDay, readableMessage, worstSeverity } from '../src/calendar.ts';
import { formatSlack, stepDuration } from '../src/plan.ts';
import { addDays, dayKey, formatTimeIn } from '../src/tz.ts';
import type { ContentCalendar, MilestonesResponse, PlanDocument, Post, PostsResponse, WhatIfResponse } from '../src/types.ts';
import { call, demoActivationId, tokenFor } from './api.ts';
import { browserPerFile, eventually, logIn, screenshot, type Session, text, url } from './browser.ts';
import { BASE_URL, DEMO_MARKETS, USERS } from './env.ts';

let activationId = '';
let ownerToken = '';
const { open, sessions } = browserPerFile();
/** The documents as found, put back at the end. */
const original: { plan: PlanDocument | null; calendar: ContentCalendar | null } = { plan: null, calendar: null };
const orgIds: Record<string, string> = {};

const milestones = async () => (await call<MilestonesResponse>(ownerToken, 'GET', `/activations/${activationId}/milestones`)).body;
const posts = async () => (await call<PostsResponse>(ownerToken, 'GET', `/activations/${activationId}/posts`)).body;

async function session(user: { email: string; password: string }): Promise<Session> {
  const s = await open();
  await s.page.goto(url('/login'));
  await logIn(s.page, user.email, user.password);
  return s;
}

const schedulePath = (q = '') => `/activations/${encodeURIComponent(activationId)}/schedule${q}`;
const calendarPath = (q = '') => `/activations/${encodeURIComponent(activationId)}/calendar${q}`;

/** Opens the plan page and returns the milestones response the page itself received. */
async function openPlan(page: Page, q = ''): Promise<MilestonesResponse> {
  await page.goto('about:blank'); // a fresh load even when only the hash would change
  const resp = page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'GET');
  await page.goto(url(schedulePath(q)));
  const body = (await (await resp).json()) as MilestonesResponse;
  await page.getByTestId('gantt').waitFor();
  return body;
}

async function openCalendar(page: Page, q = ''): Promise<PostsResponse> {
  await page.goto('about:blank');
  const resp = page.waitForResponse((r) => r.url().endsWith('/posts') && r.request().method() === 'GET');
  await page.goto(url(calendarPath(q)));
  const body = (await (await resp).json()) as PostsResponse;
  await page.locator('[data-testid="month-view"], [data-testid="week-view"]').first().waitFor();
  return body;
}

beforeAll(async () => {
  ownerToken = await tokenFor(USERS.owner);
  activationId = await demoActivationId(ownerToken);
  const m = await milestones();
  const p = await posts();
  expect(m.plan, 'the demo seeds a plan').toBeTruthy();
  expect(p.content_calendar, 'the demo seeds a content calendar').toBeTruthy();
  original.plan = m.plan;
  original.calendar = p.content_calendar;
  const partners = await call<{ items: { org_id: string; org_name: string }[] }>(ownerToken, 'GET', `/activations/${activationId}/partners`);
  for (const x of partners.body.items) orgIds[x.org_name] = x.org_id;
});

afterAll(async () => {
  // Put the documents back as they were found (each test restores its own changes already; this
  // covers a test that failed half-way).
  if (activationId && original.plan) {
    const now = await milestones();
    if (JSON.stringify(now.plan) !== JSON.stringify(original.plan)) {
      await call(ownerToken, 'PUT', `/activations/${activationId}/milestones`, { ...original.plan, version: now.version });
    }
  }
  if (activationId && original.calendar) {
    const now = await posts();
    if (JSON.stringify(now.content_calendar) !== JSON.stringify(original.calendar)) {
      await call(ownerToken, 'PUT', `/activations/${activationId}/posts`, { ...original.calendar, version: now.version });
    }
  }
});

describe('plan (Gantt)', () => {
  let owner: Session;

  it('the brief links to the plan; the Gantt shows the critical path, slack, launches and now', async () => {
    owner = await session(USERS.owner);
    const { page } = owner;
    await page.goto(url(`/activations/${encodeURIComponent(activationId)}`));
    await page.getByTestId('activation-name').waitFor();
    const resp = page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'GET');
    await page.getByRole('link', { name: 'Plan', exact: true }).click();
    const m = (await (await resp).json()) as MilestonesResponse;
    await page.getByTestId('gantt').waitFor();
    await eventually(() => page.url()).toContain(schedulePath());
    const schedule = m.schedule!;
    expect(schedule, 'the demo plan computes').toBeTruthy();

    // The critical path, listed and marked on its rows.
    const listed = await page.getByTestId('critical-path').locator('li').allTextContents();
    expect(listed).toEqual(schedule.critical_path);
    expect(listed.length).toBeGreaterThan(0);
    const rows = page.getByTestId('gantt-row');
    expect(await rows.count()).toBe(schedule.milestones.length);
    for (const sm of schedule.milestones) {
      const row = page.locator(`[data-testid="gantt-row"][data-id="${sm.id}"]`);
      expect(await row.getAttribute('data-critical')).toBe(String(schedule.critical_path.includes(sm.id)));
      expect(await text(row.getByTestId('slack'))).toBe(formatSlack(sm.slack_seconds).text);
    }
    // Rows follow the plan's order; the finished milestone is marked done.
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(m.plan!.milestones.map((x) => x.id));
    const done = m.plan!.milestones.filter((x) => x.actual_finish).map((x) => x.id);
    expect(done.length).toBeGreaterThan(0);
    for (const id of done) expect(await page.locator(`[data-testid="gantt-row"][data-id="${id}"]`).getAttribute('data-state')).toBe('done');

    // A launch marker per market, and now.
    const markers = await page.getByTestId('launch-marker').evaluateAll((els) => els.map((e) => e.getAttribute('data-market')).sort());
    expect(markers).toEqual(Object.keys(schedule.launch).sort());
    expect(await page.getByTestId('now-marker').count()).toBe(1);
    expect(await text(page.getByTestId('plan-status'))).toBe(schedule.at_risk ? 'At risk' : 'On track');
    expect(schedule.at_risk, 'the demo plan starts on track').toBe(false);
    expect(await page.getByTestId('at-risk-banner').count()).toBe(0);
    // Editors see the resize handles.
    expect(await page.getByTestId('resize-handle').count()).toBeGreaterThan(0);
    await screenshot(page, 'c2-01-plan-owner');
  });

  it('an editor lengthens a critical milestone: the launch is at risk; restoring the duration clears it', async () => {
    const { page } = owner;
    const m = await openPlan(page);
    const id = m.schedule!.critical_path[0]!;
    const before = m.plan!.milestones.find((x) => x.id === id)!;
    await page.locator(`[data-testid="gantt-row"][data-id="${id}"] .gantt-label`).click();
    const form = page.getByTestId('milestone-form');
    await form.waitFor();
    expect(await form.getByLabel('Duration').inputValue()).toBe(before.duration);

    await form.getByLabel('Duration').fill('60d');
    const [put] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(put.status()).toBe(200);
    // The whole plan went back with only that duration changed, and the version it was read at.
    const sent = JSON.parse(put.request().postData() ?? '{}') as PlanDocument & { version: number };
    expect(sent.version).toBe(m.version);
    const { version: _v, ...sentPlan } = sent;
    expect(sentPlan).toEqual({ ...m.plan, milestones: m.plan!.milestones.map((x) => (x.id === id ? { ...x, duration: '60d' } : x)) });

    const banner = page.getByTestId('at-risk-banner');
    await banner.waitFor();
    const after = (await put.json()) as MilestonesResponse;
    expect(after.schedule!.at_risk).toBe(true);
    expect(await text(banner)).toContain(id);
    expect(await text(page.getByTestId('markets-at-risk'))).toBe(after.schedule!.markets_at_risk.join(', '));
    const row = page.locator(`[data-testid="gantt-row"][data-id="${id}"]`);
    expect(await row.getByTestId('row-warning').count()).toBe(1);
    expect(await text(row.getByTestId('slack'))).toMatch(/^late by /);
    expect(await text(page.getByTestId('plan-status'))).toBe('At risk');
    await screenshot(page, 'c2-02-plan-at-risk');

    // Restore it through the same form.
    await form.getByLabel('Duration').fill(before.duration);
    const [restore] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(restore.status()).toBe(200);
    await eventually(() => banner.count()).toBe(0);
    expect((await milestones()).plan).toEqual(original.plan);
  });

  it('dragging a bar\'s end, or the arrow keys on it, proposes a duration that Reset discards', async () => {
    const { page } = owner;
    const m = await openPlan(page);
    const pm = m.plan!.milestones.find((x) => !x.actual_finish && !x.actual_start)!;
    const row = page.locator(`[data-testid="gantt-row"][data-id="${pm.id}"]`);
    const writes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') writes.push(`${r.method()} ${r.url()}`);
    });

    const handle = row.getByTestId('resize-handle');
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let dx = 10; dx <= 120; dx += 10) await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2);
    await page.mouse.up();
    const duration = page.getByTestId('milestone-form').getByLabel('Duration');
    await eventually(() => duration.inputValue()).not.toBe(pm.duration);
    const dragged = await duration.inputValue();
    // Snapped: working days stay working days; others become whole hours or days.
    expect(dragged).toMatch(pm.duration.endsWith('wd') ? /^\d+wd$/ : /^\d+[hd]$/);
    expect(Number.parseInt(dragged, 10)).toBeGreaterThan(Number.parseInt(pm.duration, 10));
    expect(await text(row.getByTestId('slack'))).toContain('(unsaved)');
    await page.getByRole('button', { name: 'Reset' }).click();
    await eventually(() => duration.inputValue()).toBe(pm.duration);

    // The keyboard alternative: focus the handle and press the right arrow.
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(() => duration.inputValue()).toBe(stepDuration(pm.duration, 1));
    expect(await handle.getAttribute('aria-valuetext')).toMatch(/^\d+ /);
    await page.getByRole('button', { name: 'Reset' }).click();
    expect(writes, 'nothing is saved by dragging').toEqual([]);
  });

  it('the engine\'s 422 is shown next to the field, and a stale version says someone else changed the plan', async () => {
    const { page } = owner;
    const m = await openPlan(page);
    const id = m.plan!.milestones[1]!.id;
    await page.locator(`[data-testid="gantt-row"][data-id="${id}"] .gantt-label`).click();
    const form = page.getByTestId('milestone-form');
    await form.getByLabel('Owner').fill('x'.repeat(65));
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(bad.status()).toBe(422);
    const err = ((await bad.json()) as { error: { field: string; message: string } }).error;
    expect(err.field).toBe('milestones[1].owner');
    const shown = form.locator('[data-field-error="owner"]');
    await shown.waitFor();
    expect((await text(shown)).toLowerCase()).toContain(err.message.toLowerCase());
    expect(await form.getByLabel('Owner').getAttribute('aria-invalid')).toBe('true');

    // Meanwhile someone else saves the plan (the same document: only the version moves on).
    const other = await call<MilestonesResponse>(ownerToken, 'PUT', `/activations/${activationId}/milestones`, { ...m.plan, version: m.version });
    expect(other.status).toBe(200);
    await form.getByLabel('Owner').fill('someone@acme.example');
    const [stale] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(stale.status()).toBe(409);
    const notice = page.getByTestId('plan-notice');
    await notice.waitFor();
    expect(await text(notice)).toContain('Someone else changed');
    await page.getByTestId('gantt').waitFor();
    // Reloaded: the form now shows what is stored.
    await page.locator(`[data-testid="gantt-row"][data-id="${id}"] .gantt-label`).click();
    expect(await page.getByTestId('milestone-form').getByLabel('Owner').inputValue()).toBe(m.plan!.milestones[1]!.owner ?? '');
    expect((await milestones()).plan).toEqual(original.plan);
  });

  it('a viewer sees no edit controls, but previews a what-if without saving', async () => {
    const { page } = await session(USERS.viewer);
    const m = await openPlan(page);
    expect(await page.getByTestId('resize-handle').count()).toBe(0);
    expect(await page.getByRole('button', { name: '+ Add milestone' }).count()).toBe(0);
    const id = m.schedule!.critical_path[0]!;
    await page.locator(`[data-testid="gantt-row"][data-id="${id}"] .gantt-label`).click();
    await page.getByTestId('milestone-panel').waitFor();
    expect(await page.getByTestId('milestone-form').count()).toBe(0);

    const whatIf = page.getByTestId('what-if');
    await whatIf.getByLabel('Milestone to delay').selectOption(id);
    await whatIf.getByLabel('Delay by').fill('30d');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/milestones/what-if')),
      whatIf.getByRole('button', { name: 'Preview' }).click(),
    ]);
    expect(resp.status()).toBe(200);
    const r = (await resp.json()) as WhatIfResponse;
    expect(r.pushed_past_launch.length).toBeGreaterThan(0);
    const pushed = await whatIf.getByTestId('what-if-pushed').locator('li').allTextContents();
    expect(pushed).toEqual(r.pushed_past_launch);
    expect(await text(whatIf.getByTestId('what-if-markets'))).toBe(r.markets_missed.join(', ') || 'none');
    // The chart previews it, with the banner saying so.
    const banner = page.getByTestId('at-risk-banner');
    await banner.waitFor();
    expect(await text(banner)).toContain('In this preview');
    for (const p of r.pushed_past_launch) {
      expect(await page.locator(`[data-testid="gantt-row"][data-id="${p}"]`).getAttribute('class')).toContain('highlighted');
    }
    await screenshot(page, 'c2-03-plan-viewer-what-if');
    await whatIf.getByRole('button', { name: 'Clear preview' }).click();
    await eventually(() => banner.count()).toBe(0);
    const after = await milestones();
    expect(after.version, 'a what-if saves nothing').toBe(m.version);
    expect(after.plan).toEqual(original.plan);
  });

  it('an activation without a plan explains what a plan is, and its editor creates one', async () => {
    // Its own activation, so that the demo's stays as it is.
    const created = await call<{ id: string; version: number }>(ownerToken, 'POST', '/activations', {
      name: `E2E Plan ${Date.now().toString(36)}`,
      objective: 'visibility',
    });
    expect(created.status).toBe(201);
    const patched = await call(ownerToken, 'PATCH', `/activations/${created.body.id}`, {
      markets: [DEMO_MARKETS[0], DEMO_MARKETS[2]],
      version: created.body.version,
    });
    expect(patched.status).toBe(200);
    const { page } = owner ?? (await session(USERS.owner));
    await page.goto('about:blank');
    await page.goto(url(`/activations/${encodeURIComponent(created.body.id)}/schedule`));
    const empty = page.getByTestId('empty-plan');
    await empty.waitFor();
    expect(await text(empty)).toContain('A plan is the launch');
    const form = page.getByTestId('create-plan-form');
    await form.getByLabel('Launch date').fill('2027-03-01');
    await form.getByLabel('First milestone').fill('kickoff');
    await form.getByLabel('Duration').fill('2wd');
    await screenshot(page, 'c2-09-plan-empty');
    const [put] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/milestones') && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Create plan' }).click(),
    ]);
    expect(put.status()).toBe(200);
    const sent = JSON.parse(put.request().postData() ?? '{}') as PlanDocument & { version: number };
    expect(sent.launch).toEqual({ local: '2027-03-01T09:00', markets: [DEMO_MARKETS[0], DEMO_MARKETS[2]], on_gap: 'shift_forward', on_overlap: 'earliest' });
    expect(sent.milestones).toEqual([{ id: 'kickoff', duration: '2wd' }]);
    await page.getByTestId('gantt').waitFor();
    expect(await page.getByTestId('gantt-row').count()).toBe(1);
    expect(await page.getByTestId('launch-marker').count()).toBe(2);
  });
});

describe('content calendar', () => {
  it('shows a post at its local time in the chosen zone: US, then JP', async () => {
    const { page } = await session(USERS.owner);
    const p0 = await posts();
    const post = p0.content_calendar!.posts!.find((p) => p.market === 'US')!;
    const at = Date.parse(post.at);
    const us = DEMO_MARKETS.find((m) => m.name === 'US')!.tz;
    const jp = DEMO_MARKETS.find((m) => m.name === 'JP')!.tz;
    expect(formatTimeIn(at, jp)).not.toBe(formatTimeIn(at, us));

    // The week view: the post sits in its day and hour of the chosen zone.
    await openCalendar(page, `?view=week&zone=US&date=${dayKey(at, us)}`);
    const chip = page.getByTestId('week-view').locator(`[data-testid="post"][data-post-id="${post.id}"]`);
    const dayOf = () => chip.locator('xpath=ancestor::*[@data-testid="week-day"]').getAttribute('data-date');
    expect(await text(chip.locator('.post-time'))).toBe(formatTimeIn(at, us));
    expect(await dayOf()).toBe(dayKey(at, us));
    const topUs = (await chip.boundingBox())!.y - (await chip.locator('xpath=ancestor::*[@data-testid="week-day"]').boundingBox())!.y;

    await page.getByRole('radio', { name: `JP — ${jp}` }).check();
    await eventually(() => text(chip.locator('.post-time'))).toBe(formatTimeIn(at, jp));
    expect(await dayOf()).toBe(dayKey(at, jp));
    const topJp = (await chip.boundingBox())!.y - (await chip.locator('xpath=ancestor::*[@data-testid="week-day"]').boundingBox())!.y;
    expect(topJp).not.toBe(topUs); // another hour row
    await eventually(() => page.url()).toContain('zone=JP');
    expect(await text(page.getByTestId('zone-caption'))).toContain(jp);
    await screenshot(page, 'c2-04-calendar-week-jp');

    // The month view (only this partner's posts, so that none is folded into "+N more").
    await page.getByRole('button', { name: 'Month', exact: true }).click();
    await page.getByTestId('filter-partner').selectOption(post.partner);
    const monthChip = page.getByTestId('month-view').locator(`[data-testid="post"][data-post-id="${post.id}"]`);
    expect(await text(monthChip.locator('.post-time'))).toBe(formatTimeIn(at, jp));
    expect(await monthChip.locator('xpath=ancestor::*[@data-testid="day-cell"]').getAttribute('data-date')).toBe(dayKey(at, jp));
    await page.getByRole('radio', { name: `US — ${us}` }).check();
    await eventually(() => text(monthChip.locator('.post-time'))).toBe(formatTimeIn(at, us));
    await screenshot(page, 'c2-05-calendar-month-us');
  });

  it('a finding is shown on the posts it concerns, with its message', async () => {
    const { page } = sessions.at(-1)!;
    const p0 = await openCalendar(page, '?zone=US');
    const findings = p0.findings!.findings;
    const close = findings.find((f) => f.kind === 'too_close' && f.severity === 'warning');
    expect(close, 'the demo calendar has a too_close warning').toBeTruthy();
    const counts = await text(page.getByTestId('finding-counts'));
    expect(counts).toContain(`${p0.findings!.counts.warning} warning`);
    const byPost = findingsByPost(findings);
    const target = close!.post_ids[0]!;
    const at = Date.parse(p0.content_calendar!.posts!.find((p) => p.id === target)!.at);
    await page.goto(url(calendarPath(`?view=week&zone=US&date=${dayKey(at, 'America/New_York')}`)));
    const chip = page.locator(`[data-testid="post"][data-post-id="${target}"]`);
    await chip.waitFor();
    expect(await chip.getAttribute('data-severity')).toBe(worstSeverity(byPost.get(target)));
    const names = new Map(Object.entries(orgIds).map(([name, id]) => [id, name]));
    expect(await chip.getAttribute('title')).toContain(readableMessage(close!.message, names, 'America/New_York'));
    await chip.click();
    const dialog = page.getByTestId('post-dialog');
    await dialog.waitFor();
    const shown = await text(dialog.getByTestId('post-findings'));
    expect(shown).toContain(readableMessage(close!.message, names, 'America/New_York'));
    expect(shown).not.toMatch(/org_[a-z0-9]+/); // organisation ids read as names
    await screenshot(page, 'c2-06-calendar-finding');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await eventually(() => dialog.count()).toBe(0);
  });

  it('a partner moves their own post by dragging it (and undoes it), and cannot edit another partner\'s', async () => {
    const { page } = await session(USERS.streamco);
    const streamco = orgIds.StreamCo!;
    const nova = orgIds['Nova Sports']!;
    const p0 = await posts();
    const own = p0.content_calendar!.posts!.find((p) => p.partner === streamco)!;
    const theirs = p0.content_calendar!.posts!.find((p) => p.partner === nova)!;
    const tz = 'America/New_York';
    const at = Date.parse(own.at);
    const day = dayKey(at, tz);
    await openCalendar(page, `?view=week&zone=US&date=${dayKey(Date.parse(theirs.at), tz)}`);

    // Another partner's post: no drag, no form.
    const other = page.locator(`[data-testid="post"][data-post-id="${theirs.id}"]`);
    expect(await other.getAttribute('data-editable')).toBe('false');
    expect(await other.getAttribute('draggable')).toBe('false');
    await other.click();
    await page.getByTestId('post-read-only').waitFor();
    expect(await page.getByTestId('post-form').count()).toBe(0);
    await page.getByTestId('post-dialog').getByRole('button', { name: 'Close' }).click();

    // Its own, in the month view: dragged to the next day, it keeps its local time there.
    await page.getByRole('button', { name: 'Month', exact: true }).click();
    await page.getByRole('button', { name: 'Today' }).waitFor();
    await page.goto(url(calendarPath(`?zone=US&date=${day}`)));
    await page.getByTestId('filter-partner').selectOption(streamco);
    const chip = page.getByTestId('month-view').locator(`[data-testid="post"][data-post-id="${own.id}"]`);
    expect(await chip.getAttribute('data-editable')).toBe('true');
    const target = addDays(day, 1);
    const [put] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/posts/${own.id}`) && r.request().method() === 'PUT'),
      chip.dragTo(page.locator(`[data-testid="day-cell"][data-date="${target}"]`)),
    ]);
    expect(put.status()).toBe(200);
    const moved = (await posts()).content_calendar!.posts!.find((p) => p.id === own.id)!;
    expect(Date.parse(moved.at)).toBe(moveToDay(at, target, tz));
    expect(moved.partner).toBe(streamco);
    await eventually(() => chip.locator('xpath=ancestor::*[@data-testid="day-cell"]').getAttribute('data-date')).toBe(target);
    expect(await text(chip.locator('.post-time'))).toBe(formatTimeIn(at, tz));
    expect(await text(page.getByTestId('calendar-notice'))).toContain(`${own.id} moved to`);
    await screenshot(page, 'c2-07-calendar-partner-moved');

    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/posts/${own.id}`) && r.request().method() === 'PUT'),
      page.getByRole('button', { name: 'Undo' }).click(),
    ]);
    await eventually(async () => (await posts()).content_calendar!.posts!.find((p) => p.id === own.id)!.at).toBe(own.at);

    // The keyboard alternative: the form, with the time in the chosen zone.
    await chip.click();
    const form = page.getByTestId('post-form');
    await form.waitFor();
    expect(await form.getByLabel('Time').inputValue()).toBe(formatTimeIn(at, tz));
    await form.getByLabel('Time').fill('10:30');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/posts/${own.id}`) && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Save post' }).click(),
    ]);
    const edited = (await posts()).content_calendar!.posts!.find((p) => p.id === own.id)!;
    expect(formatTimeIn(Date.parse(edited.at), tz)).toBe('10:30');
    expect(dayKey(Date.parse(edited.at), tz)).toBe(day);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/posts/${own.id}`) && r.request().method() === 'PUT'),
      page.getByRole('button', { name: 'Undo' }).click(),
    ]);
    await eventually(async () => (await posts()).content_calendar!.posts!.find((p) => p.id === own.id)!.at).toBe(own.at);
  });

  it('a partner creates a post of their own and deletes it', async () => {
    const { page } = sessions.at(-1)!;
    await openCalendar(page, '?zone=GB');
    await page.getByTestId('new-post').click();
    const form = page.getByTestId('post-form');
    await form.waitFor();
    expect(await form.getByLabel('Partner').inputValue()).toBe('StreamCo');
    const id = `e2e-${Date.now().toString(36)}`;
    await form.getByLabel('Post id').fill(id);
    await form.getByLabel('Platform').fill('x');
    await form.getByLabel('Market').selectOption('GB');
    const day = (await form.getByLabel('Date').inputValue()) || dayKey(Date.now(), 'Europe/London');
    await form.getByLabel('Date').fill(day);
    await form.getByLabel('Time').fill('12:00');
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/posts/${id}`) && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Create post' }).click(),
    ]);
    expect(created.status()).toBeLessThan(300);
    const stored = (await posts()).content_calendar!.posts!.find((p) => p.id === id) as Post;
    expect(stored.partner).toBe(orgIds.StreamCo);
    expect(formatTimeIn(Date.parse(stored.at), 'Europe/London')).toBe('12:00');

    // Only StreamCo's posts, so that the new one is not folded into "+N more" on a busy day.
    await page.getByTestId('filter-partner').selectOption(orgIds.StreamCo!);
    const chip = page.locator(`[data-testid="post"][data-post-id="${id}"]`);
    await chip.click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const [deleted] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/posts/${id}`) && r.request().method() === 'DELETE'),
      page.getByRole('button', { name: `Delete ${id}` }).click(),
    ]);
    expect(deleted.status()).toBe(200);
    expect(deleted.request().headers()['if-match']).toMatch(/^"\d+"$/);
    await eventually(() => chip.count()).toBe(0);
    expect((await posts()).content_calendar).toEqual(original.calendar);
  });

  it('calendar subscriptions: a new feed\'s URL is shown once, works, and stops working when revoked', async () => {
    const { page } = sessions.at(-1)!;
    await openCalendar(page);
    const panel = page.getByTestId('feeds-panel');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/calendar-feeds') && r.request().method() === 'POST'),
      panel.getByRole('button', { name: 'Create personal subscription' }).click(),
    ]);
    expect(resp.status(), 'POST /api/v1/calendar-feeds').toBe(201);
    const created = (await resp.json()) as { feed: { id: string }; url: string };
    const feedUrl = await panel.getByTestId('feed-url').inputValue();
    expect(feedUrl).toBe(created.url);
    expect(feedUrl).toMatch(/\/feeds\/tcf_[^/]+\.ics$/);
    expect(await panel.getByTestId('feed-webcal').getAttribute('href')).toMatch(/^webcal:\/\/.+\/feeds\/tcf_[^/]+\.ics$/);
    expect(await text(panel.getByTestId('feed-created'))).toContain('shown only once');
    const ics = await fetch(BASE_URL + new URL(feedUrl).pathname);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type') ?? '').toContain('text/calendar');
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await screenshot(page, 'c2-08-calendar-feed-created');

    const row = panel.locator(`[data-testid="feed-row"][data-feed-id="${created.feed.id}"]`);
    expect(await row.getAttribute('data-revoked')).toBe('false');
    // Shown once: gone after a reload.
    await page.reload();
    await panel.getByTestId('feeds-list').waitFor();
    expect(await panel.getByTestId('feed-url').count()).toBe(0);
    expect(await page.content()).not.toContain(new URL(feedUrl).pathname);

    page.once('dialog', (d) => void d.accept());
    const [revoked] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/calendar-feeds/${created.feed.id}`) && r.request().method() === 'DELETE'),
      row.getByRole('button', { name: /^Revoke/ }).click(),
    ]);
    expect(revoked.status()).toBe(200);
    // Revoked feeds leave the list of active ones and are kept, folded, for the record.
    await eventually(() => row.count()).toBe(0);
    await panel.getByRole('button', { name: /^Show \d+ revoked$/ }).click();
    await eventually(() => row.getAttribute('data-revoked')).toBe('true');
    expect(await row.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    expect((await fetch(BASE_URL + new URL(feedUrl).pathname)).status).toBe(404);
  });
});
