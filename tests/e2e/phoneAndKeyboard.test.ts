// The console on a phone and from the keyboard, in headless Chromium: at 390 px the journey page
// fits its width and the pipeline's chart labels stay legible; from sign-in a keyboard user reaches
// the first journey in a few Tab presses, and focus lands on each page's heading after navigation.
// Phone-width screenshots go to test-results/screenshots/; every page is axe-clean.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { screenshot, waitForStage, waitUntilSettled } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

const INTEREST = 'phone-e2e';

/** The page's width, and the elements reaching past the screen's right edge (to name them when it is too wide). */
async function widthOf(page: Page): Promise<{ width: number; wider: string[] }> {
  return (await page.evaluate(`(() => {
    const wider = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
      .slice(0, 10)
      .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' ' + Math.round(el.getBoundingClientRect().right));
    return { width: document.documentElement.scrollWidth, wider };
  })()`)) as { width: number; wider: string[] };
}
const PHONE = { width: 390, height: 844 };

describe('the console on a phone and from the keyboard', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let journeyId = '';

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startConsoleStack(), launchChromium()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.database
      .db('response_rules')
      .insert({ id: 'rule-phone', name: 'Phone e2e', priority: 1, product_interest: INTEREST, team: 'phone', owner_id: stack.userIds.rep });
    // A journey with a quote: the journey page's widest content (documents, lines, timeline).
    const created = await stack.api<{ journeyId: string }>('rep', 'POST', '/v1/leads', {
      source: 'web_form',
      name: 'Philippa Phone-Width',
      email: `philippa.${Date.now()}@narrow-screens.example`,
      company: 'Narrow Screens and Very Long Company Names GmbH',
      companySize: 1500,
      country: 'DE',
      productInterest: INTEREST,
    });
    journeyId = created.body.journeyId;
    const settle = async (stages: string[]) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const detail = await stack.api<{ stage: string; status: string }>('admin', 'GET', `/v1/journeys/${journeyId}`);
        if (stages.includes(detail.body.stage) && detail.body.status !== 'running') return detail.body;
        if (Date.now() > deadline) throw new Error(`journey stayed in ${detail.body.stage} (${detail.body.status})`);
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    if ((await settle(['qualification', 'opportunity'])).stage === 'qualification') {
      await stack.api('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'qualification', decision: 'approve' });
    }
    await settle(['opportunity']);
    await stack.api('rep', 'POST', `/v1/journeys/${journeyId}/events`, {
      type: 'PROPOSE',
      data: {
        lines: [
          { sku: 'HUB-1', quantity: 2 },
          { sku: 'CAM-200', quantity: 3, discountPct: 5 },
        ],
      },
    });
    await settle(['quote_sent']);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens the first journey from sign-in in a few Tab presses, focus on each heading', async () => {
    const page = await browser.context.newPage();
    try {
      // A deep link to the pipeline keeps its page at sign-in (a rep would otherwise land on their queue).
      await page.goto(`${stack.base}/pipeline`);
      await page.getByLabel('API token').fill(stack.tokens.rep);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor();
      await page.locator('h1:focus').waitFor();

      // The first Tab from the heading offers the way to the list; then Tab until a journey's link.
      let tabs = 1;
      await page.keyboard.press('Tab');
      expect(await page.locator('a.jump-link:focus').count()).toBe(1);
      await page.keyboard.press('Enter');
      while ((await page.locator('a.row-title:focus').count()) === 0) {
        expect(tabs, 'Tab presses before reaching a journey').toBeLessThan(37);
        await page.keyboard.press('Tab');
        tabs++;
      }
      // Past the jump: the seven sort buttons of the list's header, then the first journey.
      expect(tabs).toBeLessThanOrEqual(9);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Philippa Phone-Width', level: 1 }).waitFor();
      await page.locator('h1:focus').waitFor();
      expect(await page.locator('h1:focus').textContent()).toBe('Philippa Phone-Width');

      // A skip link leads past the navigation to the page itself.
      await page.getByRole('link', { name: 'Pipeline', exact: true }).first().click();
      await page.locator('h1:focus').filter({ hasText: 'Pipeline' }).waitFor();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      while ((await page.locator('a.skip-link:focus').count()) === 0) await page.keyboard.press('Shift+Tab');
      expect(await page.locator('a.skip-link:focus').isVisible()).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.locator('main:focus').count()).toBe(1);

      // The funnel's stage buttons are one stop in the Tab order, arrow keys move within them.
      const stageButtons = page.locator('.funnel-row button');
      expect(await stageButtons.count()).toBeGreaterThan(10);
      expect(await page.locator('.funnel-row button[tabindex="0"]').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('fits the journey page into 390 px and keeps the pipeline legible, axe-clean', async () => {
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize(PHONE);
      // A deep link to the pipeline keeps its page at sign-in (a rep would otherwise land on their queue).
      await page.goto(`${stack.base}/pipeline`);
      await page.getByLabel('API token').fill(stack.tokens.rep);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor();
      await page.locator('.funnel canvas').waitFor();
      await page.locator(`tr[data-journey="${journeyId}"]`).waitFor();

      // The chart's tick labels as drawn, in CSS pixels: their font size times how much the canvas is scaled.
      const labelPx = Number(
        await page.evaluate(`(() => {
          const canvas = document.querySelector('.funnel canvas');
          const drawnWidth = canvas.width / window.devicePixelRatio;
          return Number(canvas.dataset.tickFontPx) * (canvas.getBoundingClientRect().width / drawnWidth);
        })()`),
      );
      expect(labelPx).toBeGreaterThanOrEqual(11);
      const pipelineWidth = await widthOf(page);
      expect(pipelineWidth.width, pipelineWidth.wider.join(', ')).toBeLessThanOrEqual(PHONE.width);
      // Rows are cards: each cell says what it is.
      const row = page.locator(`tr[data-journey="${journeyId}"]`);
      expect(await row.locator('td[data-label="Stage"]').isVisible()).toBe(true);
      expect(await page.evaluate(`getComputedStyle(document.querySelector('table.cards-on-phone tbody tr')).display`)).toBe('block');
      await screenshot(page, 'phone-01-pipeline');
      expect.soft(await accessibilityViolations(page), 'the pipeline at phone width').toEqual([]);

      await row.getByRole('link').first().click();
      await waitForStage(page, 'quote_sent');
      await waitUntilSettled(page);
      await page.locator('.documents-card').waitFor();
      const journeyWidth = await widthOf(page);
      expect(journeyWidth.width, journeyWidth.wider.join(', ')).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, 'phone-02-journey');
      expect.soft(await accessibilityViolations(page), 'the journey page at phone width').toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
