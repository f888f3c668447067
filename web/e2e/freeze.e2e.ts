// End-to-end test of the publishing freeze switch on "Summer Splash 2026": the owner freezes the
// whole activation from the brief (the confirm dialog refuses a blank reason), the red banner
// says since when, by whom and why, the calendar marks every post frozen as GET …/posts does,
// StreamCo sees the banner without a Lift button, and the owner lifts it with a reason. Freezes
// this suite left active (a failed run) are lifted first, so it can run again on one server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Freeze, PostsResponse } from '../src/types.ts';
import { call, demoActivationId, tokenFor } from './api.ts';
import { browserPerFile, eventually, logIn, RESULTS_DIR, type Session, text, url } from './browser.ts';
import { USERS } from './env.ts';

const SHOTS = process.env.TUTTI_SHOTS_DIR ?? RESULTS_DIR;
const REASON = `E2E freeze ${Date.now().toString(36)}: statement pending`;
let activationId = '';
let ownerToken = '';
const { open } = browserPerFile();

const session = (): Promise<Session> => open(1280);

async function freezes(): Promise<Freeze[]> {
  const r = await call<{ items: Freeze[] }>(ownerToken, 'GET', `/activations/${activationId}/freezes`);
  expect(r.status).toBe(200);
  return r.body.items;
}

async function liftLeftovers(): Promise<void> {
  for (const f of await freezes()) {
    if (f.active && f.reason.startsWith('E2E freeze')) {
      await call(ownerToken, 'POST', `/activations/${activationId}/freezes/${f.id}/lift`, { reason: 'E2E clean-up' });
    }
  }
}

beforeAll(async () => {
  ownerToken = await tokenFor(USERS.owner);
  activationId = await demoActivationId(ownerToken);
  await liftLeftovers();
});

afterAll(async () => {
  if (ownerToken) await liftLeftovers();
});

describe('publishing freeze', () => {
  let owner: Session;

  it('freezes the whole activation after a confirm that requires a reason', async () => {
    owner = await session();
    const { page } = owner;
    await logIn(page, USERS.owner.email, USERS.owner.password);
    await page.goto(url(`/activations/${activationId}`));
    await page.getByTestId('freeze-switch').click();
    const dialog = page.getByTestId('freeze-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Freeze publishing' }).click();
    expect(await text(dialog.locator('.field-error'))).toContain('a reason is required');
    expect((await freezes()).filter((f) => f.active && f.scope === 'activation')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/freeze-dialog-1280.png`, animations: 'disabled' });
    await dialog.getByLabel('What to freeze').selectOption('activation');
    await dialog.getByLabel(/Reason/).fill(REASON);
    await dialog.getByRole('button', { name: 'Freeze publishing' }).click();
    const banner = page.getByTestId('freeze-banner');
    await banner.waitFor();
    const stored = (await freezes()).find((f) => f.active && f.reason === REASON)!;
    expect(stored.scope).toBe('activation');
    // The sentence in the browser's time zone (UTC here) from the stored instant.
    const since = new Date(stored.created_at!);
    const hhmm = `${String(since.getUTCHours()).padStart(2, '0')}:${String(since.getUTCMinutes()).padStart(2, '0')}`;
    const day = `${since.getUTCDate()} ${since.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${since.getUTCFullYear()}`;
    expect(await text(banner.locator('span').first())).toBe(`Publishing frozen since ${day}, ${hhmm} by Olivia Okafor (you) — ${REASON}`);
    expect(await banner.getByRole('button', { name: 'Lift' }).count()).toBe(1);
    // The switch is gone while the whole activation is frozen.
    expect(await page.getByTestId('freeze-switch').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/freeze-banner-1280.png`, fullPage: true, animations: 'disabled' });
  });

  it('marks every post frozen in the calendar, as the API does', async () => {
    const { page } = owner;
    await page.goto(url(`/activations/${activationId}/calendar?date=2027-01-05`));
    await page.getByTestId('post').first().waitFor();
    const posts = (await call<PostsResponse>(ownerToken, 'GET', `/activations/${activationId}/posts`)).body.content_calendar!.posts ?? [];
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.frozen?.reason === REASON)).toBe(true);
    const shown = await page.getByTestId('post').evaluateAll((els) => els.map((e) => e.getAttribute('data-frozen')));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((f) => f === 'true')).toBe(true);
    await page.screenshot({ path: `${SHOTS}/freeze-calendar-1280.png`, fullPage: true, animations: 'disabled' });
  });

  it('shows StreamCo the banner without a Lift button', async () => {
    const sam = await session();
    await logIn(sam.page, USERS.streamco.email, USERS.streamco.password);
    await sam.page.goto(url(`/activations/${activationId}/calendar`));
    const banner = sam.page.getByTestId('freeze-banner');
    await banner.waitFor();
    expect(await text(banner)).toContain(REASON);
    expect(await banner.getByRole('button', { name: 'Lift' }).count()).toBe(0);
  });

  it('lifts the freeze with a reason', async () => {
    const { page } = owner;
    await page.goto(url(`/activations/${activationId}`));
    await page.getByTestId('freeze-banner').getByRole('button', { name: 'Lift' }).click();
    const dialog = page.getByTestId('freeze-dialog');
    await dialog.getByLabel(/Reason/).fill('Statement published');
    await dialog.getByRole('button', { name: 'Lift the freeze' }).click();
    await eventually(() => page.getByTestId('freeze-banner').count()).toBe(0);
    await page.getByTestId('freeze-switch').waitFor();
    const lifted = (await freezes()).find((f) => f.reason === REASON)!;
    expect(lifted.active).toBe(false);
    expect(lifted.lift_reason).toBe('Statement published');
  });
});
