// The Cash page in a real browser: finance uploads a camt.053 statement whose one line only
// suggests an invoice (same amount, no reference), allocates it from the queue, and the journey
// is paid; the journey page opens the invoice's PDF; a screenshot, and no serious or critical
// WCAG 2.1 AA violation found by axe-core.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camt053 } from '../helpers/camt053';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

describe('the Cash page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'l2c-statement-'));

  /** Waits until the journey rests in one of `stages`; answers which. */
  async function settledIn(journeyId: string, ...stages: string[]): Promise<string> {
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const { body } = await stack.api<{ stage: string; status: string }>('admin', 'GET', `/v1/journeys/${journeyId}`);
      if (stages.includes(body.stage) && body.status !== 'running') return body.stage;
      if (Date.now() > deadline) throw new Error(`journey ${journeyId} is ${body.stage} (${body.status}), not resting in ${stages.join('|')}`);
    }
  }

  /** A journey walked through the API (as admin) until its invoice waits for payment. */
  async function journeyAwaitingPayment(): Promise<string> {
    const tag = Date.now().toString(36);
    const lead = await stack.api<{ journeyId: string }>('admin', 'POST', '/v1/leads', {
      source: 'web_form',
      name: `Carla Cash ${tag}`,
      email: `carla.${tag}@cash-gmbh.example`,
      company: `Cash GmbH ${tag}`,
      companySize: 1500,
      country: 'DE',
    });
    const id = lead.body.journeyId;
    const event = (body: unknown) => stack.api('admin', 'POST', `/v1/journeys/${id}/events`, body);
    if ((await settledIn(id, 'qualification', 'opportunity')) === 'qualification')
      await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'qualification', decision: 'approve' });
    await settledIn(id, 'opportunity');
    await event({ type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
    await settledIn(id, 'quote_sent');
    await event({ type: 'ACCEPT' });
    await settledIn(id, 'ordering');
    await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(id, 'fulfilment');
    for (const type of ['PICKED', 'PACKED']) await event({ type });
    await event({ type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1Z1' } });
    await settledIn(id, 'awaiting_payment');
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
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a statement, allocates the suggested line from the queue, and passes axe-core', { timeout: 180_000 }, async () => {
    const journeyId = await journeyAwaitingPayment();
    const invoice = (await stack.database.db('invoices').where({ journey_id: journeyId }).first()) as { id: string; number: string; amount_due: string };
    const file = join(dir, 'statement.xml');
    writeFileSync(
      file,
      camt053({
        version: '08',
        id: 'E2E-1',
        entries: [
          { amount: invoice.amount_due, acctSvcrRef: 'E2E-1-A', details: [{ name: 'Cash GmbH', iban: 'DE44500105175407324931', ustrd: ['thank you'] }] },
        ],
      }),
    );

    opened = await openConsole(browser.context, stack.base, stack.tokens.finance);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Cash', exact: true }).click();
    await page.getByRole('heading', { name: 'Cash', level: 1 }).waitFor();
    await page.getByLabel('Statement file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import statement' }).click();
    await page.getByRole('status').getByText('Imported 1 lines: 0 matched, 1 suggested, 0 unmatched, 0 already imported.').waitFor();

    const line = page.getByRole('article').filter({ hasText: 'thank you' });
    await line.getByRole('list', { name: 'Candidate invoices' }).getByText(`${invoice.number}`).waitFor();
    await expect.poll(() => line.textContent()).toContain("the amount equals the invoice's amount due");
    expect(await line.getByLabel('Invoice', { exact: true }).inputValue()).toBe(invoice.id);
    expect(await line.getByLabel('Amount (EUR)', { exact: true }).inputValue()).toBe(invoice.amount_due);
    await screenshot(page, 'cash-queue');
    expect(await accessibilityViolations(page)).toEqual([]);

    await line.getByRole('button', { name: 'Allocate' }).click();
    await page.getByText('No suggested bank lines.').waitFor();
    await page.getByLabel('Line state').selectOption('matched');
    await page
      .getByRole('article')
      .filter({ hasText: 'thank you' })
      .getByText(/Allocated .*\(Manual\)/)
      .waitFor();
    await settledIn(journeyId, 'closed');
    const payments = await stack.database.db('payments').where({ invoice_id: invoice.id }).count('* as n').first();
    expect(payments).toEqual({ n: '1' });

    // The journey page opens the invoice's PDF (fetched with the session's token).
    await page.goto(`${stack.base}/journeys/${journeyId}`);
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: `Invoice ${invoice.number} as PDF` }).click();
    const pdf = await popup;
    await expect.poll(() => pdf.url()).toMatch(/^blob:/);
    await pdf.close();
    expect(opened.errors).toEqual([]);
  });
});
