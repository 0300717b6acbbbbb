// Purchase orders in a real browser: a journey short of stock shows its backorder; the warehouse
// receives the purchase order in two parts on the Purchase orders page, and the journey goes on
// by itself; screenshots, and no serious or critical WCAG 2.1 AA violation found by axe-core.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

describe('the Purchase orders page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  async function journey(journeyId: string): Promise<{ stage: string; status: string; allowedEvents: string[] }> {
    return (await stack.api<{ stage: string; status: string; allowedEvents: string[] }>('admin', 'GET', `/v1/journeys/${journeyId}`)).body;
  }

  async function settledIn(journeyId: string, ...stages: string[]): Promise<void> {
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const body = await journey(journeyId);
      if (stages.includes(body.stage) && body.status !== 'running') return;
      if (Date.now() > deadline) throw new Error(`journey ${journeyId} is ${body.stage} (${body.status}), not resting in ${stages.join('|')}`);
    }
  }

  /** A journey walked through the API (as admin) into fulfilment, ordering `quantity` of `sku`. */
  async function journeyInFulfilment(sku: string, quantity: number): Promise<string> {
    const tag = Date.now().toString(36);
    const lead = await stack.api<{ journeyId: string }>('admin', 'POST', '/v1/leads', {
      source: 'web_form',
      name: `Paula Parts ${tag}`,
      email: `paula.${tag}@parts-gmbh.example`,
      company: `Parts GmbH ${tag}`,
      companySize: 1500,
      country: 'DE',
    });
    const id = lead.body.journeyId;
    const event = (body: unknown) => stack.api('admin', 'POST', `/v1/journeys/${id}/events`, body);
    await settledIn(id, 'qualification', 'opportunity');
    if ((await journey(id)).stage === 'qualification')
      await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'qualification', decision: 'approve' });
    await settledIn(id, 'opportunity');
    await event({ type: 'PROPOSE', data: { lines: [{ sku, quantity }] } });
    await settledIn(id, 'quote_sent');
    await event({ type: 'ACCEPT' });
    await settledIn(id, 'ordering');
    await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(id, 'fulfilment');
    return id;
  }

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

  it('shows the backorder, receives the purchase order in parts, and the journey goes on', { timeout: 180_000 }, async () => {
    const sku = `TST-E2E-${Date.now().toString(36)}`;
    await stack.database.db('products').insert({ sku, name: 'Test bracket', category: 'test', supplier: 'Bracket Works' });
    await stack.database.db('price_book').insert({ sku, currency: 'EUR', unit_price: '5.00' });
    await stack.database.db('stock').insert({ sku, on_hand: 0 });
    const journeyId = await journeyInFulfilment(sku, 3);
    const po = (await stack.database
      .db('purchase_orders')
      .join('sales_orders', 'sales_orders.id', 'purchase_orders.order_id')
      .where('sales_orders.journey_id', journeyId)
      .first('purchase_orders.number')) as {
      number: string;
    };

    opened = await openConsole(browser.context, stack.base, stack.tokens.warehouse);
    const { page } = opened;
    await page.goto(`${stack.base}/journeys/${journeyId}`);
    const backorder = page.locator('.doc-group').filter({ has: page.getByRole('heading', { name: 'Backorder' }) });
    await backorder.getByText(`3 × ${sku} · Test bracket short`).waitFor();
    await backorder.getByText(`${po.number} (Open, 0 of 3 received)`).waitFor();
    await screenshot(page, 'journey-backorder');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Purchase orders', exact: true }).click();
    await page.getByRole('heading', { name: 'Purchase orders', level: 1 }).waitFor();
    const card = page.getByRole('article', { name: `Purchase order ${po.number}` });
    const quantity = card.getByLabel(`${sku} received (at most 3)`);
    expect(await quantity.inputValue()).toBe('3');
    await quantity.fill('1');
    await card.getByRole('button', { name: 'Receive' }).click();
    await page.getByRole('status').getByText(`Received on ${po.number}: 1 × ${sku}. No waiting order can be served in full yet.`).waitFor();
    await screenshot(page, 'purchase-orders');
    expect(await accessibilityViolations(page)).toEqual([]);

    const rest = page.getByRole('article', { name: `Purchase order ${po.number}` }).getByLabel(`${sku} received (at most 2)`);
    expect(await rest.inputValue()).toBe('2');
    await page
      .getByRole('article', { name: `Purchase order ${po.number}` })
      .getByRole('button', { name: 'Receive' })
      .click();
    await page.getByRole('status').getByText(`Received on ${po.number}: 2 × ${sku}. Restocked 1 waiting journey.`).waitFor();
    await page.getByText('No open purchase orders.').waitFor();
    await expect.poll(async () => (await journey(journeyId)).allowedEvents, { timeout: 20_000 }).toContain('PICKED');
    expect(opened.errors).toEqual([]);
  });
});
