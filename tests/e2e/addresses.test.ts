// The journey page's addresses in a real browser: a sales rep finds no billing address, is told
// which field is missing when saving an incomplete one, completes it, and sees it on the page and
// in the API; a screenshot, and no serious or critical WCAG 2.1 AA violation found by axe-core.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

/** Leads with this interest go to the test's sales rep (a response rule added below). */
const INTEREST = 'addresses-e2e';

describe('addresses on the journey page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.database
      .db('response_rules')
      .insert({ id: 'rule-addresses', name: 'Addresses e2e', priority: 1, product_interest: INTEREST, team: 'console', owner_id: stack.userIds.rep });
  });

  afterAll(async () => {
    await opened?.page.close();
    await browser?.close();
    await stack?.close();
  });

  it('lets a sales rep complete the billing address, naming a missing field first', async () => {
    const tag = Date.now().toString(36);
    const created = await stack.api<{ journeyId: string }>('rep', 'POST', '/v1/leads', {
      source: 'phone',
      name: `Ada Address ${tag}`,
      email: `ada.${tag}@address-gmbh.example`,
      company: `Address GmbH ${tag}`,
      country: 'DE',
      productInterest: INTEREST,
    });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    const journeyId = created.body.journeyId;
    for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
      const { body } = await stack.api<{ addresses: unknown; owner: { id: string } | null }>('admin', 'GET', `/v1/journeys/${journeyId}`);
      if (body.addresses && body.owner?.id === stack.userIds.rep) break;
      if (Date.now() > deadline) throw new Error(`journey ${journeyId} has no captured lead for the rep yet`);
    }

    opened = await openConsole(browser.context, stack.base, stack.tokens.rep);
    const { page } = opened;
    await page.goto(`${stack.base}/journeys/${journeyId}`);
    await page.getByTestId('billing-address').getByText('No billing address').waitFor();
    await page.getByRole('button', { name: 'Edit addresses' }).click();

    const billing = page.getByRole('group', { name: 'Billing address', exact: true });
    await billing.getByLabel('Street and number').fill('Friedrichstrasse 123');
    await billing.getByLabel('City').fill('Berlin');
    await billing.getByLabel('Country (ISO code, e.g. DE)').fill('DE');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The addresses were not saved' });
    // The missing field is named in words, in a sentence, not by its request path.
    await refusal
      .locator('li[data-path="body.billingAddress.postalCode"]', { hasText: /^Billing address, postal code: / })
      .first()
      .waitFor();
    expect.soft(await accessibilityViolations(page), 'the address form with a refusal').toEqual([]);
    await screenshot(page, 'addresses-01-refused');

    await billing.getByLabel('Postal code').fill('10117');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await page.getByTestId('billing-address').getByText('10117 Berlin').waitFor();
    await expect.poll(() => page.getByTestId('billing-address').textContent()).toContain('Friedrichstrasse 123');
    expect(await page.getByTestId('shipping-address').textContent()).toContain('goods go to the billing address');
    expect.soft(await accessibilityViolations(page), 'the journey page with addresses').toEqual([]);
    await screenshot(page, 'addresses-02-saved');

    const { body } = await stack.api<{ addresses: { billing: unknown; shipping: unknown } }>('admin', 'GET', `/v1/journeys/${journeyId}`);
    expect(body.addresses).toMatchObject({ billing: { line1: 'Friedrichstrasse 123', postalCode: '10117', city: 'Berlin', country: 'DE' }, shipping: null });
    expect(opened.errors).toEqual([]);
  });
});
