// Each role's work queue in a real browser: work seeded through the API lands in the queue of the
// role that must act, which is the page the role lands on after sign-in (key presses counted), its
// count in the navigation, each card saying why it waits. A rep capturing a lead routed to someone
// else sees where it went. Every queue is axe-clean and photographed at phone width (390 px).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { screenshot } from './console';
import { startConsoleStack, type ConsoleStack, type Persona } from './server';

/** Leads with this interest go to the test's sales rep. */
const INTEREST = 'queues-e2e';
const MAX_PRESSES = 5;
const DAY = 86_400_000;

describe('the work queues', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  const pages: Page[] = [];
  const browserErrors: string[] = [];
  const seeded = { approval: '', shortage: '', overdue: '', mine: '' };
  let sku = '';

  async function journey(id: string): Promise<{ stage: string; status: string }> {
    return (await stack.api<{ stage: string; status: string }>('admin', 'GET', `/v1/journeys/${id}`)).body;
  }

  async function journeyOwner(id: string): Promise<string | undefined> {
    return (await stack.api<{ owner: { id: string } | null }>('admin', 'GET', `/v1/journeys/${id}`)).body.owner?.id;
  }

  async function settledIn(id: string, ...stages: string[]): Promise<void> {
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const body = await journey(id);
      if (stages.includes(body.stage) && body.status !== 'running') return;
      if (Date.now() > deadline) throw new Error(`journey ${id} is ${body.stage} (${body.status}), not resting in ${stages.join('|')}`);
    }
  }

  /** A lead of the test's rep, brought to opportunity. */
  async function atOpportunity(name: string): Promise<string> {
    const tag = Math.random().toString(36).slice(2, 8);
    const lead = await stack.api<{ journeyId: string }>('rep', 'POST', '/v1/leads', {
      source: 'web_form',
      name,
      email: `q.${tag}@queues-gmbh.example`,
      company: `Queues GmbH ${tag}`,
      companySize: 1500,
      country: 'DE',
      productInterest: INTEREST,
    });
    const id = lead.body.journeyId;
    await settledIn(id, 'qualification', 'opportunity');
    if ((await journey(id)).stage === 'qualification')
      await stack.api('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'qualification', decision: 'approve' });
    await settledIn(id, 'opportunity');
    return id;
  }

  async function inFulfilment(name: string, lineSku: string, quantity: number): Promise<string> {
    const id = await atOpportunity(name);
    await stack.api('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: [{ sku: lineSku, quantity }] } });
    await settledIn(id, 'quote_sent');
    await stack.api('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'ACCEPT' });
    await settledIn(id, 'ordering');
    await stack.api('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(id, 'fulfilment');
    return id;
  }

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const { db } = stack.database;
    await db('response_rules').insert({
      id: 'rule-queues',
      name: 'Queues e2e',
      priority: 1,
      product_interest: INTEREST,
      team: 'console',
      owner_id: stack.userIds.rep,
    });
    sku = `TST-QE-${Date.now().toString(36)}`;
    await db('products').insert({ sku, name: 'Queue camera', category: 'test', supplier: 'Camera Works' });
    await db('price_book').insert({ sku, currency: 'EUR', unit_price: '50.00' });
    await db('stock').insert({ sku, on_hand: 0 });

    seeded.mine = await atOpportunity('Mina Mine');
    seeded.approval = await atOpportunity('Anton Approval');
    await stack.api('rep', 'POST', `/v1/journeys/${seeded.approval}/events`, {
      type: 'PROPOSE',
      data: { lines: [{ sku: 'HUB-1', quantity: 2, discountPct: 25 }] },
    });
    await settledIn(seeded.approval, 'quoting');
    seeded.shortage = await inFulfilment('Sara Shortage', sku, 5);
    seeded.overdue = await inFulfilment('Otto Overdue', 'HUB-1', 1);
    for (const type of ['PICKED', 'PACKED']) await stack.api('warehouse', 'POST', `/v1/journeys/${seeded.overdue}/events`, { type });
    await stack.api('warehouse', 'POST', `/v1/journeys/${seeded.overdue}/events`, { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1ZQUEUE' } });
    await settledIn(seeded.overdue, 'awaiting_payment');
    // The invoice fell due twelve days ago and its first reminder went out: the records as they would stand then.
    const invoice = (await db('invoices').where({ journey_id: seeded.overdue }).first('id', 'amount_due', 'currency')) as {
      id: string;
      amount_due: string;
      currency: string;
    };
    await db('invoices')
      .where({ id: invoice.id })
      .update({ due_at: new Date(Date.now() - 12 * DAY) });
    await db('dunning_notices').insert({
      id: `dun-${invoice.id}`,
      invoice_id: invoice.id,
      journey_id: seeded.overdue,
      level: 1,
      template: 'dunning-reminder',
      currency: invoice.currency,
      amount_due: invoice.amount_due,
      email_id: `eml-${invoice.id}`,
      created_at: new Date(Date.now() - 5 * DAY),
    });
  }, 300_000);

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
    expect(browserErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Signs in from the console's address with the keyboard; answers the page and the key presses spent. */
  async function signIn(persona: Persona): Promise<{ page: Page; presses: () => number }> {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => browserErrors.push(`pageerror: ${error.message}`));
    pages.push(page);
    let presses = 0;
    await page.goto(`${stack.base}/`);
    await page.getByLabel('API token').fill(stack.tokens[persona]);
    // The token typed, Enter signs in: the first key press; the queue must be there without more.
    presses++;
    await page.keyboard.press('Enter');
    return { page, presses: () => presses };
  }

  /** The queue as a phone shows it: no sideways scrolling, and a screenshot to look at. */
  async function atPhoneWidth(page: Page, name: string): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, `queue-${name}-390`);
    // The elements reaching past the phone's edge, named for the failure message.
    const wider = await page.evaluate<string[]>(
      `[...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 391 && !el.closest('.nav')).map((el) => el.tagName.toLowerCase() + '.' + el.className).slice(0, 5)`,
    );
    expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `${name} is wider than the phone: ${wider.join(', ')}`).toBeLessThanOrEqual(
      390,
    );
    await page.setViewportSize({ width: 1366, height: 900 });
  }

  async function expectCountInNav(page: Page, label: string): Promise<void> {
    const cards = await page.locator('.queue-card').count();
    const link = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: new RegExp(`^${label}`) });
    await expect.poll(async () => (await link.locator('.nav-count').textContent())?.trim()).toBe(`${cards} waiting`);
  }

  it('lands a sales manager on the approvals, with the discount over the limit', async () => {
    const { page, presses } = await signIn('manager');
    await page.getByRole('heading', { name: 'Approvals waiting for you', level: 1 }).waitFor();
    const quote = (await stack.database.db('quotes').where({ journey_id: seeded.approval }).first('number')) as { number: string };
    const card = page.locator('.queue-card').filter({ hasText: 'Anton Approval' });
    await card.getByText(`25% discount > 15% limit on quote ${quote.number}`).waitFor();
    expect(presses()).toBeLessThanOrEqual(MAX_PRESSES);
    await expectCountInNav(page, 'Approvals');
    expect(await accessibilityViolations(page)).toEqual([]);
    await atPhoneWidth(page, 'approvals');

    // The journey page says the same, and the manager may hand the journey to someone in the team.
    await card.getByRole('link', { name: /Anton Approval/ }).click();
    await page.getByTestId('wait-reason').getByText(`25% discount > 15% limit on quote ${quote.number}`).waitFor();
    await page.getByLabel('Hand to').selectOption({ label: 'Sam Manager' });
    await page.getByLabel('Note (optional)').fill('I take this one over');
    await page.getByRole('button', { name: 'Hand over' }).click();
    await page.getByRole('status').getByText('Handed to Sam Manager.').waitFor();
    await expect.poll(async () => (await journeyOwner(seeded.approval)) ?? '', { timeout: 20_000 }).toBe(stack.userIds.manager);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('lands the warehouse on pick, pack and ship, with the shortage and its purchase order', async () => {
    const { page, presses } = await signIn('warehouse');
    await page.getByRole('heading', { name: 'Orders to pick, pack and ship', level: 1 }).waitFor();
    const po = (await stack.database
      .db('purchase_orders as po')
      .join('sales_orders as o', 'o.id', 'po.order_id')
      .where('o.journey_id', seeded.shortage)
      .first('po.number', 'po.quantity')) as {
      number: string;
      quantity: number;
    };
    const card = page.locator('.queue-card').filter({ hasText: 'Sara Shortage' });
    await card.getByText(`${po.quantity} × ${sku} short, ${po.number} raised`).waitFor();
    await card.getByText(`5 × Queue camera`).waitFor();
    await card.getByText('Not picked yet').waitFor();
    expect(presses()).toBeLessThanOrEqual(MAX_PRESSES);
    await expectCountInNav(page, 'Pick, pack & ship');
    expect(await accessibilityViolations(page)).toEqual([]);
    await atPhoneWidth(page, 'warehouse');
  });

  it('lands finance on the overdue invoices, with days overdue and the last reminder', async () => {
    const { page, presses } = await signIn('finance');
    await page.getByRole('heading', { name: 'Invoices overdue or due soon', level: 1 }).waitFor();
    const invoice = (await stack.database.db('invoices').where({ journey_id: seeded.overdue }).first('number')) as { number: string };
    const card = page.locator('.queue-card').filter({ hasText: 'Otto Overdue' });
    await card.getByText(invoice.number, { exact: true }).waitFor();
    await card.getByText(/^12 days \(due/).waitFor();
    await card.getByText(/^Level 1, sent/).waitFor();
    expect(presses()).toBeLessThanOrEqual(MAX_PRESSES);
    await expectCountInNav(page, 'Overdue invoices');
    expect(await accessibilityViolations(page)).toEqual([]);
    await atPhoneWidth(page, 'invoices');
  });

  it('lands a rep on the journeys waiting for them', async () => {
    const { page, presses } = await signIn('rep');
    await page.getByRole('heading', { name: 'My journeys waiting for me', level: 1 }).waitFor();
    const card = page.locator('.queue-card').filter({ hasText: 'Mina Mine' });
    await card.getByText('Waiting for the sales rep').waitFor();
    expect(await page.locator('.queue-card').filter({ hasText: 'Anton Approval' }).count()).toBe(0);
    await expectCountInNav(page, 'Waiting for me');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(presses()).toBeLessThanOrEqual(MAX_PRESSES);
    await atPhoneWidth(page, 'mine');
  });

  it('tells a rep capturing a lead routed to a colleague where it went and by which rule', async () => {
    const { page } = await signIn('rep');
    await page.getByRole('heading', { name: 'My journeys waiting for me', level: 1 }).waitFor();
    await page.goto(`${stack.base}/pipeline`);
    await page.getByLabel('Name').fill('Gustav Elsewhere');
    await page.getByLabel('Email').fill(`gustav.${Date.now()}@elsewhere.example`);
    await page.getByLabel('Company', { exact: true }).fill('Elsewhere AG');
    await page.getByLabel('Company size').fill('1500');
    await page.getByLabel('Country').fill('DE');
    await page.getByRole('button', { name: 'Capture lead' }).click();
    const rule = (await stack.database.db('response_rules').where({ id: 'rule-dach-enterprise' }).first('name', 'team', 'owner_id')) as {
      name: string;
      team: string;
      owner_id: string;
    };
    const owner = (await stack.database.db('users').where({ id: rule.owner_id }).first('name')) as { name: string };
    const notice = page.getByTestId('lead-captured');
    await notice.getByText(`It went to ${owner.name} (team ${rule.team}) by the response rule “${rule.name}”.`).waitFor({ timeout: 30_000 });
    await notice.getByText('Its journey is not in your list.').waitFor();
    expect(await notice.getByRole('link', { name: 'Open the journey' }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
