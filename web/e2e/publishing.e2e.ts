// End-to-end test of a post's content and publications in the calendar's post dialog on "Summer
// Splash 2026": StreamCo writes the next content version of its US trailer post with a tagged link
// (a value with a space is refused at its field, a version saved behind its back is the stale-version
// notice, and the saved link shows utm_source and utm_medium derived from the post); the owner sees
// the demo's paid X post in the red "Needs a disclosure" state and the live hint turn green as
// "#ad" is typed (nothing saved); a publication is refused while StreamCo's posts are frozen (the
// freeze made and lifted through the API) and then because the version is not approved, with
// nothing recorded; Nova Sports sees neither StreamCo's draft in the dialog nor through the API.
// Every run adds content versions (never publications or approvals), so it runs again on one
// server; a freeze a failed run left is lifted first and last.

import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKey } from '../src/tz.ts';
import type { Freeze, Post, PostContent, PostContentVersions, PostsResponse, Publication } from '../src/types.ts';
import { call, demoActivationId, tokenFor } from './api.ts';
import { browserPerFile, eventually, logIn, type Session, text, url } from './browser.ts';
import { USERS } from './env.ts';

const SHOTS = process.env.TUTTI_SHOTS_DIR ?? '/tmp/shots';
const RUN = Date.now().toString(36);
const FREEZE_REASON = `E2E publishing freeze ${RUN}: talent dispute`;
const TRAILER = 'sc-trailer-us';
const PAID_X = 'sc-x-us';
const LINK = 'https://streamco.example/summer-splash';
const CAMPAIGN = 'acme_summer-splash-2026';
let activationId = '';
let ownerToken = '';
let samToken = '';
let ninaToken = '';
let posts: Post[] = [];
const { open } = browserPerFile();

async function session(user: { email: string; password: string }, width = 1280): Promise<Session> {
  const s = await open(width);
  await logIn(s.page, user.email, user.password);
  return s;
}

async function freezes(): Promise<Freeze[]> {
  const r = await call<{ items: Freeze[] }>(ownerToken, 'GET', `/activations/${activationId}/freezes`);
  expect(r.status).toBe(200);
  return r.body.items;
}

async function liftOurFreezes(): Promise<void> {
  for (const f of await freezes()) {
    if (f.active && f.reason.startsWith('E2E publishing freeze')) {
      await call(ownerToken, 'POST', `/activations/${activationId}/freezes/${f.id}/lift`, { reason: 'E2E clean-up' });
    }
  }
}

async function versions(token: string, postId: string): Promise<{ status: number; body: PostContentVersions }> {
  return call<PostContentVersions>(token, 'GET', `/activations/${activationId}/posts/${postId}/content/versions`);
}

/** Opens the post's dialog from the week view of its US day. */
async function openPost(page: Page, postId: string): Promise<Locator> {
  const post = posts.find((p) => p.id === postId)!;
  await page.goto('about:blank');
  await page.goto(url(`/activations/${activationId}/calendar?view=week&zone=US&date=${dayKey(Date.parse(post.at), 'America/New_York')}`));
  await page.locator(`[data-testid="post"][data-post-id="${postId}"]`).click();
  const dialog = page.getByTestId('post-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('post-content').locator('[data-testid="content-view"], [data-testid="content-empty"]').first().waitFor();
  return dialog;
}

/** Neither the page nor the dialog is wider than the viewport. */
async function expectNoSidewaysOverflow(page: Page, dialog: Locator): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  const [inner, box] = await dialog.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(inner).toBeLessThanOrEqual(box);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ownerToken = await tokenFor(USERS.owner);
  samToken = await tokenFor(USERS.streamco);
  ninaToken = await tokenFor(USERS.nova);
  activationId = await demoActivationId(ownerToken);
  await liftOurFreezes();
  const r = await call<PostsResponse>(ownerToken, 'GET', `/activations/${activationId}/posts`);
  posts = r.body.content_calendar!.posts ?? [];
  expect(posts.map((p) => p.id)).toEqual(expect.arrayContaining([TRAILER, PAID_X]));
});

afterAll(async () => {
  if (ownerToken) await liftOurFreezes();
});

describe('post content and publications', () => {
  let sam: Session;

  it('lets StreamCo write a version with a tagged link and shows the derived source and medium', async () => {
    sam = await session(USERS.streamco);
    const { page } = sam;
    const before = await versions(samToken, TRAILER);
    const latestBefore = before.status === 200 ? Math.max(...before.body.items.map((c) => c.version)) : 0;
    const dialog = await openPost(page, TRAILER);
    const section = dialog.getByTestId('post-content');
    if (latestBefore === 0) expect(await text(section.getByTestId('content-empty'))).toBe('No content yet.');

    await section.getByTestId('content-edit').click();
    const form = section.getByTestId('content-form');
    while ((await form.getByTestId('link-editor').count()) > 0) await form.getByRole('button', { name: 'Remove link 1' }).click();
    const copy = `#ad The Summer Splash trailer premieres tonight on StreamCo (${RUN}).`;
    await form.getByLabel('Copy').fill(copy);
    expect(await text(form.getByTestId('disclosure-hint'))).toContain('Disclosed: #ad');
    await form.getByTestId('add-link').click();
    await form.getByLabel('Link 1 URL').fill(LINK);
    // The source and medium are left to the server: their selects say what it will derive.
    expect(await form.getByLabel('utm_source').locator('option').first().textContent()).toBe('Derived: youtube');
    expect(await form.getByLabel('utm_medium').locator('option').first().textContent()).toBe('Derived: social');
    await form.getByLabel('utm_campaign').selectOption(CAMPAIGN);
    await form.getByLabel(/^utm_content/).fill('Trailer US');
    await page.screenshot({ path: `${SHOTS}/post-editor-1280.png`, animations: 'disabled' });

    // A value with a space: the engine's 422 shows at that parameter, nothing is saved.
    await form.getByRole('button', { name: `Save version ${latestBefore + 1}` }).click();
    const contentError = form.locator('[data-field="links[0].utm.utm_content"] .field-error');
    expect(await text(contentError)).toContain('use "trailer_us"');
    expect((await versions(samToken, TRAILER)).body.items?.length ?? 0).toBe(latestBefore);

    // Someone saves a version behind this form's back: saving is the stale-version notice.
    const behind = await call<PostContent>(samToken, 'PUT', `/activations/${activationId}/posts/${TRAILER}/content`, { copy: `#ad Draft from another tab ${RUN}`, version: latestBefore });
    expect(behind.status).toBe(latestBefore === 0 ? 201 : 200);
    await form.getByLabel(/^utm_content/).fill('Trailer_US');
    await form.getByRole('button', { name: `Save version ${latestBefore + 1}` }).click();
    const stale = form.getByTestId('content-stale');
    expect(await text(stale)).toContain('Someone saved a newer version of this content: reload');
    await stale.getByRole('button', { name: 'Reload' }).click();
    await eventually(() => text(section.getByTestId('content-version'))).toContain(`Version ${latestBefore + 1} (latest)`);

    // Again on the latest version.
    await section.getByTestId('content-edit').click();
    while ((await form.getByTestId('link-editor').count()) > 0) await form.getByRole('button', { name: 'Remove link 1' }).click();
    await form.getByLabel('Copy').fill(copy);
    await form.getByTestId('add-link').click();
    await form.getByLabel('Link 1 URL').fill(LINK);
    await form.getByLabel('utm_campaign').selectOption(CAMPAIGN);
    await form.getByLabel(/^utm_content/).fill('Trailer_US');
    await form.getByRole('button', { name: `Save version ${latestBefore + 2}` }).click();
    expect(await text(section.getByTestId('content-saved'))).toBe(`Version ${latestBefore + 2} was saved.`);

    const view = section.getByTestId('content-view');
    await eventually(() => view.getAttribute('data-version')).toBe(String(latestBefore + 2));
    expect(await text(view.getByTestId('content-copy'))).toBe(copy);
    expect(await text(view.getByTestId('disclosure'))).toBe('✓ Disclosed: #ad');
    // Typed values lower-cased; the source from the post's platform, the medium as it is not paid.
    const tagged = `${LINK}?utm_source=youtube&utm_medium=social&utm_campaign=${CAMPAIGN}&utm_content=trailer_us`;
    expect(await text(view.getByTestId('tagged-url'))).toBe(tagged);
    const rows = await view.getByTestId('utm').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-parameter')}=${e.getAttribute('data-derived')}`));
    expect(rows).toEqual(['utm_source=true', 'utm_medium=true', 'utm_campaign=false', 'utm_content=false']);
    expect(await text(view.locator('[data-parameter="utm_source"] dd'))).toBe('youtube derived');
    expect(await text(view.locator('[data-parameter="utm_content"] dd'))).toBe('trailer_us (typed “Trailer_US”)');
    const stored = await call<PostContent>(samToken, 'GET', `/activations/${activationId}/posts/${TRAILER}/content`);
    expect(stored.body.version).toBe(latestBefore + 2);
    expect(stored.body.links[0]!.mode === 'tagged' && stored.body.links[0]!.tagged_url).toBe(tagged);

    // The picker lists the earlier versions; the one saved from "another tab" reads as it was.
    await section.getByLabel('Version').selectOption(String(latestBefore + 1));
    await eventually(() => text(view.getByTestId('content-copy'))).toBe(`#ad Draft from another tab ${RUN}`);
    await section.getByLabel('Version').selectOption(String(latestBefore + 2));
    await view.getByTestId('content-link').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/post-content-1280.png`, animations: 'disabled' });
    await expectNoSidewaysOverflow(page, dialog);
  });

  it('shows the paid post without a disclosure in red, and the live hint turns green as #ad is typed', async () => {
    const owner = await session(USERS.owner);
    const { page } = owner;
    const dialog = await openPost(page, PAID_X);
    const view = dialog.getByTestId('content-view');
    const stored = (await call<PostContent>(ownerToken, 'GET', `/activations/${activationId}/posts/${PAID_X}/content`)).body;
    expect(stored.disclosure.ok).toBe(false);
    const disclosure = view.getByTestId('disclosure');
    expect(await disclosure.getAttribute('data-ok')).toBe('false');
    expect(await text(disclosure)).toBe(`✕ Needs a disclosure: ${stored.disclosure.message}`);
    expect(stored.disclosure.message).toContain('a paid post must disclose the connection; "thanks" is not a clear disclosure');
    expect(await text(view.locator('.content-badges'))).toContain('Paid');
    expect(await text(view.locator('.content-badges'))).toContain('Partner');
    // The agency's link is kept as written: its findings, not a tagged URL.
    const link = view.getByTestId('content-link');
    expect(await link.getAttribute('data-mode')).toBe('validated');
    expect(await text(link)).toContain('finding(s) for the reviewer');
    await page.screenshot({ path: `${SHOTS}/post-disclosure-red-1280.png`, animations: 'disabled' });

    // The editor by keyboard: Enter on the button opens it; the hint follows the copy as typed.
    await dialog.getByTestId('content-edit').focus();
    await page.keyboard.press('Enter');
    const form = dialog.getByTestId('content-form');
    const hint = form.getByTestId('disclosure-hint');
    expect(await hint.getAttribute('class')).toContain('disclosure-danger');
    await form.getByLabel('Copy').focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('#ad ');
    await eventually(() => hint.getAttribute('class')).toContain('disclosure-success');
    expect(await text(hint)).toContain('Disclosed: #ad');
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect((await versions(ownerToken, PAID_X)).body.items.length).toBe(stored.version);
  });

  it('refuses a publication while StreamCo is frozen, then because the version is not approved', async () => {
    const frozen = await call<Freeze>(ownerToken, 'POST', `/activations/${activationId}/freezes`, {
      scope: 'partner',
      org_id: posts.find((p) => p.id === TRAILER)!.partner,
      reason: FREEZE_REASON,
    });
    expect(frozen.status).toBe(201);
    const { page } = sam;
    const dialog = await openPost(page, TRAILER);
    const pubs = dialog.getByTestId('post-publications');
    await pubs.locator('[data-testid="publications-empty"], [data-testid="publication-list"]').first().waitFor();
    const form = pubs.getByTestId('publication-form');
    await form.getByRole('button', { name: 'Record publication' }).click();
    expect(await text(form.locator('[data-field="live_url"] .field-error'))).toBe('Enter the URL where the post is live.');
    await form.getByLabel('Live URL').fill(`https://youtube.example/watch?v=${RUN}`);
    await form.getByRole('button', { name: 'Record publication' }).click();
    expect(await text(form.getByTestId('publication-error'))).toBe(`Publishing is frozen: ${FREEZE_REASON}`);
    await pubs.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/post-publication-frozen-1280.png`, animations: 'disabled' });

    const lifted = await call<Freeze>(ownerToken, 'POST', `/activations/${activationId}/freezes/${frozen.body.id}/lift`, { reason: 'E2E: dispute settled' });
    expect(lifted.status).toBe(200);
    await form.getByRole('button', { name: 'Record publication' }).click();
    await eventually(() => text(form.getByTestId('publication-error'))).toBe('This content version has not been approved yet: put it up for approval before it goes live.');
    const recorded = await call<{ items: Publication[] }>(samToken, 'GET', `/activations/${activationId}/posts/${TRAILER}/publications`);
    expect(recorded.body.items.filter((x) => x.live_url.includes(RUN))).toEqual([]);
  });

  it('keeps StreamCo’s draft from Nova Sports, in the dialog and through the API', async () => {
    const nina = await session(USERS.nova);
    const dialog = await openPost(nina.page, TRAILER);
    expect(await text(dialog.getByTestId('content-empty'))).toBe('No content yet that you may read: StreamCo’s copy and links are shown once approved.');
    expect(await dialog.getByTestId('content-edit').count()).toBe(0);
    expect(await dialog.getByTestId('publication-form').count()).toBe(0);
    expect(await dialog.textContent()).not.toContain('Summer Splash trailer premieres');
    expect((await versions(ninaToken, TRAILER)).status).toBe(404);
    expect((await call(ninaToken, 'GET', `/activations/${activationId}/posts/${TRAILER}/content`)).status).toBe(404);
    expect((await call(ninaToken, 'GET', `/activations/${activationId}/posts/${TRAILER}/content?version=1`)).status).toBe(404);
  });

  it('fits a phone: the dialog at 390 px', async () => {
    const phone = await session(USERS.streamco, 390);
    const dialog = await openPost(phone.page, TRAILER);
    await expectNoSidewaysOverflow(phone.page, dialog);
    await phone.page.screenshot({ path: `${SHOTS}/post-content-390.png`, animations: 'disabled' });
    await dialog.getByTestId('content-edit').click();
    await dialog.getByTestId('content-form').waitFor();
    await expectNoSidewaysOverflow(phone.page, dialog);
    await phone.page.screenshot({ path: `${SHOTS}/post-editor-390.png`, animations: 'disabled' });
    const owner = await session(USERS.owner, 390);
    const red = await openPost(owner.page, PAID_X);
    await expectNoSidewaysOverflow(owner.page, red);
    await owner.page.screenshot({ path: `${SHOTS}/post-disclosure-red-390.png`, animations: 'disabled' });
  });
});
