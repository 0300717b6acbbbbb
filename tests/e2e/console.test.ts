// The console in a real browser (Debian's chromium, headless) against the real stack: sign in,
// capture a lead and walk it to `closed` with the buttons of each role, find it in the pipeline;
// as finance retry a parked journey from the stuck monitor; as ops publish a definition change and
// start a journey on it. Screenshots of every page go to test-results/screenshots/, and every page
// passes axe-core's WCAG 2.1 AA check with no serious or critical violation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, waitForStage, waitUntilSettled, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack, type Persona } from './server';

/** Leads with this interest go to the test's sales rep (a response rule added below). */
const INTEREST = 'console-e2e';

describe('the console', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  const pages: ConsolePage[] = [];
  let closedJourney = '';

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.database
      .db('response_rules')
      .insert({ id: 'rule-console', name: 'Console e2e', priority: 1, product_interest: INTEREST, team: 'console', owner_id: stack.userIds.rep });
  });

  afterEach(async () => {
    for (const opened of pages.splice(0)) await opened.page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function as(persona: Persona): Promise<ConsolePage> {
    const opened = await openConsole(browser.context, stack.base, stack.tokens[persona]);
    pages.push(opened);
    return opened;
  }

  function expectNoBrowserErrors() {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  }

  it('signs in, captures a lead and walks it to closed with the buttons of each role', async () => {
    const signIn = await browser.context.newPage();
    await signIn.goto(`${stack.base}/`);
    await signIn.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(signIn, '01-sign-in');
    expect.soft(await accessibilityViolations(signIn), 'the sign-in page').toEqual([]);
    await signIn.getByLabel('API token').fill('not-a-token');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByText('That token is not valid').waitFor();
    await signIn.close();

    const { page: rep } = await as('rep');
    await rep.getByLabel('Name').fill('Clara Console');
    await rep.getByLabel('Email').fill(`clara.${Date.now()}@console-gmbh.example`);
    await rep.getByLabel('Company', { exact: true }).fill('Console GmbH');
    await rep.getByLabel('Company size').fill('1500');
    await rep.getByLabel('Country').fill('DE');
    await rep.getByLabel('Product interest').fill(INTEREST);
    await rep.getByLabel('Message').fill('Ten hubs and sensors for our offices.');
    await rep.getByRole('button', { name: 'Capture lead' }).click();
    await rep.getByText('Lead captured').waitFor();
    await rep.getByRole('link', { name: 'Open the journey' }).click();
    const journeyId = rep.url().split('/').pop() ?? '';
    expect(journeyId).toMatch(/^jrn/);

    // The lead confirms itself; qualification may wait for the rep.
    await waitForStage(rep, /^(qualification|opportunity)$/);
    await waitUntilSettled(rep);
    const qualify = rep.getByRole('button', { name: 'Qualify', exact: true });
    if (await qualify.isVisible()) await qualify.click();
    await waitForStage(rep, 'opportunity');
    await waitUntilSettled(rep);

    // A discount over the 15 % limit needs the rep's manager.
    await rep.getByRole('button', { name: 'Propose', exact: true }).click();
    await rep.getByLabel('Product of line 1').selectOption('HUB-1');
    await rep.getByLabel('Quantity of line 1').fill('2');
    await rep.getByLabel('Discount of line 1 in percent').fill('20');
    await rep.getByRole('button', { name: 'Add line' }).click();
    await rep.getByLabel('Product of line 2').selectOption('SEN-5');
    await rep.getByLabel('Quantity of line 2').fill('4');
    await rep.getByRole('button', { name: 'Send proposal' }).click();
    await waitForStage(rep, 'quoting');
    await waitUntilSettled(rep);
    await rep.getByTestId('checkpoint').getByText('A sales manager decides on the quote').waitFor();

    const { page: manager } = await as('manager');
    await manager.goto(`${stack.base}/journeys/${journeyId}`);
    await waitForStage(manager, 'quoting');
    await manager.getByRole('button', { name: 'Confirm', exact: true }).click();
    await waitForStage(manager, 'quote_sent');

    // The manager's page rests on the sent quote (after its one refresh once the stage settles).
    await waitUntilSettled(manager);
    await manager.waitForTimeout(2_000);

    await rep.reload();
    await waitForStage(rep, 'quote_sent');
    await waitUntilSettled(rep);
    await rep.getByRole('button', { name: 'Accept', exact: true }).click();
    await waitForStage(rep, 'ordering');

    // The manager's page still shows the quote as sent: accepting it again is refused (409) with
    // the events allowed now.
    await manager.getByRole('button', { name: 'Accept', exact: true }).click();
    const refusal = manager.getByRole('alert').filter({ hasText: 'Not allowed now' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Allowed now:.*Cancel/);
    await screenshot(manager, '04-journey-409');
    await waitUntilSettled(rep);
    await rep.getByRole('button', { name: 'Confirm', exact: true }).click();
    await waitForStage(rep, 'fulfilment');

    const { page: warehouse } = await as('warehouse');
    await warehouse.goto(`${stack.base}/journeys/${journeyId}`);
    await waitForStage(warehouse, 'fulfilment');
    await waitUntilSettled(warehouse);
    await warehouse.getByRole('button', { name: 'Picked', exact: true }).click();
    await warehouse.getByText('Picked: done — the journey is now in Picking and shipping, waiting for the warehouse.').waitFor();
    await warehouse.getByRole('button', { name: 'Packed', exact: true }).click();
    await warehouse.getByText('Packed: done — the journey is now in Picking and shipping, waiting for the warehouse.').waitFor();
    await warehouse.getByRole('button', { name: 'Shipped', exact: true }).click();
    await warehouse.getByLabel('Carrier').fill('DHL');
    await warehouse.getByLabel('Tracking number').fill('JD014600006281');
    await warehouse.getByRole('button', { name: 'Mark shipped' }).click();
    await waitForStage(warehouse, /^(invoicing|awaiting_payment)$/);

    const { page: finance } = await as('finance');
    await finance.goto(`${stack.base}/journeys/${journeyId}`);
    await waitForStage(finance, 'awaiting_payment');
    await waitUntilSettled(finance);
    await finance.getByRole('button', { name: 'Payment received', exact: true }).click();
    const due = await finance.getByLabel('Amount').inputValue();
    expect(due).toMatch(/^\d+\.\d{2}$/);
    await finance.getByLabel('Reference').fill('BANK-2024-0042');
    await screenshot(finance, '05-journey-payment-form');
    expect.soft(await accessibilityViolations(finance), 'the journey page').toEqual([]);
    await finance.getByRole('button', { name: 'Record payment' }).click();
    await waitForStage(finance, 'closed', 30_000);
    await waitUntilSettled(finance);

    // Journey 360 after the walk: documents, emails and the timeline are all there.
    await finance.getByRole('heading', { name: 'Documents' }).waitFor();
    for (const text of ['BANK-2024-0042', 'JD014600006281', 'Quotes', 'Invoices', 'Order']) await finance.getByText(text, { exact: false }).first().waitFor();
    const emails = await finance.locator('section[aria-labelledby="emails-title"] .list-row').count();
    expect(emails).toBeGreaterThanOrEqual(3);
    await finance.getByText('This journey has ended.').waitFor();
    await screenshot(finance, '06-journey-360-closed');
    await finance.setViewportSize({ width: 820, height: 1180 });
    await screenshot(finance, '07-journey-360-tablet');
    await finance.setViewportSize({ width: 1366, height: 900 });
    closedJourney = journeyId;

    // The pipeline shows it as closed; the funnel filters the list.
    await rep.goto(`${stack.base}/pipeline`);
    const closedRow = rep.locator('.funnel-row[data-stage="closed"]');
    await closedRow.waitFor();
    expect(await closedRow.locator('td').first().textContent()).toBe('1');
    // The chart is a canvas described as an image; its bars take no keyboard focus, the table's buttons do.
    expect(await rep.locator('.funnel canvas[role="img"]').count()).toBe(1);
    // The totals say what they count: the closed journey is won, at what was invoiced.
    expect(await rep.locator('[data-total="won"] dd').first().textContent()).toMatch(/^1 journey · .*\d/);
    expect(await rep.locator('[data-total="won"]').textContent()).toContain('what was invoiced');
    expect(await rep.locator('[data-total="openPipeline"]').textContent()).toContain('still under way');
    expect(await rep.getByText('counted in neither total').count()).toBe(1);
    await closedRow.getByRole('button', { name: 'Closed' }).click();
    await rep.locator(`tr[data-journey="${journeyId}"] [data-stage="closed"]`).waitFor();
    expect(new URL(rep.url()).searchParams.get('stage')).toBe('closed');
    await screenshot(rep, '02-pipeline');
    expect.soft(await accessibilityViolations(rep), 'the pipeline page').toEqual([]);
    await rep.setViewportSize({ width: 820, height: 1180 });
    await screenshot(rep, '03-pipeline-tablet');
    expectNoBrowserErrors();
  }, 120_000);

  it('as finance finds a parked journey in the stuck monitor and retries it', async () => {
    const { db } = stack.database;
    // A product the catalogue sells but the price book does not price: pricing fails and parks.
    await db('products').insert({ sku: 'LAMP-1', name: 'Desk lamp', category: 'accessories', supplier: 'Lumen AG' });
    const lead = {
      source: 'web_form',
      name: 'Peter Parked',
      email: `peter.${Date.now()}@parked.example`,
      company: 'Parked AG',
      companySize: 1500,
      country: 'DE',
      productInterest: INTEREST,
    };
    const created = await stack.api<{ journeyId: string }>('rep', 'POST', '/v1/leads', lead);
    // 201 once capture settled, 202 while it runs; settle() polls either way.
    expect([201, 202], JSON.stringify(created.body)).toContain(created.status);
    const journeyId = created.body.journeyId;
    const settle = async (stages: string[]) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const detail = await stack.api<{ stage: string; status: string }>('admin', 'GET', `/v1/journeys/${journeyId}`);
        if (stages.includes(detail.body.stage) && detail.body.status !== 'running') return detail.body;
        if (Date.now() > deadline) throw new Error(`journey stayed in ${detail.body.stage} (${detail.body.status})`);
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    if ((await settle(['qualification', 'opportunity'])).stage === 'qualification') {
      expect((await stack.api('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'qualification', decision: 'approve' })).status).toBeLessThan(
        300,
      );
    }
    await settle(['opportunity']);
    const proposed = await stack.api('rep', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'PROPOSE', data: { lines: [{ sku: 'LAMP-1', quantity: 3 }] } });
    expect([200, 202], JSON.stringify(proposed.body)).toContain(proposed.status);
    expect((await settle(['quoting'])).status).toBe('parked');

    const { page: finance } = await as('finance');
    await finance.getByRole('link', { name: 'Stuck monitor' }).click();
    await finance.getByRole('heading', { name: 'Stuck monitor' }).waitFor();
    await finance.getByLabel('Reason').selectOption('activity_failing');
    const row = finance.locator(`tr[data-journey="${journeyId}"]`);
    await row.waitFor();
    expect(await row.locator('.error-cell').textContent()).toContain('A product has no price in the price book.');
    expect(await row.textContent()).toContain('Rita Rep');
    await row.getByRole('checkbox').check();
    await screenshot(finance, '08-stuck-monitor');
    expect.soft(await accessibilityViolations(finance), 'the stuck page').toEqual([]);

    // A retry before the cause is fixed reports that it still fails, once the journey parked again.
    await finance.getByRole('button', { name: 'Retry', exact: true }).click();
    await finance.getByText('Retry: 0 went on, 1 still failing, 0 refused').waitFor({ timeout: 60_000 });
    expect(await finance.locator(`li[data-result="${journeyId}"].failed`).textContent()).toContain('still failing — a product has no price in the price book.');
    await finance.locator(`tr[data-journey="${journeyId}"]`).getByRole('checkbox').check();

    // Fix the cause (price the product), then retry from the monitor.
    await db('price_book').insert({ sku: 'LAMP-1', currency: 'EUR', unit_price: '49.00' });
    await finance.getByRole('button', { name: 'Retry', exact: true }).click();
    await finance.getByText('Retry: 1 went on, 0 still failing, 0 refused').waitFor({ timeout: 60_000 });
    await finance.locator(`li[data-result="${journeyId}"].ok`).waitFor();
    expect(await finance.locator(`li[data-result="${journeyId}"]`).textContent()).toContain('done — the journey is now in Quote with the customer');
    await screenshot(finance, '09-stuck-monitor-retried');
    const after = await settle(['quote_sent']);
    expect(after.stage).toBe('quote_sent');

    // The journey itself tells the story: parked, retried, priced.
    await finance.goto(`${stack.base}/journeys/${journeyId}`);
    await waitForStage(finance, 'quote_sent');
    // Parked twice: at first, and again after the retry made before the fix.
    await finance.getByText('Pricing the quote failed and parked', { exact: false }).first().waitFor();
    expect(await finance.getByText('Pricing the quote failed and parked', { exact: false }).count()).toBe(2);
    await finance.getByText('Retry', { exact: true }).first().waitFor();
    expectNoBrowserErrors();
  }, 180_000);

  it('as ops publishes a definition change, and a new journey starts on it', async () => {
    const { page: ops } = await as('ops');
    await ops.getByRole('link', { name: 'Process definitions' }).click();
    await ops.getByRole('heading', { name: 'Process definitions' }).waitFor();
    await ops.locator('tr[data-version="lead-to-cash@1"]').getByText('Active').waitFor();
    await ops.locator('svg.diagram').waitFor();
    expect(await ops.locator('svg.diagram .node').count()).toBeGreaterThanOrEqual(17);
    await screenshot(ops, '10-definitions');
    expect.soft(await accessibilityViolations(ops), 'the definitions page').toEqual([]);

    await ops.getByRole('button', { name: 'New draft from this version' }).click();
    await ops.getByRole('button', { name: 'JSON', exact: true }).click();
    const editor = ops.getByLabel('Definition JSON');
    const definition = JSON.parse(await editor.inputValue()) as {
      title: string;
      policies: { discountApprovalLimitPct: number };
      stages: Record<string, { checkpoint: { role?: string } }>;
    };
    definition.title = 'Lead to cash (discount limit 25 %)';
    definition.policies.discountApprovalLimitPct = 25;
    const quoting = definition.stages.quoting;
    if (!quoting) throw new Error('the default process has no quoting stage');
    quoting.checkpoint.role = 'boss';
    await editor.fill(JSON.stringify(definition, null, 2));
    await ops.getByRole('button', { name: 'Validate' }).click();
    const errors = ops.getByRole('alert', { name: 'Validation errors' });
    await errors.getByText('stages.quoting.checkpoint.role').waitFor();
    expect(await errors.textContent()).toMatch(/line \d+/);
    await errors.getByRole('button', { name: /stages\.quoting\.checkpoint\.role/ }).click();
    await screenshot(ops, '11-definition-errors');

    quoting.checkpoint.role = 'sales_manager';
    await editor.fill(JSON.stringify(definition, null, 2));
    await ops.getByRole('button', { name: 'Save draft' }).click();
    await ops.getByText('Saved as lead-to-cash version 2 (draft)').waitFor();
    await ops.getByRole('button', { name: 'Publish…' }).click();
    await ops.getByRole('button', { name: 'Confirm and publish version 2' }).click();
    await ops.getByText('Published lead-to-cash version 2.').waitFor();
    await ops.locator('tr[data-version="lead-to-cash@2"]').getByText('Active').waitFor();
    await screenshot(ops, '12-definition-published');

    // The routing of new leads: a rule for French leads, saved, and read back after a reload.
    await ops.getByRole('button', { name: 'Add a rule' }).click();
    await ops.getByLabel('Rule 1 country').fill('fr');
    await ops.getByRole('button', { name: 'Save routing' }).click();
    await ops.getByText('Routing version 1 saved', { exact: false }).waitFor();
    await screenshot(ops, '13-routing');
    await ops.reload();
    await ops.getByLabel('Rule 1 country').waitFor();
    expect(await ops.getByLabel('Rule 1 country').inputValue()).toBe('FR');
    expect(await ops.getByLabel('Rule 1 process').inputValue()).toBe('lead-to-cash');

    // New journeys start on version 2; the closed one keeps version 1.
    const { page: rep } = await as('rep');
    await rep.getByLabel('Name').fill('Vera Version');
    await rep.getByLabel('Email').fill(`vera.${Date.now()}@versions.example`);
    await rep.getByLabel('Company', { exact: true }).fill('Versions KG');
    await rep.getByLabel('Country').fill('DE');
    await rep.getByLabel('Product interest').fill(INTEREST);
    await rep.getByRole('button', { name: 'Capture lead' }).click();
    await rep.getByRole('link', { name: 'Open the journey' }).click();
    await rep.getByText('lead-to-cash v2').waitFor();
    await rep.goto(`${stack.base}/journeys/${closedJourney}`);
    await rep.getByText('lead-to-cash v1').waitFor();
    expectNoBrowserErrors();
  }, 90_000);
});
