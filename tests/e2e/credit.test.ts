// Customer credit in a real browser: a journey over-paid leaves its account credit; finance finds
// the account on the Cash page, refunds part of the credit with a reason, sees the credit note and
// opens its PDF; no serious or critical WCAG 2.1 AA violation found by axe-core.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

describe('customer credit on the Cash page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  async function settledIn(journeyId: string, ...stages: string[]): Promise<string> {
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const { body } = await stack.api<{ stage: string; status: string }>('admin', 'GET', `/v1/journeys/${journeyId}`);
      if (stages.includes(body.stage) && body.status !== 'running') return body.stage;
      if (Date.now() > deadline) throw new Error(`journey ${journeyId} is ${body.stage} (${body.status}), not resting in ${stages.join('|')}`);
    }
  }

  /** A journey of a new company walked through the API (as admin) and paid 3.00 more than its invoice. */
  async function overPaidJourney(company: string): Promise<string> {
    const tag = Date.now().toString(36);
    const lead = await stack.api<{ journeyId: string }>('admin', 'POST', '/v1/leads', {
      source: 'web_form',
      name: `Cleo Credit ${tag}`,
      email: `cleo.${tag}@credit-${tag}.example`,
      company,
      companySize: 1500,
      country: 'DE',
    });
    const id = lead.body.journeyId;
    const event = (body: unknown) => stack.api('admin', 'POST', `/v1/journeys/${id}/events`, body);
    if ((await settledIn(id, 'qualification', 'opportunity')) === 'qualification')
      await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'qualification', decision: 'approve' });
    await settledIn(id, 'opportunity');
    await event({ type: 'PROPOSE', data: { lines: [{ sku: 'SEN-5', quantity: 1 }] } });
    await settledIn(id, 'quote_sent');
    await event({ type: 'ACCEPT' });
    await settledIn(id, 'ordering');
    await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(id, 'fulfilment');
    for (const type of ['PICKED', 'PACKED']) await event({ type });
    await event({ type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1Z1' } });
    await settledIn(id, 'awaiting_payment');
    const invoice = (await stack.database.db('invoices').where({ journey_id: id }).first()) as { amount_due: string };
    const over = (Math.round(Number(invoice.amount_due) * 100) + 300) / 100;
    await event({ type: 'PAYMENT_RECEIVED', data: { amount: over.toFixed(2), currency: 'EUR', reference: `OVER-${tag}` } });
    if ((await settledIn(id, 'closed', 'overpayment_review')) === 'overpayment_review')
      await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'overpayment_review', decision: 'approve' });
    await settledIn(id, 'closed');
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

  it('lets finance refund part of an account credit and open the credit note', { timeout: 180_000 }, async () => {
    const company = `Credit GmbH ${Date.now().toString(36)}`;
    const journeyId = await overPaidJourney(company);
    const accountId = String((await stack.database.db('invoices').where({ journey_id: journeyId }).first('account_id')).account_id);

    opened = await openConsole(browser.context, stack.base, stack.tokens.finance);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Cash', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer credit', level: 2 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: company });
    await row.getByText('3.00 EUR').waitFor();
    await row.getByRole('button', { name: `Show credit of ${company}` }).click();

    const form = page.getByRole('form', { name: `Refund credit of ${company}` });
    await form.getByLabel('Amount').fill('2.00');
    await form.getByLabel('Reason').fill('Customer asked for the difference back');
    await screenshot(page, 'credit-refund');
    expect(await accessibilityViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Refund' }).click();

    const made = page.getByRole('status').filter({ hasText: /Credit note CN-\d{4}-000001 made for 2\.00 EUR\./ });
    await made.waitFor();
    await page.getByText('Available: 1.00 EUR').waitFor();
    const note = (await stack.database.db('credit_notes').where({ account_id: accountId }).first()) as { number: string; amount: string; reason: string };
    expect(note).toMatchObject({ amount: '2.00', reason: 'Customer asked for the difference back' });
    expect((await stack.database.db('customer_credits').where({ account_id: accountId }).first()).remaining).toBe('1.00');

    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: `Credit note ${note.number} as PDF` }).click();
    const pdf = await popup;
    await expect.poll(() => pdf.url()).toMatch(/^blob:/);
    await pdf.close();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(opened.errors).toEqual([]);
  });
});
