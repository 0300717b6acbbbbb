// Order add-ons in a real browser: a sales rep opens a journey whose order waits for its
// confirmation, adds a suggested accessory with its Add button, and sees the order's new total;
// a screenshot, and no serious or critical WCAG 2.1 AA violation found by axe-core.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

/** Leads with this interest go to the test's sales rep (a response rule added below). */
const INTEREST = 'order-add-ons-e2e';

describe('order add-ons on the journey page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  async function journey(journeyId: string): Promise<{ stage: string; status: string; owner: { id: string } | null }> {
    return (await stack.api<{ stage: string; status: string; owner: { id: string } | null }>('admin', 'GET', `/v1/journeys/${journeyId}`)).body;
  }

  async function settledIn(journeyId: string, ...stages: string[]): Promise<void> {
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const body = await journey(journeyId);
      if (stages.includes(body.stage) && body.status !== 'running') return;
      if (Date.now() > deadline) throw new Error(`journey ${journeyId} is ${body.stage} (${body.status}), not resting in ${stages.join('|')}`);
    }
  }

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.database
      .db('response_rules')
      .insert({ id: 'rule-order-add-ons', name: 'Order add-ons e2e', priority: 1, product_interest: INTEREST, team: 'console', owner_id: stack.userIds.rep });
  });

  afterAll(async () => {
    await opened?.page.close();
    await browser?.close();
    await stack?.close();
  });

  it('lets a sales rep add a suggested accessory and shows the new order total', { timeout: 180_000 }, async () => {
    const tag = Date.now().toString(36);
    const created = await stack.api<{ journeyId: string }>('rep', 'POST', '/v1/leads', {
      source: 'web_form',
      name: `Otto Order ${tag}`,
      email: `otto.${tag}@order-gmbh.example`,
      company: `Order GmbH ${tag}`,
      companySize: 1500,
      country: 'DE',
      productInterest: INTEREST,
    });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    const id = created.body.journeyId;
    await settledIn(id, 'qualification', 'opportunity');
    expect((await journey(id)).owner?.id).toBe(stack.userIds.rep);
    if ((await journey(id)).stage === 'qualification')
      await stack.api('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'qualification', decision: 'approve' });
    await settledIn(id, 'opportunity');
    await stack.api('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
    await settledIn(id, 'quote_sent');
    await stack.api('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'ACCEPT' });
    await settledIn(id, 'ordering');

    opened = await openConsole(browser.context, stack.base, stack.tokens.rep);
    const { page } = opened;
    await page.goto(`${stack.base}/journeys/${id}`);
    const total = page.getByTestId('order-total');
    // One smart hub: 89.00 + 19% VAT.
    await total.getByText(/105\.91/).waitFor();
    const suggestions = page.getByRole('region', { name: /Suggested for order/ });
    await suggestions.getByText('goes with HUB-1').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await suggestions.getByRole('button', { name: 'Add Power supply 12 V to the order' }).click();
    // With one power supply: 105.91 + 12.00 + 2.28 VAT = 120.19.
    await total.getByText(/120\.19/).waitFor({ timeout: 30_000 });
    await suggestions.locator('tr[data-suggestion="PSU-12"]').getByText('On the order').waitFor();
    await screenshot(page, 'journey-order-add-ons');
    expect(await accessibilityViolations(page)).toEqual([]);

    const view = await stack.api<{ documents: { order: { total: { amount: string }; lines: { sku: string; quantity: number }[] } } }>(
      'rep',
      'GET',
      `/v1/journeys/${id}`,
    );
    expect(view.body.documents.order.total.amount).toBe('120.19');
    expect(view.body.documents.order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['HUB-1', 1],
      ['PSU-12', 1],
    ]);
    expect(opened.errors).toEqual([]);
  });
});
