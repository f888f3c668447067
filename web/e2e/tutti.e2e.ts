// End-to-end tests of the web UI against a real `tutti serve` seeded by `tutti demo`.
// Tests run in order and share the browser; each simulated user gets its own context.

import { beforeAll, describe, expect, it } from 'vitest';
import { demoActivationId, tokenFor } from './api.ts';
import { browserPerFile, eventually, logIn, rowTexts, screenshot, type Session, text, url } from './browser.ts';
import { BASE_URL, DEMO_ACTIVATION, DEMO_MARKETS, DEMO_PARTNERS, USERS } from './env.ts';

const MONEY = /(\p{Sc}\s?\d|\d[\d.,\s]*\s?(\p{Sc}|[A-Z]{3}\b))/u;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const editedDescription = `Edited by E2E ${stamp}: joint summer brief.`;

let activationId = '';
/** Nova Sports' private fields as the host owner sees them; StreamCo must never see them. */
const novaPrivate = { notes: '', amountMicros: '' };
const { open, sessions } = browserPerFile();

const session = (): Promise<Session> => open();

beforeAll(async () => {
  activationId = await demoActivationId(await tokenFor(USERS.owner));
});

describe('host owner', () => {
  let s: Session;

  it('wrong password shows "Email or password is incorrect"', async () => {
    s = await session();
    const { page } = s;
    await page.goto(BASE_URL + '/');
    await page.locator('input[name="email"]').waitFor();
    await eventually(() => page.url()).toContain('#/login');
    await page.locator('input[name="email"]').fill(USERS.owner.email);
    await page.locator('input[name="password"]').fill('definitely-not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const err = page.getByTestId('login-error');
    await err.waitFor();
    expect(await text(err)).toBe('Email or password is incorrect');
    expect(await page.getByTestId('userbox').count()).toBe(0);
    await screenshot(page, '01-login-wrong-password');
  });

  it('logs in and sees the demo activation in the list', async () => {
    const { page } = s;
    await logIn(page, USERS.owner.email, USERS.owner.password);
    expect(await text(page.getByTestId('user-org'))).toBe(USERS.owner.org);
    expect(await text(page.getByTestId('user-role'))).toBe('Owner');
    expect((await text(page.getByTestId('user-name'))).length).toBeGreaterThan(0);
    await page.getByTestId('activations-table').waitFor();
    const rows = await rowTexts(page, 'activations-table');
    const row = rows.find((r) => r.includes(DEMO_ACTIVATION));
    expect(row, 'activation row').toBeDefined();
    expect(row).toContain('Lead generation');
    expect(row).toContain('Acme Beverages');
    expect(row).toContain('Acme Beverages | 3 |'); // host org, partner count columns
    // Host owners may create activations.
    expect(await page.getByTestId('new-activation-form').isVisible()).toBe(true);
    await screenshot(page, '02-activations-owner');
  });

  it('opens the brief: three markets with zones, three partners, workstreams with RACI', async () => {
    const { page } = s;
    const partnersResp = page.waitForResponse((r) => r.url().includes('/partners') && r.request().method() === 'GET');
    await page.getByRole('link', { name: DEMO_ACTIVATION }).click();
    await page.getByTestId('activation-name').waitFor();
    const ownerView = ((await (await partnersResp).json()) as { items: { org_name: string; notes?: string; contribution?: { amount_micros: number } }[] }).items;
    const nova = ownerView.find((p) => p.org_name === 'Nova Sports');
    expect(nova?.notes, "the host sees Nova Sports' notes").toBeTruthy();
    expect(nova?.contribution?.amount_micros, "the host sees Nova Sports' contribution").toBeGreaterThan(0);
    novaPrivate.notes = nova!.notes!;
    novaPrivate.amountMicros = String(nova!.contribution!.amount_micros);
    await eventually(() => page.url()).toContain(`#/activations/${encodeURIComponent(activationId)}`);
    expect(await text(page.getByTestId('activation-name'))).toBe(DEMO_ACTIVATION);
    expect(await text(page.getByTestId('objective'))).toBe('Lead generation');

    const markets = await rowTexts(page, 'markets-table');
    expect(markets).toHaveLength(3);
    for (const [i, m] of DEMO_MARKETS.entries()) {
      expect(markets[i]).toContain(m.name);
      expect(markets[i]).toContain(m.tz);
      expect(markets[i]).toMatch(/\b\d{2}:\d{2}\b/); // current local time in that market
    }

    const partners = await rowTexts(page, 'partners-table');
    expect(partners).toHaveLength(3);
    for (const p of DEMO_PARTNERS) expect(partners.some((r) => r.startsWith(`${p} |`))).toBe(true);
    // The host owner sees partner contributions.
    const streamco = page.locator('[data-testid="partner-row"][data-org="StreamCo"] [data-col="contribution"]');
    expect(await text(streamco)).toMatch(MONEY);

    const workstreams = await rowTexts(page, 'workstreams-table');
    expect(workstreams.length).toBeGreaterThanOrEqual(2);
    const raci = page.getByTestId('workstreams-table').locator('.raci-letters');
    expect(await raci.count()).toBeGreaterThanOrEqual(workstreams.length);
    for (const l of await raci.allTextContents()) expect(l).toMatch(/^R?A?C?I?$/);
    expect(await page.getByRole('button', { name: 'Edit brief' }).isVisible()).toBe(true);
    await screenshot(page, '03-brief-owner');
  });

  it('edits the description; it is saved and survives a reload', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Edit brief' }).click();
    const form = page.getByTestId('edit-brief-form');
    await form.waitFor();
    await form.locator('textarea[name="description"]').fill(editedDescription);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/activations/')),
      form.getByRole('button', { name: 'Save brief' }).click(),
    ]);
    expect(resp.status()).toBe(200);
    expect(resp.request().headers()['x-csrf-token'], 'CSRF header on PATCH').toBeTruthy();
    await eventually(() => form.count()).toBe(0);
    expect(await text(page.getByTestId('description'))).toBe(editedDescription);
    await page.reload();
    await page.getByTestId('activation-name').waitFor();
    expect(await text(page.getByTestId('description'))).toBe(editedDescription);
    await screenshot(page, '04-brief-edited');
  });

  it('an invalid market time zone shows the field error next to markets and changes nothing', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Edit brief' }).click();
    const form = page.getByTestId('edit-brief-form');
    await form.waitFor();
    await form.getByLabel('Market 1 time zone').fill('Mars/Olympus');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/activations/')),
      form.getByRole('button', { name: 'Save brief' }).click(),
    ]);
    expect(resp.status()).toBeGreaterThanOrEqual(400);
    expect(resp.status()).toBeLessThan(500);
    const body = (await resp.json()) as { error?: { code?: string; message?: string; field?: string } };
    expect(body.error?.field ?? '').toMatch(/^\/?markets/);
    const fieldError = form.locator('[data-field="markets"] [data-field-error="markets"]');
    await fieldError.waitFor();
    // The server's message is shown next to the markets field (fragments get the field label).
    expect((await text(fieldError)).toLowerCase()).toContain(body.error!.message!.toLowerCase());
    expect(await form.getByLabel('Market 1 time zone').getAttribute('aria-invalid')).toBe('true');
    expect(await form.isVisible()).toBe(true); // still editing, input kept
    expect(await form.getByLabel('Market 1 time zone').inputValue()).toBe('Mars/Olympus');
    await screenshot(page, '05-brief-invalid-timezone');

    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.reload();
    await page.getByTestId('markets-table').waitFor();
    const markets = await rowTexts(page, 'markets-table');
    expect(markets).toHaveLength(3);
    expect(markets[0]).toContain('America/New_York');
    expect(await page.locator('body').textContent()).not.toContain('Mars/Olympus');
    expect(await text(page.getByTestId('description'))).toBe(editedDescription);
  });

  it('the audit trail shows the edit and a verified hash chain', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('audit-table').waitFor();
    await eventually(() => page.url()).toContain(`#/activations/${encodeURIComponent(activationId)}/audit`);
    const badge = page.getByTestId('chain-badge');
    expect(await badge.getAttribute('data-ok')).toBe('true');
    expect(await text(badge)).toMatch(/^✓ ?Chain verified \d+ entr(y|ies) · head [0-9a-f]{12}…?$/);

    const rows = await rowTexts(page, 'audit-table');
    const edit = rows.find((r) => r.includes(`Edited by E2E ${stamp}`));
    expect(edit, 'audit row of the description edit').toBeDefined();
    expect(edit).toContain('description');
    const ownerName = await text(page.getByTestId('user-name'));
    expect(edit).toContain(ownerName);
    // The rejected edit left no trace.
    expect(rows.some((r) => r.includes('Mars/Olympus'))).toBe(false);
    await screenshot(page, '06-audit-trail');
  });

  it('creates a new activation and lands on its brief', async () => {
    const { page } = s;
    const name = `E2E Launch ${stamp}`;
    await page.getByRole('link', { name: 'Activations', exact: true }).first().click();
    const form = page.getByTestId('new-activation-form');
    await form.waitFor();
    await form.locator('input[name="name"]').fill(name);
    await form.locator('select[name="objective"]').selectOption('retention');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/activations')),
      form.getByRole('button', { name: 'Create activation' }).click(),
    ]);
    expect(resp.status()).toBe(201);
    await eventually(async () => (await page.getByTestId('activation-name').isVisible()) && text(page.getByTestId('activation-name'))).toBe(name);
    expect(await text(page.getByTestId('objective'))).toBe('Retention');
    await page.getByRole('link', { name: 'Activations', exact: true }).first().click();
    await page.getByTestId('activations-table').waitFor();
    expect((await rowTexts(page, 'activations-table')).some((r) => r.includes(name))).toBe(true);
    await screenshot(page, '07-activations-after-create');
  });

  it('log out returns to the log-in page and ends the session', async () => {
    const { page } = s;
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout')),
      page.getByRole('button', { name: 'Log out' }).click(),
    ]);
    expect(resp.status()).toBe(204);
    await page.locator('input[name="email"]').waitFor();
    await eventually(() => page.url()).toContain('#/login');
    // The session is gone on the server too: protected pages send us back to log-in.
    await page.goto(url(`/activations/${encodeURIComponent(activationId)}`));
    await page.locator('input[name="email"]').waitFor();
    expect(await page.getByTestId('activation-name').count()).toBe(0);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    expect(me).toBe(401);
    await screenshot(page, '08-logged-out');
  });
});

describe('unrelated partner (Orbit Media)', () => {
  it('sees an empty list', async () => {
    const { page } = await session();
    await page.goto(BASE_URL + '/');
    await logIn(page, USERS.orbit.email, USERS.orbit.password);
    expect(await text(page.getByTestId('user-org'))).toBe(USERS.orbit.org);
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('activations-table').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(DEMO_ACTIVATION);
    expect(await page.getByTestId('new-activation-form').count()).toBe(0);
    await screenshot(page, '09-activations-orbit-empty');
  });

  it('opening the activation URL directly shows "not found" and no data', async () => {
    const page = sessions.at(-1)!.page;
    await page.goto(url(`/activations/${encodeURIComponent(activationId)}`));
    await page.getByTestId('activation-unavailable').waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    for (const leak of [DEMO_ACTIVATION, ...DEMO_PARTNERS, ...DEMO_MARKETS.map((m) => m.tz), editedDescription]) {
      expect(body).not.toContain(leak);
    }
    await screenshot(page, '10-activation-orbit-not-found');

    await page.goto(url(`/activations/${encodeURIComponent(activationId)}/audit`));
    await page.getByTestId('activation-unavailable').waitFor();
    expect(await page.getByTestId('audit-table').count()).toBe(0);
    expect((await page.locator('main').textContent()) ?? '').not.toContain(DEMO_ACTIVATION);
  });
});

describe('participating partner (StreamCo)', () => {
  it('a deep link survives log-in; sees its own contribution but not Nova Sports\' contribution or notes', async () => {
    const { page } = await session();
    // Not logged in: the deep link goes through the log-in page and comes back.
    await page.goto(url(`/activations/${encodeURIComponent(activationId)}`));
    await page.locator('input[name="email"]').waitFor();
    const partnersResp = page.waitForResponse((r) => r.url().includes('/partners') && r.request().method() === 'GET');
    await logIn(page, USERS.streamco.email, USERS.streamco.password);
    await page.getByTestId('activation-name').waitFor();
    expect(await text(page.getByTestId('activation-name'))).toBe(DEMO_ACTIVATION);
    expect(await text(page.getByTestId('user-role'))).toBe('Partner admin');

    // The API withholds other partners' private fields...
    const resp = await partnersResp;
    expect(resp.status()).toBe(200);
    const items = ((await resp.json()) as { items: Record<string, unknown>[] }).items;
    const nova = items.find((p) => p.org_name === 'Nova Sports');
    const own = items.find((p) => p.org_name === 'StreamCo');
    expect(nova).toBeDefined();
    expect(own).toBeDefined();
    expect(nova).not.toHaveProperty('contribution');
    expect(nova).not.toHaveProperty('notes');
    expect(own).toHaveProperty('contribution');

    // ...and the page shows it that way.
    const row = (org: string) => page.locator(`[data-testid="partner-row"][data-org="${org}"]`);
    await row('Nova Sports').waitFor();
    expect(await text(row('Nova Sports').locator('[data-col="contribution"]'))).toBe('Not shared');
    expect(await text(row('Nova Sports').locator('[data-col="notes"]'))).toBe('Not shared');
    expect(await text(row('Nova Sports').locator('[data-col="contribution"]'))).not.toMatch(MONEY);
    expect(await text(row('StreamCo').locator('[data-col="contribution"]'))).toMatch(MONEY);

    // Partners do not edit the host's brief.
    expect(await page.getByRole('button', { name: 'Edit brief' }).count()).toBe(0);
    expect(novaPrivate.notes, 'captured in the owner test').not.toBe('');
    expect(await page.content()).not.toContain(novaPrivate.notes.slice(0, 24));
    await screenshot(page, '11-brief-partner-streamco');

    // Nor does the audit trail leak them (before/after of Nova Sports' participation).
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('audit-table').waitFor();
    expect(await page.getByTestId('chain-badge').getAttribute('data-ok')).toBe('true');
    const html = await page.content();
    expect(html).not.toContain(novaPrivate.notes.slice(0, 24));
    expect(html).not.toContain(novaPrivate.amountMicros);
    await screenshot(page, '12-audit-partner-streamco');

    await page.getByRole('link', { name: 'Activations', exact: true }).first().click();
    await page.getByTestId('activations-table').waitFor();
    expect((await rowTexts(page, 'activations-table')).some((r) => r.includes(DEMO_ACTIVATION))).toBe(true);
    expect(await page.getByTestId('new-activation-form').count()).toBe(0);
    await screenshot(page, '13-activations-partner-streamco');
  });
});

describe('log-in throttling', () => {
  it('repeated failures show "Too many attempts, try again in N s" from Retry-After', async () => {
    const { page } = await session();
    await page.goto(url('/login'));
    // A per-account throttle on an address no one uses, so the demo accounts stay usable.
    const email = 'throttle-e2e@nowhere.example';
    let last = '';
    let status = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 15 && status !== 429; i++) {
      await page.locator('input[name="email"]').fill(email);
      await page.locator('input[name="password"]').fill(`wrong-${i}`);
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        page.getByRole('button', { name: 'Log in' }).click(),
      ]);
      status = resp.status();
      retryAfter = await resp.headerValue('retry-after');
      await page.getByTestId('login-error').waitFor();
      last = await text(page.getByTestId('login-error'));
      if (status === 401) expect(last).toBe('Email or password is incorrect');
    }
    expect(status).toBe(429);
    expect(retryAfter).toMatch(/^\d+$/);
    const m = /^Too many attempts, try again in (\d+) s$/.exec(last);
    expect(m, last).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(Number(retryAfter));
    expect(Number(m![1])).toBeGreaterThan(0);
    // The form stays locked while the countdown runs.
    await page.locator('input[name="password"]').fill('another-try');
    expect(await page.getByRole('button', { name: 'Log in' }).isDisabled()).toBe(true);
    await screenshot(page, '14-login-rate-limited');
  });
});
