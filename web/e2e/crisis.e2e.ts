// End-to-end test of the crisis tab on "Summer Splash 2026": the owner reaches it from the gate
// board's tabs, reads the incident roster in call order (Felix Hart, the incident lead, first,
// with a dialable phone) and the demo's three crisis templates with their badges, and copies a
// statement; StreamCo sees the same tab and its "Approve version N" attempt on the draft shows
// the server's refusal on the card, with nothing approved; the page fits a phone. Nothing here
// approves anything, so the suite runs again on one server; should someone else have approved
// the outage apology, beforeAll revises it (same text) so that its latest version is a draft.

import { beforeAll, describe, expect, it } from 'vitest';
import type { CrisisTemplate, ItemList } from '../src/types.ts';
import { call, demoActivationId, tokenFor } from './api.ts';
import { browserPerFile, eventually, logIn, RESULTS_DIR, rowTexts, type Session, text, url } from './browser.ts';
import { USERS } from './env.ts';

const SHOTS = process.env.TUTTI_SHOTS_DIR ?? RESULTS_DIR;
const RECALL = 'Pause statement: product recall';
const ATHLETE = 'Athlete controversy holding line';
const OUTAGE = 'Launch-night outage apology';
let activationId = '';
let ownerToken = '';
const { open } = browserPerFile();

const session = (width = 1280): Promise<Session> => open(width);

async function templates(): Promise<CrisisTemplate[]> {
  const r = await call<ItemList<CrisisTemplate>>(ownerToken, 'GET', `/activations/${activationId}/crisis-templates`);
  expect(r.status).toBe(200);
  return r.body.items ?? [];
}

async function template(title: string): Promise<CrisisTemplate> {
  const t = (await templates()).find((x) => x.title === title);
  expect(t, `"${title}" among the demo's crisis templates`).toBeTruthy();
  return t!;
}

/** "21 Nov 2026" for an instant, as the browser (en-US, UTC) shows an approval's day. */
function dayUtc(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;
}

function card(s: Session, title: string) {
  return s.page.getByTestId('crisis-template').filter({ has: s.page.getByRole('heading', { name: title, exact: true }) });
}

beforeAll(async () => {
  ownerToken = await tokenFor(USERS.owner);
  activationId = await demoActivationId(ownerToken);
  const outage = await template(OUTAGE);
  if (outage.pre_approved) {
    const { title, situation, body, channels, version } = outage;
    const r = await call(ownerToken, 'PUT', `/activations/${activationId}/crisis-templates/${outage.id}`, { title, situation, body, channels, version });
    expect(r.status, 'revising the approved outage apology back to a draft').toBe(200);
  }
});

describe('crisis tab', () => {
  let owner: Session;

  it('shows the owner the incident roster in call order with dialable phones', async () => {
    owner = await session();
    const { page } = owner;
    await logIn(page, USERS.owner.email, USERS.owner.password);
    await page.goto(url(`/activations/${activationId}/gates`));
    await page.getByRole('navigation', { name: 'Activation' }).getByRole('link', { name: 'Crisis' }).click();
    await page.getByTestId('incident-roster').waitFor();
    await eventually(() => page.url()).toContain(`#/activations/${activationId}/crisis`);
    const tabs = await page.getByRole('navigation', { name: 'Activation' }).getByRole('link').allTextContents();
    expect(tabs.indexOf('Crisis')).toBe(tabs.indexOf('Gates') + 1);
    expect(await rowTexts(page, 'incident-roster')).toEqual([
      '1 | Incident lead | Felix Hart | Olivia Okafor (you) | +1 555 0100',
      '2 | Brand owner | Olivia Okafor (you) | — | +1 555 0101',
      '3 | Social desk | Wanda Lee | Felix Hart | +1 555 0102',
      '4 | Media partner | Sam Rivera | — | +44 20 7946 0018',
      '5 | Athlete relations | Nina Petrova | — | +1 555 0147',
    ]);
    const phones = await page.getByTestId('incident-roster').locator('tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(phones).toEqual(['tel:+15550100', 'tel:+15550101', 'tel:+15550102', 'tel:+442079460018', 'tel:+15550147']);
  });

  it('shows the three templates with their approval badges and channels', async () => {
    const { page } = owner;
    const titles = await page.getByTestId('crisis-template').locator('h3').allTextContents();
    expect([...titles].sort()).toEqual([ATHLETE, OUTAGE, RECALL].sort());
    for (const title of [RECALL, ATHLETE]) {
      const t = await template(title);
      expect(t.pre_approved).toBe(true);
      expect(await text(card(owner, title).getByTestId('template-badge'))).toBe(`Pre-approved by Felix Hart, ${dayUtc(t.approved_at!)}`);
      expect(await card(owner, title).getByRole('button', { name: /^Approve version/ }).count()).toBe(0);
    }
    const outage = await template(OUTAGE);
    const draft = card(owner, OUTAGE);
    expect(await text(draft.getByTestId('template-badge'))).toBe('Draft — not approved');
    expect(await draft.getByTestId('template-channels').locator('li').allTextContents()).toEqual(['Instagram', 'X']);
    expect(await text(draft.getByTestId('template-body'))).toBe(outage.body.replace(/\s+/g, ' ').trim());
    expect(await draft.getByRole('button', { name: `Approve version ${outage.version}` }).count()).toBe(1);
    expect(await card(owner, RECALL).getByTestId('template-channels').locator('li').allTextContents()).toEqual(['Instagram', 'TikTok', 'Press']);
    await page.screenshot({ path: `${SHOTS}/crisis-1280.png`, fullPage: true, animations: 'disabled' });
  });

  it('copies a statement to the clipboard', async () => {
    const { page, context } = owner;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const recall = card(owner, RECALL);
    await recall.getByRole('button', { name: 'Copy text' }).click();
    await recall.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe((await template(RECALL)).body);
  });

  it("shows StreamCo the same tab and the server's refusal of its approval", async () => {
    const sam = await session();
    const { page } = sam;
    await logIn(page, USERS.streamco.email, USERS.streamco.password);
    await page.goto(url(`/activations/${activationId}/crisis`));
    const rows = await rowTexts(page, 'incident-roster');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^1 \| Incident lead \| Felix Hart \| /);
    expect(rows[3]).toContain('Sam Rivera (you)');
    const recall = await template(RECALL);
    expect(await text(card(sam, RECALL).getByTestId('template-badge'))).toBe(`Pre-approved by Felix Hart, ${dayUtc(recall.approved_at!)}`);
    const draft = card(sam, OUTAGE);
    expect(await text(draft.getByTestId('template-badge'))).toBe('Draft — not approved');
    const before = await template(OUTAGE);
    await draft.getByRole('button', { name: `Approve version ${before.version}` }).click();
    expect(await text(draft.getByTestId('approve-refusal'))).toBe("pre-approving a crisis template is for the host's owners and facilitators, in person");
    expect(await text(draft.getByTestId('template-badge'))).toBe('Draft — not approved');
    const after = await template(OUTAGE);
    expect(after.pre_approved).toBe(false);
    expect(after.version).toBe(before.version);
  });

  it('fits a phone', async () => {
    const phone = await session(390);
    await logIn(phone.page, USERS.owner.email, USERS.owner.password);
    await phone.page.goto(url(`/activations/${activationId}/crisis`));
    await phone.page.getByTestId('crisis-templates').waitFor();
    await eventually(() => phone.page.getByTestId('roster-entry').count()).toBe(5);
    const [scroll, client] = await phone.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll, 'page width').toBeLessThanOrEqual(client);
    // Every phone number is whole on screen, not cut off by a scrolled table.
    const cut = await phone.page.getByTestId('incident-roster').locator('tbody a').evaluateAll((as) => as.filter((a) => a.getBoundingClientRect().right > document.documentElement.clientWidth).length);
    expect(cut).toBe(0);
    await phone.page.screenshot({ path: `${SHOTS}/crisis-390.png`, fullPage: true, animations: 'disabled' });
  });
});
