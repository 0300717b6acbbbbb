// Numbers that agree, in Chromium: the quote editor's estimate, the quote, the order and the
// invoice show the same net, tax per VAT rate and gross on the journey page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, waitForStage, waitUntilSettled } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

const INTEREST = 'numbers-e2e';

/** The figures of one totals block, by row: net, tax-<rate>…, gross. */
async function figures(page: Page, label: string): Promise<Record<string, string>> {
  const block = page.locator(`table[data-totals="${label}"]`).first();
  await block.waitFor();
  const out: Record<string, string> = {};
  for (const row of await block.locator('tr').all())
    out[(await row.getAttribute('data-figure')) ?? '?'] = ((await row.locator('td').textContent()) ?? '').trim();
  return out;
}

describe('numbers that agree', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.database
      .db('response_rules')
      .insert({ id: 'rule-numbers', name: 'Numbers e2e', priority: 1, product_interest: INTEREST, team: 'numbers', owner_id: stack.userIds.rep });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the estimate, the quote, the order and the invoice with the same net, tax per rate and gross', async () => {
    const created = await stack.api<{ journeyId: string }>('rep', 'POST', '/v1/leads', {
      source: 'web_form',
      name: 'Nora Numbers',
      email: `nora.${Date.now()}@numbers.example`,
      company: 'Numbers AG',
      companySize: 1500,
      country: 'DE',
      productInterest: INTEREST,
    });
    const journeyId = created.body.journeyId;
    const { page } = await openConsole(browser.context, stack.base, stack.tokens.rep);
    await page.goto(`${stack.base}/journeys/${journeyId}`);
    await waitForStage(page, /^(qualification|opportunity)$/);
    await waitUntilSettled(page);
    const qualify = page.getByRole('button', { name: 'Qualify', exact: true });
    if (await qualify.isVisible()) await qualify.click();
    await waitForStage(page, 'opportunity');
    await waitUntilSettled(page);

    await page.getByRole('button', { name: 'Propose', exact: true }).click();
    await page.getByLabel('Product of line 1').selectOption('CAM-200');
    await page.getByLabel('Quantity of line 1').fill('9');
    await page.getByLabel('Discount of line 1 in percent').fill('7.5');
    await page.getByRole('button', { name: 'Add line' }).click();
    await page.getByLabel('Product of line 2').selectOption('HUB-1');
    await page.getByLabel('Quantity of line 2').fill('3');
    const estimate = await figures(page, 'Estimate');
    // The estimate has a tax row: net and gross differ by the VAT of the customer's country.
    expect(Object.keys(estimate)).toEqual(['net', 'tax-19', 'gross']);
    expect(estimate.net).not.toBe(estimate.gross);
    await screenshot(page, 'numbers-01-estimate');
    await page.getByRole('button', { name: 'Send proposal' }).click();
    await waitForStage(page, 'quote_sent', 30_000);
    await waitUntilSettled(page);
    const quoteLabel = (await page.locator('table[data-totals^="Quote "]').first().getAttribute('data-totals')) ?? '';
    expect(await figures(page, quoteLabel)).toEqual(estimate);

    // Accepted, confirmed and shipped through the API: the order and the invoice follow.
    const settle = async (stage: string) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const detail = await stack.api<{ stage: string; status: string }>('admin', 'GET', `/v1/journeys/${journeyId}`);
        if (detail.body.stage === stage && detail.body.status !== 'running') return;
        if (Date.now() > deadline) throw new Error(`journey stayed in ${detail.body.stage} (${detail.body.status})`);
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    await stack.api('rep', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'ACCEPT' });
    await settle('ordering');
    await stack.api('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settle('fulfilment');
    for (const type of ['PICKED', 'PACKED']) await stack.api('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type });
    await stack.api('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'SHIPPED', data: { carrier: 'DHL', trackingNumber: 'N1' } });
    await settle('awaiting_payment');

    await page.reload();
    await waitForStage(page, 'awaiting_payment');
    const orderLabel = (await page.locator('table[data-totals^="Order "]').first().getAttribute('data-totals')) ?? '';
    const invoiceLabel = (await page.locator('table[data-totals^="Invoice "]').first().getAttribute('data-totals')) ?? '';
    expect(await figures(page, quoteLabel)).toEqual(estimate);
    expect(await figures(page, orderLabel)).toEqual(estimate);
    expect(await figures(page, invoiceLabel)).toEqual(estimate);
    await screenshot(page, 'numbers-02-documents');
    expect.soft(await accessibilityViolations(page), 'the journey page with its documents').toEqual([]);
    await page.close();
  }, 150_000);
});
