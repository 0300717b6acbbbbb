// The reports page in a real browser over a year of demo history: every chart drawn, with the
// API's figures in the tables beside it, the filters applied, a screenshot, and no serious or
// critical WCAG 2.1 AA violation found by axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../../db/seed/demoHistory';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

describe('the reports page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    expect(await seedDemoHistory(stack.database.db)).toBe(300);
  });

  afterAll(async () => {
    await opened?.page.close();
    await browser?.close();
    await stack?.close();
  });

  it('draws every chart with its numbers beside it, groups by team, and passes axe-core', async () => {
    opened = await openConsole(browser.context, stack.base, stack.tokens.finance);
    const { page } = opened;
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    const pipeline = page.locator('section', { has: page.getByRole('heading', { name: 'Open pipeline' }) });
    await pipeline.locator('tbody tr').first().waitFor();

    const { body: kpis } = await stack.api<{ pipeline: { byStage: unknown[]; total: { amount: string } }; receivables: { dsoDays: number } }>(
      'finance',
      'GET',
      '/v1/reports/kpis',
    );
    expect(await pipeline.locator('tbody tr').count()).toBe(kpis.pipeline.byStage.length);
    const total = Number(kpis.pipeline.total.amount).toLocaleString('en-US', { minimumFractionDigits: 2 });
    await expect.poll(() => pipeline.locator('caption').textContent()).toContain(total);
    await expect.poll(() => page.getByText(`DSO ${kpis.receivables.dsoDays} days`).count()).toBeGreaterThan(0);
    // One canvas per chart, each an image with a description.
    expect(await page.getByRole('img').count()).toBe(4);

    await page.getByLabel('Group by').selectOption('team');
    await page.getByRole('heading', { name: 'Per group' }).waitFor();
    await expect
      .poll(() =>
        page
          .locator('section', { has: page.getByRole('heading', { name: 'Per group' }) })
          .locator('tbody tr')
          .count(),
      )
      .toBe(2);
    expect(page.url()).toContain('groupBy=team');
    await screenshot(page, 'reports');

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(opened.errors).toEqual([]);
  });
});
