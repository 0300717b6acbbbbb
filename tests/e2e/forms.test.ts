// Web forms in a real browser: ops create a form on the Web forms page with its allowed origin and
// copy the HTML it shows; that HTML, served from the allowed origin, posts a lead without a token
// and starts a journey; a refused origin is named on the page; no serious or critical WCAG 2.1 AA
// violation found by axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

/** A company's web page: served by the browser's request routing, so its origin is a real one. */
const SHOP = 'http://shop.example';

describe('the Web forms page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  afterAll(async () => {
    await opened?.page.close();
    await browser?.close();
    await stack?.close();
  });

  it('creates a form whose HTML, on the allowed page, posts a lead that starts a journey', { timeout: 180_000 }, async () => {
    opened = await openConsole(browser.context, stack.base, stack.tokens.ops);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Web forms', exact: true }).click();
    await page.getByRole('heading', { name: 'Web forms', level: 1 }).waitFor();
    await page.getByText('No web forms yet.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // A path is refused, naming the field.
    await page.getByLabel('Name').fill('Shop contact');
    await page.getByLabel(/Allowed origins/).fill(`${SHOP}/contact`);
    await page.getByRole('button', { name: 'Create form' }).click();
    await page
      .getByRole('alert')
      .locator('li[data-path="body.allowedOrigins.0"]', { hasText: /^Allowed origin 1: / })
      .waitFor();

    await page.getByLabel(/Allowed origins/).fill(SHOP);
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.getByRole('status').getByText('Created the web form Shop contact').waitFor();
    const card = page.getByRole('article', { name: 'Web form Shop contact' });
    const snippet = await card.locator('pre.snippet').innerText();
    const formKey = (await stack.database.db('lead_forms').where({ name: 'Shop contact' }).first('key')) as { key: string };
    expect(snippet).toContain(`action="${stack.base}/v1/forms/${formKey.key}/leads"`);
    await card.getByText(SHOP).waitFor();
    await screenshot(page, 'web-forms');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(opened.errors).toEqual([]);

    // The copied HTML on the shop's page: a person fills it in and sends it, no token anywhere.
    const visitor = await browser.context.newPage();
    await visitor.route(`${SHOP}/contact`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><title>Contact</title><body>${snippet}</body></html>` }),
    );
    await visitor.goto(`${SHOP}/contact`);
    const tag = Date.now().toString(36);
    const email = `visitor.${tag}@shop-customer.example`;
    await visitor.getByLabel('Name').fill(`Vera Visitor ${tag}`);
    await visitor.getByLabel('Email').fill(email);
    await visitor.getByLabel('Message').fill('Do you ship to Austria?');
    const answer = visitor.waitForResponse((r) => r.url().includes(`/v1/forms/${formKey.key}/leads`));
    await visitor.getByRole('button', { name: 'Send' }).click();
    expect((await answer).status()).toBe(202);
    await visitor.getByRole('heading', { name: 'Thank you', level: 1 }).waitFor();
    await expect
      .poll(async () => (await stack.database.db('leads').where({ email }).first('source')) as { source: string } | undefined, { timeout: 30_000 })
      .toEqual({ source: 'web_form' });
    await visitor.close();

    // Another site with the same HTML is refused.
    const stranger = await browser.context.newPage();
    await stranger.route('http://elsewhere.example/', (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><title>Copy</title><body>${snippet}</body></html>` }),
    );
    await stranger.goto('http://elsewhere.example/');
    await stranger.getByLabel('Name').fill('Copy Cat');
    await stranger.getByLabel('Email').fill(`copy.${tag}@elsewhere.example`);
    const refused = stranger.waitForResponse((r) => r.url().includes(`/v1/forms/${formKey.key}/leads`));
    await stranger.getByRole('button', { name: 'Send' }).click();
    expect((await refused).status()).toBe(403);
    expect(
      await stack.database
        .db('leads')
        .where({ email: `copy.${tag}@elsewhere.example` })
        .count('* as n'),
    ).toEqual([{ n: '0' }]);
    await stranger.close();
  });
});
