// Page helpers for the console tests: sign in as a persona, wait for a journey's stage, save
// screenshots under test-results/screenshots/. Browser errors are collected for the assertions.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const screenshotDir = join(process.cwd(), 'test-results', 'screenshots');

export interface ConsolePage {
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
}

export async function openConsole(context: BrowserContext, base: string, token: string): Promise<ConsolePage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused request (409 in a test that expects it) is the browser's own network log, not ours.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console.error: ${message.text()}`);
  });
  await page.goto(`${base}/pipeline`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor();
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Waits until Journey 360 shows the stage, by its key (the page shows the stage's label). */
export async function waitForStage(page: Page, stage: string | RegExp, timeout = 20_000): Promise<string> {
  const pattern = typeof stage === 'string' ? new RegExp(`^${stage}$`) : stage;
  const cell = page.getByTestId('journey-stage');
  const deadline = Date.now() + timeout;
  for (;;) {
    const key = (await cell.count()) > 0 ? ((await cell.getAttribute('data-stage')) ?? '') : '';
    if (pattern.test(key)) return key;
    if (Date.now() > deadline) throw new Error(`the journey did not reach ${String(stage)} within ${timeout} ms (it shows ${key || 'no stage'})`);
    await page.waitForTimeout(200);
  }
}

/** Waits until the journey rests (no longer `running`), so its buttons are the ones for the stage. */
export async function waitUntilSettled(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('.head-badges .status:not(.status-running)').waitFor({ timeout });
}
