// The unsubscribe link of a nurture email, opened in a real browser as the customer would: a page
// that asks first (following the link alone changes nothing), then its button opts the address out;
// no serious or critical WCAG 2.1 AA violation found by axe-core on either page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { screenshot } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

describe('the unsubscribe page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium({ width: 390, height: 844 })]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks first, then opts the address out with its button', { timeout: 120_000 }, async () => {
    const { db } = stack.database;
    // The link a nurture email carries (activities/nurture.ts writes the same row).
    const token = `e2e${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const email = `grace.${Date.now().toString(36)}@customer.example`;
    await db('unsubscribe_tokens').insert({ token, email, journey_id: 'jrn_e2e_unsubscribe' });
    const optedOut = () => db('email_unsubscribes').where({ email });

    const page = await browser.context.newPage();
    const shown = await page.goto(`${stack.base}/v1/unsubscribe/${token}`);
    expect(shown?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Stop these emails?', level: 1 }).waitFor();
    expect(await optedOut()).toHaveLength(0);
    await screenshot(page, 'unsubscribe-ask');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed', level: 1 }).waitFor();
    expect(await optedOut()).toHaveLength(1);
    await screenshot(page, 'unsubscribe-done');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A link that is not ours says so.
    const unknown = await page.goto(`${stack.base}/v1/unsubscribe/${token}x`);
    expect(unknown?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Link not recognised', level: 1 }).waitFor();
    await page.close();
  });
});
