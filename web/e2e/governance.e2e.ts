// End-to-end tests of the issue-5 governance pages on "Summer Splash 2026": the asset library
// (StreamCo uploads an asset, is told the naming template's expected name, adds a second version
// and sees both side by side; Nova Sports never sees StreamCo's draft), the approvals inbox
// (StreamCo puts the asset up for approval through the API; the owner sees it with its time
// left, is asked for a comment before requesting changes, approves it and finds the decision in
// the activation's history) and the gate board (the facilitator ticks a pilot checklist item,
// the viewer cannot, and only those the API lets decide see the go/no-go form). Every run uses
// its own asset names (a context per run) and approval titles; the checklist tick is undone in
// afterAll, so the suite can run again on the same server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../src/assets.ts';
import type { Approval, Asset, AssetSettings, GateBoard, InboxItem } from '../src/types.ts';
import { call, demoActivationId, tokenFor } from './api.ts';
import { browserPerFile, eventually, logIn, RESULTS_DIR, type Session, text, url } from './browser.ts';
import { USERS } from './env.ts';
import { greyPng } from './media.ts';

const SHOTS = process.env.TUTTI_SHOTS_DIR ?? RESULTS_DIR;
const run = Date.now().toString(36);
let activationId = '';
let ownerToken = '';
let samToken = '';
let ninaToken = '';
const { open } = browserPerFile();
let uploaded: Asset | null = null;
let pilotTickedBefore: boolean | null = null;

const session = (width = 1280): Promise<Session> => open(width);

async function shot(s: Session, name: string): Promise<void> {
  await s.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, animations: 'disabled' });
}

/** The page is no wider than its viewport (nothing overflows sideways). */
async function noSidewaysOverflow(s: Session): Promise<void> {
  const [scroll, client] = await s.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, 'page width').toBeLessThanOrEqual(client);
}

beforeAll(async () => {
  ownerToken = await tokenFor(USERS.owner);
  samToken = await tokenFor(USERS.streamco);
  ninaToken = await tokenFor(USERS.nova);
  activationId = await demoActivationId(ownerToken);
});

afterAll(async () => {
  if (pilotTickedBefore !== null) {
    const felix = await tokenFor(USERS.facilitator);
    await call(felix, 'PUT', `/activations/${activationId}/gates/pilot/checklist/tracking_qa`, { checked: pilotTickedBefore });
  }
});

// The demo sets no naming template: give the activation one (once; later runs reuse it) whose
// {context} makes every run's names its own.
const TEMPLATE = '{brand}_{partner}_{platform}_{locale}_{context}_v{version}';
const CONTEXT = `e2e${run}`;
const expectedName = (version: number) => `acme_streamco_instagram-feed_en-gb_${CONTEXT}_v${version}.png`;

describe('asset library', () => {
  let sam: Session;

  beforeAll(async () => {
    const got = await call<AssetSettings>(ownerToken, 'GET', `/activations/${activationId}/asset-settings`);
    expect(got.status).toBe(200);
    if (got.body.naming_template !== TEMPLATE) {
      const put = await call(ownerToken, 'PUT', `/activations/${activationId}/asset-settings`, {
        naming_template: TEMPLATE,
        brand: 'acme',
        version: got.body.version,
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
    }
  });

  it('refuses a name off the template with the expected name, then uploads under it', async () => {
    sam = await session();
    const { page } = sam;
    await logIn(page, USERS.streamco.email, USERS.streamco.password);
    await page.goto(url(`/activations/${activationId}`));
    await page.getByRole('navigation', { name: 'Activation' }).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('button', { name: 'Upload asset' }).click();
    const form = page.getByTestId('upload-form');
    await form.locator('input[type=file]').setInputFiles({ name: 'IMG_0042.png', mimeType: 'image/png', buffer: greyPng(600, 600, 1) });
    // The file's own name is proposed; the template refuses it and says what it expects.
    expect(await form.getByLabel('File name').inputValue()).toBe('IMG_0042.png');
    await form.getByLabel('Placement').selectOption('instagram_feed');
    await form.getByLabel(/Locale/).fill('en-GB');
    await form.getByLabel(/Tags/).fill(`Hero, ${CONTEXT}`);
    // {context} is not a form field: the run's context comes in through the name's own field.
    await form.getByRole('button', { name: 'Upload' }).click();
    const nameError = form.locator('[data-field-error="name"]');
    await nameError.waitFor();
    expect(await text(nameError)).toContain('got "IMG_0042.png"');
    // Without a context the expected name keeps its placeholder, so it is not offered as a fix.
    expect(await text(nameError)).toContain('acme_streamco_instagram-feed_en-gb_{context}_v1.png');
    await shot(sam, 'assets-upload-refused');
    await form.getByLabel('File name').fill(expectedName(1));
    await form.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(`${expectedName(1).replace('.png', '')} was uploaded.`).waitFor();
    const card = page.locator(`[data-testid="asset"][data-name="${expectedName(1).replace('.png', '')}"]`);
    await card.waitFor();
    const v1 = card.locator('[data-testid="version"][data-version="1"]');
    // 600 × 600 grey PNG: its header's size, the spec it passed, who uploaded it.
    expect(await text(v1)).toContain('600 × 600 px');
    expect(await text(v1.getByTestId('spec-check'))).toBe('Passes instagram_feed');
    expect(await text(v1)).toContain('Sam Rivera (you)');
    expect(await text(card)).toContain('Draft of StreamCo');
    const list = await call<{ items: Asset[] }>(samToken, 'GET', `/activations/${activationId}/assets?tag=${CONTEXT}`);
    uploaded = list.body.items.find((x) => x.name_stem === expectedName(1).replace('.png', '')) ?? null;
    expect(uploaded, 'the upload as the API lists it').toBeTruthy();
    expect(await text(v1)).toContain(formatBytes(uploaded!.versions[0]!.bytes));
    // The download link serves the very bytes uploaded.
    const href = await v1.getByRole('link', { name: 'Download v1' }).getAttribute('href');
    const bytes = await page.evaluate(async (h) => (await (await fetch(h!)).arrayBuffer()).byteLength, href);
    expect(bytes).toBe(greyPng(600, 600, 1).length);
  });

  it('shows a spec refusal with its violation, then a second version beside the first', async () => {
    const { page } = sam;
    const card = page.locator(`[data-testid="asset"][data-name="${expectedName(1).replace('.png', '')}"]`);
    await card.getByRole('button', { name: 'New version' }).click();
    const form = page.getByTestId('upload-form');
    // 600 × 100 is 6:1, wider than instagram_feed's 1.91:1.
    await form.locator('input[type=file]').setInputFiles({ name: expectedName(2), mimeType: 'image/png', buffer: greyPng(600, 100, 2) });
    await form.getByRole('button', { name: 'Upload' }).click();
    const fileError = form.locator('[data-field-error="file"]');
    await fileError.waitFor();
    expect(await text(fileError)).toContain('aspect ratio 6:1');
    await shot(sam, 'assets-spec-refused');
    await form.locator('input[type=file]').setInputFiles({ name: expectedName(2), mimeType: 'image/png', buffer: greyPng(600, 500, 2) });
    await form.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(`Version 2 of ${expectedName(1).replace('.png', '')} was uploaded.`).waitFor();
    const versions = card.getByTestId('version');
    await eventually(() => versions.count()).toBe(2);
    // Side by side, newest first: the same row, v2 left of v1.
    const [b2, b1] = [await versions.nth(0).boundingBox(), await versions.nth(1).boundingBox()];
    expect(await versions.nth(0).getAttribute('data-version')).toBe('2');
    expect(Math.abs(b2!.y - b1!.y)).toBeLessThan(2);
    expect(b2!.x).toBeLessThan(b1!.x);
    expect(await text(versions.nth(0))).toContain('600 × 500 px');
    expect(await text(versions.nth(1))).toContain('600 × 600 px');
    await shot(sam, 'assets-two-versions-1280');
    await noSidewaysOverflow(sam);
  });

  it('finds the asset by tag and locale, and not by another locale', async () => {
    const { page } = sam;
    await page.goto(url(`/activations/${activationId}/assets?tag=${CONTEXT}&locale=en-gb`));
    await page.locator(`[data-testid="asset"][data-name="${expectedName(1).replace('.png', '')}"]`).waitFor();
    await page.getByLabel('Locale', { exact: true }).fill('ja-jp');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No asset matches this search').waitFor();
    await eventually(() => page.url()).toContain('locale=ja-jp');
  });

  it('does not show StreamCo\'s draft to Nova Sports, in the page or the API', async () => {
    const nina = await session();
    await logIn(nina.page, USERS.nova.email, USERS.nova.password);
    await nina.page.goto(url(`/activations/${activationId}/assets`));
    await nina.page.getByRole('heading', { name: 'Summer Splash 2026' }).waitFor();
    await nina.page.locator('[data-testid="asset-list"], [data-testid="empty-state"]').first().waitFor();
    expect(await nina.page.locator(`[data-name="${expectedName(1).replace('.png', '')}"]`).count()).toBe(0);
    const list = await call<{ items: Asset[] }>(ninaToken, 'GET', `/activations/${activationId}/assets`);
    expect(list.body.items.map((x) => x.id)).not.toContain(uploaded!.id);
    expect((await call(ninaToken, 'GET', `/activations/${activationId}/assets/${uploaded!.id}`)).status).toBe(404);
    await shot(nina, 'assets-nova-sees-no-draft');
  });

  it('fits a phone', async () => {
    const phone = await session(390);
    await logIn(phone.page, USERS.streamco.email, USERS.streamco.password);
    await phone.page.goto(url(`/activations/${activationId}/assets?tag=${CONTEXT}`));
    await phone.page.getByTestId('version').first().waitFor();
    await noSidewaysOverflow(phone);
    await shot(phone, 'assets-390');
  });
});

describe('approvals inbox', () => {
  let owner: Session;
  let approvalId = '';
  const title = `Hero visual ${run}`;

  beforeAll(async () => {
    // StreamCo puts its asset up for the default host review (StreamCo's 48-hour turnaround).
    const r = await call<Approval>(samToken, 'POST', `/activations/${activationId}/approvals`, {
      subject: { kind: 'asset', id: uploaded?.id ?? `asset-${run}` },
      title,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    approvalId = r.body.id;
  });

  it('lists the request with its time left, most urgent first', async () => {
    owner = await session();
    const { page } = owner;
    await logIn(page, USERS.owner.email, USERS.owner.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
    const item = page.locator(`[data-testid="inbox-item"][data-approval-id="${approvalId}"]`);
    await item.waitFor();
    expect(await text(item)).toContain(title);
    expect(await text(item)).toContain('From StreamCo');
    // 48 hours from a moment ago: 47 h 59 min and some seconds, shown in days and hours.
    expect(await text(item.getByTestId('time-left'))).toBe('due in 1 d 23 h');
    expect(await item.getByTestId('time-left').getAttribute('data-urgency')).toBe('later');
    // The inbox's order is the server's (most urgent first), and an overdue item is red.
    const inbox = await call<{ items: InboxItem[] }>(ownerToken, 'GET', '/approvals/inbox');
    const shownIds = await page.getByTestId('inbox-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-approval-id')));
    expect(shownIds).toEqual(inbox.body.items.map((i) => i.approval_id));
    const overdue = inbox.body.items.find((i) => i.time_left_ms < 0);
    if (overdue) {
      const badge = page.locator(`[data-testid="inbox-item"][data-approval-id="${overdue.approval_id}"]`).getByTestId('time-left');
      expect(await badge.getAttribute('data-urgency')).toBe('overdue');
      expect(await text(badge)).toMatch(/^overdue by /);
    }
    await shot(owner, 'approvals-inbox-1280');
    await noSidewaysOverflow(owner);
  });

  it('asks for a comment before requesting changes, then approves', async () => {
    const { page } = owner;
    const item = page.locator(`[data-testid="inbox-item"][data-approval-id="${approvalId}"]`);
    await item.getByRole('button', { name: 'Decide' }).click();
    const form = item.getByTestId('decision-form');
    await form.getByLabel('Request changes').check();
    await form.getByRole('button', { name: 'Request changes' }).click();
    expect(await text(form.locator('.field-error'))).toContain('a comment is required');
    // Nothing was sent: the request is still pending.
    expect((await call<Approval>(ownerToken, 'GET', `/activations/${activationId}/approvals/${approvalId}`)).body.state).toBe('pending');
    await shot(owner, 'approvals-comment-required');
    await form.getByLabel('Approve').check();
    await form.getByLabel(/Comment/).fill('Looks great.');
    await form.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(`Approve: “${title}” (host review) — recorded.`).waitFor();
    await eventually(() => item.count()).toBe(0);
    const after = await call<Approval>(ownerToken, 'GET', `/activations/${activationId}/approvals/${approvalId}`);
    expect(after.body.state).toBe('approved');
    expect(after.body.decisions.map((d) => [d.decision, d.comment])).toEqual([['approve', 'Looks great.']]);
  });

  it('shows the decision in the activation\'s approvals history', async () => {
    const { page } = owner;
    await page.goto(url(`/activations/${activationId}/approvals`));
    const item = page.locator(`[data-testid="approval-item"][data-approval-id="${approvalId}"]`);
    await item.waitFor();
    expect(await text(item)).toContain('Approved');
    await item.locator('summary', { hasText: 'History' }).click();
    const history = item.getByTestId('approval-history');
    expect(await text(history)).toContain('Round 1');
    expect(await text(history)).toContain('Olivia Okafor (you) on “host review”');
    expect(await text(history)).toContain('“Looks great.”');
    await shot(owner, 'approvals-activation-1280');
  });

  it('shows a request\'s history from the inbox and fits a phone', async () => {
    const phone = await session(390);
    await logIn(phone.page, USERS.owner.email, USERS.owner.password);
    await phone.page.goto(url('/approvals'));
    const first = phone.page.getByTestId('inbox-item').first();
    await first.waitFor();
    await first.getByRole('button', { name: 'History' }).click();
    await first.getByTestId('approval-history').waitFor();
    expect(await text(first.getByTestId('approval-steps'))).toMatch(/host review|brand/);
    await noSidewaysOverflow(phone);
    await shot(phone, 'approvals-inbox-390');
  });
});

describe('gate board', () => {
  it('highlights the current phase and reads each criterion as measured against expected', async () => {
    const felix = await session();
    const { page } = felix;
    const board = (await call<GateBoard>(ownerToken, 'GET', `/activations/${activationId}/gates`)).body;
    pilotTickedBefore = board.phases.find((p) => p.phase === 'pilot')!.checklist.find((m) => m.item_id === 'tracking_qa')?.checked ?? false;
    await logIn(page, USERS.facilitator.email, USERS.facilitator.password);
    await page.goto(url(`/activations/${activationId}/gates`));
    const steps = page.getByTestId('phase-steps');
    await steps.waitFor();
    expect(await text(steps)).toContain('Ideation');
    expect(await steps.locator('[aria-current="step"]').getAttribute('data-phase')).toBe(board.current_phase);
    const pilot = page.getByTestId('gate-pilot');
    expect(await pilot.getAttribute('data-state')).toBe(board.phases.find((p) => p.phase === 'pilot')!.state);
    // The demo's pilot gate needs CTR ≥ 0.8 % and CPA ≤ 40.
    const ctr = pilot.locator('[data-criterion="ctr"]');
    expect(await text(ctr)).toMatch(/^(Pass|Fail) CTR \d+(\.\d+)? % ≥ 0\.8 %$/);
    expect(await text(pilot.locator('[data-criterion="cpa"]'))).toMatch(/CPA [\d,]+\.\d\d ≤ 40$/);
    await shot(felix, 'gates-1280');
    await noSidewaysOverflow(felix);

    // The facilitator ticks "Tracking QA" and the API records it.
    const item = pilot.locator('[data-item="tracking_qa"]');
    const box = item.getByRole('checkbox');
    await eventually(() => box.isEnabled()).toBe(true);
    if (await box.isChecked()) {
      await box.uncheck();
      await eventually(() => box.isChecked()).toBe(false);
    }
    await box.check();
    await eventually(async () => (await text(item)).includes('Ticked by Felix Hart (you)')).toBe(true);
    const marks = (await call<GateBoard>(ownerToken, 'GET', `/activations/${activationId}/gates`)).body.phases.find((p) => p.phase === 'pilot')!.checklist;
    expect(marks.find((m) => m.item_id === 'tracking_qa')?.checked).toBe(true);
    await shot(felix, 'gates-ticked');

    // Felix may decide: the form is there; a go is refused before sending while a criterion fails.
    const decision = page.getByTestId('gate-decision');
    await decision.waitFor();
    await decision.getByLabel('Go', { exact: true }).check();
    await decision.getByRole('button', { name: 'Record decision' }).click();
    expect(await text(decision)).toContain('Give the reason for this decision.');
  });

  it('gives the viewer and a partner no checklist ticks and no go/no-go form', async () => {
    for (const who of [USERS.viewer, USERS.streamco]) {
      const s = await session();
      await logIn(s.page, who.email, who.password);
      // Opening the board only reads: what the caller may do comes with it (caller_may), so
      // nothing is sent that could write, and nothing is refused into the console.
      const sent: string[] = [];
      const consoleErrors: string[] = [];
      s.page.on('request', (r) => {
        if (r.method() !== 'GET') sent.push(`${r.method()} ${r.url()}`);
      });
      s.page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await s.page.goto(url(`/activations/${activationId}/gates`));
      const box = s.page.getByTestId('gate-pilot').locator('[data-item="tracking_qa"]').getByRole('checkbox');
      await box.waitFor();
      await s.page.waitForLoadState('networkidle');
      expect(await box.isDisabled()).toBe(true);
      expect(await s.page.getByTestId('gate-decision').count()).toBe(0);
      expect(sent).toEqual([]);
      expect(consoleErrors).toEqual([]);
      if (who === USERS.viewer) await shot(s, 'gates-viewer');
    }
  });

  it('fits a phone', async () => {
    const phone = await session(390);
    await logIn(phone.page, USERS.owner.email, USERS.owner.password);
    await phone.page.goto(url(`/activations/${activationId}/gates`));
    await phone.page.getByTestId('gate-board').waitFor();
    await noSidewaysOverflow(phone);
    await shot(phone, 'gates-390');
  });
});
