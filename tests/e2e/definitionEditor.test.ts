// The definition editor in a real browser: ops change one checkpoint's SLA through the form's
// duration picker, review the changes against the current version, confirm, and the new version is
// published with that SLA; a typo in a target shows one root error with its knock-ons grouped under
// it. axe-core clean, and a phone-width screenshot of the editor.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, screenshotDir, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

interface Detail {
  status: string;
  active: boolean;
  definition: { stages: Record<string, { label?: string; checkpoint: { sla?: string } }> };
}

describe('the definition editor', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let ops: ConsolePage;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    ops = await openConsole(browser.context, stack.base, stack.tokens.ops);
  });

  afterAll(async () => {
    await ops?.page.close();
    await browser?.close();
    await stack?.close();
  });

  it("changes a checkpoint's SLA in the form and publishes it through the diff", async () => {
    const { page } = ops;
    await page.getByRole('link', { name: 'Process definitions' }).click();
    await page.getByRole('heading', { name: 'Process definitions' }).waitFor();
    // The readable view shows the policies.
    await page.getByRole('definition').filter({ hasText: /^15%/ }).waitFor();
    await page.getByRole('button', { name: 'New draft from this version' }).click();

    await page.locator('details[data-path="stages.quoting"] > summary').click();
    const amount = page.getByLabel('Quoting: checkpoint SLA, number');
    expect(await amount.inputValue()).toBe('1');
    expect(await page.getByLabel('Quoting: checkpoint SLA, unit').inputValue()).toBe('D');
    await amount.fill('3');
    await page.getByLabel('Quoting: checkpoint SLA, unit').selectOption('D');
    // The name people read for a stage is the definition's label.
    await page.locator('details[data-path="stages.quote_sent"] > summary').click();
    const label = page.locator('#stage-quote_sent-label');
    expect(await label.inputValue()).toBe('Quote with the customer');
    await label.fill('With the buyer');

    // The JSON view edits the same draft.
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = JSON.parse(await page.getByLabel('Definition JSON').inputValue()) as Detail['definition'];
    expect(json.stages.quoting?.checkpoint.sla).toBe('P3D');
    expect(json.stages.quote_sent?.label).toBe('With the buyer');
    await page.getByRole('button', { name: 'Forms', exact: true }).click();

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved as lead-to-cash version 2 (draft); it is valid and can be published.').waitFor();
    await page.getByRole('button', { name: 'Publish…' }).click();
    const review = page.getByRole('region', { name: /Publish lead-to-cash version 2/ });
    await review.getByRole('list', { name: 'Changes' }).waitFor();
    expect(await review.getByRole('listitem').allTextContents()).toEqual([
      'Quoting: checkpoint SLA: 1 day → 3 days',
      'Quote sent: name people read: Quote with the customer → With the buyer',
    ]);
    await screenshot(page, 'definition-editor-review');
    expect.soft(await accessibilityViolations(page), 'the editor with the publish review').toEqual([]);

    // Nothing is published before the confirmation.
    const before = await stack.api<Detail>('ops', 'GET', '/v1/process-definitions/lead-to-cash/versions/2');
    expect(before.body.status).toBe('draft');

    await review.getByRole('button', { name: 'Confirm and publish version 2' }).click();
    await page.getByText('Published lead-to-cash version 2.').waitFor();
    const after = await stack.api<Detail>('ops', 'GET', '/v1/process-definitions/lead-to-cash/versions/2');
    expect(after.body).toMatchObject({ status: 'published', active: true });
    expect(after.body.definition.stages.quoting?.checkpoint.sla).toBe('P3D');
    // The console names the stage by its new label, e.g. in the pipeline's stage filter.
    await page.getByRole('link', { name: 'Pipeline', exact: true }).first().click();
    await page.getByRole('search', { name: 'Filter journeys' }).getByRole('option', { name: 'With the buyer' }).waitFor({ state: 'attached' });
    expect(ops.errors).toEqual([]);
  }, 120_000);

  it('shows a typo in a target as one root error with its knock-ons grouped under it', async () => {
    const { page } = ops;
    await page.getByRole('link', { name: 'Process definitions' }).click();
    await page.getByRole('heading', { name: 'Process definitions' }).waitFor();
    await page.getByRole('button', { name: /^(New draft from this version|Edit draft)$/ }).click();
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const editor = page.getByLabel('Definition JSON');
    const definition = JSON.parse(await editor.inputValue()) as { stages: Record<string, { on: Record<string, { target?: string }> }> };
    const propose = definition.stages.opportunity?.on.PROPOSE;
    if (!propose) throw new Error('the process has no PROPOSE in opportunity');
    propose.target = 'quotng';
    await editor.fill(JSON.stringify(definition, null, 2));
    expect.soft(await accessibilityViolations(page), 'the JSON view with its line numbers').toEqual([]);
    await page.getByRole('button', { name: 'Forms', exact: true }).click();
    await page.getByRole('button', { name: 'Validate' }).click();

    const errors = page.getByRole('alert', { name: 'Validation errors' });
    await errors.waitFor();
    expect(await errors.locator('strong').first().textContent()).toMatch(/^1 error to fix \(\d+ more follow from them\)$/);
    const roots = errors.locator('li.issue-root');
    expect(await roots.count()).toBe(1);
    expect(await roots.first().locator('code').first().textContent()).toBe('stages.opportunity.on.PROPOSE.target');
    await roots.first().locator('summary').click();
    await roots
      .first()
      .getByRole('button', { name: /^stages\.quoting\b/ })
      .first()
      .waitFor();

    // Choosing the root selects its field in the form.
    await roots
      .first()
      .getByRole('button', { name: /^stages\.opportunity\.on\.PROPOSE\.target/ })
      .click();
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('data-path') ?? null")).toBe('stages.opportunity.on.PROPOSE.target');
    expect(await page.getByLabel('Opportunity: Propose leads to').inputValue()).toBe('quotng');
    expect.soft(await accessibilityViolations(page), 'the editor with validation errors').toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'definition-editor-phone');
    const card = page.locator('.editor-card');
    await card.screenshot({ path: join(screenshotDir, 'definition-editor-phone-card.png') });
    // Nothing in the editor reaches past the phone's width.
    const wide = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.editor-card *')].filter((el) => el.getBoundingClientRect().right > 390 && el.getClientRects().length > 0).map((el) => el.tagName + '.' + el.className + ' ' + (el.getAttribute('aria-label') ?? ''))`,
    );
    expect(wide).toEqual([]);
    expect(ops.errors).toEqual([]);
  }, 120_000);
});
