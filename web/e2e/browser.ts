// Browser plumbing for the E2E tests: system Chromium through playwright-core (no browser
// downloads), one isolated context per simulated user, screenshots to web/test-results/.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { BASE_URL, CHROMIUM_ARGS, CHROMIUM_PATH } from './env.ts';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // launch() gives the browser a fresh, empty temporary user-data-dir, removed on close.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in the page: every test asserts there are none. */
  pageErrors: string[];
}

export async function newSession(browser: Browser): Promise<Session> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: 1360, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page, pageErrors };
}

/**
 * The browser of one E2E file and the sessions it opens, with the hooks every file needs:
 * Chromium starts before the file's own beforeAll hooks (call this first, at the top level); after
 * each test no page of any session may have thrown an uncaught exception; at the end every context
 * and the browser close, after the file's own afterAll hooks. `open(width)` starts a tracked
 * session, at that viewport width when given.
 */
export function browserPerFile(): { open: (width?: number) => Promise<Session>; sessions: Session[] } {
  let browser: Browser | undefined;
  const sessions: Session[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(() => {
    for (const s of sessions) {
      const errors = s.pageErrors.splice(0);
      expect(errors, 'uncaught page errors').toEqual([]);
    }
  });
  afterAll(async () => {
    for (const s of sessions) await s.context.close().catch(() => {});
    await browser?.close();
  });
  const open = async (width?: number): Promise<Session> => {
    const s = await newSession(browser!);
    if (width !== undefined) await s.page.setViewportSize({ width, height: 900 });
    sessions.push(s);
    return s;
  };
  return { open, sessions };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}

export function url(hashPath: string): string {
  return `${BASE_URL}/#${hashPath}`;
}

/** Logs in through the log-in form and waits for the signed-in header. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  if (!(await page.locator('form input[name="email"]').isVisible().catch(() => false))) {
    await page.goto(url('/login'));
  }
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('userbox').waitFor();
}

/** Polls a locator's text until the assertion holds (Playwright-style auto-waiting). */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent({ timeout: 10_000 })) ?? '').replace(/\s+/g, ' ').trim();
}

export function eventually<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 10_000, interval: 100 });
}

/** Text of every row of a table (by data-testid), one string per row, cells joined by " | ". */
export async function rowTexts(page: Page, tableTestId: string): Promise<string[]> {
  const rows = page.getByTestId(tableTestId).locator('tbody tr');
  await rows.first().waitFor({ timeout: 10_000 });
  return rows.evaluateAll((trs) =>
    trs.map((tr) =>
      Array.from(tr.querySelectorAll('th, td'))
        .map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())
        .join(' | '),
    ),
  );
}
