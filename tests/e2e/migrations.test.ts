// The Migrations page in a real browser: journeys on version 1 of lead-to-cash, a version 2 with
// quote_sent renamed proposal_sent; ops plan, see the prefilled stage map, dry-run, map the renamed
// stage, plan again, apply after the confirmation and watch it reach done. Screenshots, and no
// serious or critical WCAG 2.1 AA violation found by axe-core.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

interface JourneyView {
  stage: string;
  status: string;
  definition: { version: number };
}

describe('the Migrations page', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

  const journey = async (id: string) => (await stack.api<JourneyView>('admin', 'GET', `/v1/journeys/${id}`)).body;

  async function settledIn(id: string, stage: string): Promise<void> {
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const body = await journey(id);
      if (body.stage === stage && body.status !== 'running') return;
      if (Date.now() > deadline) throw new Error(`journey ${id} is ${body.stage} (${body.status}), not resting in ${stage}`);
    }
  }

  /** A journey walked through the API (as admin) to opportunity. */
  async function journeyAtOpportunity(): Promise<string> {
    const tag = Math.random().toString(36).slice(2, 8);
    const lead = await stack.api<{ journeyId: string }>('admin', 'POST', '/v1/leads', {
      source: 'web_form',
      name: `Mira Move ${tag}`,
      email: `mira.${tag}@move-ag.example`,
      company: `Move AG ${tag}`,
      companySize: 800,
      country: 'DE',
    });
    const id = lead.body.journeyId;
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const { stage, status } = await journey(id);
      if (stage === 'opportunity' && status !== 'running') return id;
      if (stage === 'qualification' && status === 'awaiting_confirmation')
        await stack.api('admin', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'qualification', decision: 'approve' });
      if (Date.now() > deadline) throw new Error(`journey ${id} is ${stage} (${status}), not at opportunity`);
    }
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

  it('plans, dry-runs and applies a migration, and the journeys move to version 2', { timeout: 240_000 }, async () => {
    // Started before version 2 is published, so they run on version 1.
    const atOpportunity = await journeyAtOpportunity();
    const atQuoteSent = await journeyAtOpportunity();
    await stack.api('admin', 'POST', `/v1/journeys/${atQuoteSent}/events`, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
    await settledIn(atQuoteSent, 'quote_sent');
    expect((await journey(atOpportunity)).definition.version).toBe(1);

    const draft = JSON.parse(JSON.stringify(defaultProcess).replaceAll('"quote_sent"', '"proposal_sent"')) as ProcessDefinition;
    const created = await stack.api<{ version: number }>('ops', 'POST', '/v1/process-definitions', { definition: draft });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const v2 = created.body.version;
    const published = await stack.api('ops', 'POST', `/v1/process-definitions/${defaultProcess.key}/versions/${v2}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    opened = await openConsole(browser.context, stack.base, stack.tokens.ops);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Migrations', exact: true }).click();
    await page.getByRole('heading', { name: 'Migrations', level: 1 }).waitFor();
    expect(await page.getByLabel(/^From version/).inputValue()).toBe('1');
    expect(await page.getByLabel(/^To version/).inputValue()).toBe(String(v2));

    // A plan between a version and itself is refused, naming the field.
    await page.getByLabel(/^To version/).selectOption('1');
    await page.getByRole('button', { name: 'Create plan', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(/body\.toVersion/)
      .waitFor();
    await page.getByLabel(/^To version/).selectOption(String(v2));
    expect(await page.getByRole('alert').count()).toBe(0);

    // The first plan: the map is prefilled with the stages both versions have; quote_sent is not.
    await page.getByRole('button', { name: 'Create plan', exact: true }).click();
    const mapFor = (stage: string) => page.getByLabel(`New stage for ${stage}`, { exact: true });
    await mapFor('opportunity').waitFor();
    expect(await mapFor('opportunity').inputValue()).toBe('opportunity');
    expect(await mapFor('quote_sent').inputValue()).toBe('');
    const firstId = (await page.getByRole('heading', { name: /^Migration mig/ }).textContent())!;

    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    const row = (id: string) => page.locator(`tr[data-journey="${id}"]`);
    await row(atOpportunity).getByRole('cell', { name: 'Ready to move' }).waitFor();
    await expect.poll(() => row(atOpportunity).locator('td').nth(4).textContent()).toBe('opportunity');
    await row(atQuoteSent).getByRole('cell', { name: 'Blocked: its stage is not mapped' }).waitFor();
    expect(await page.locator('[data-verdict-count="ready"]').textContent()).toBe('1');
    expect(await page.locator('[data-verdict-count="blocked_unmapped_stage"]').textContent()).toBe('1');

    // The filter by verdict shows the ready journey alone.
    await page.getByLabel(/^Verdict/).selectOption('ready');
    await row(atQuoteSent).waitFor({ state: 'detached' });
    expect(await row(atOpportunity).isVisible()).toBe(true);
    await screenshot(page, 'migrations-dry-run');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Map the renamed stage and plan again: a new plan, and now both journeys are ready.
    await mapFor('quote_sent').selectOption('proposal_sent');
    await page.getByRole('button', { name: 'Create a new plan with this map' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /^Migration mig/ }).textContent()).not.toBe(firstId);
    expect(await mapFor('quote_sent').inputValue()).toBe('proposal_sent');
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    await row(atQuoteSent).getByRole('cell', { name: 'Ready to move' }).waitFor();
    await row(atOpportunity).getByRole('cell', { name: 'Ready to move' }).waitFor();

    await page.getByRole('button', { name: 'Apply…' }).click();
    const confirmation = page.getByRole('group', { name: 'Confirm the apply' });
    await confirmation.getByText(`2 journeys will move from v1 to v${v2}`).waitFor();
    await confirmation.getByRole('button', { name: 'Move 2 journeys' }).click();

    await page.getByTestId('migration-status').getByText('Done').waitFor({ timeout: 90_000 });
    await page.getByTestId('migration-results').getByText('2 migrated, 0 refused, 0 failed').waitFor();
    expect(await row(atOpportunity).locator('td[data-result]').textContent()).toBe('Migrated');
    expect(await row(atQuoteSent).locator('td[data-result]').textContent()).toBe('Migrated');
    for (const name of ['Pause', 'Resume', 'Cancel migration', 'Apply…']) expect(await page.getByRole('button', { name }).isDisabled()).toBe(true);
    await screenshot(page, 'migrations-done');
    expect(await accessibilityViolations(page)).toEqual([]);

    // After a reload the plans are listed, newest first, and the applied one opens again.
    const appliedId = (await page.getByRole('heading', { name: /^Migration mig/ }).textContent())!.replace('Migration ', '');
    await page.reload();
    const plans = page.getByRole('table', { name: 'Migrations planned' });
    await plans.locator(`tr[data-migration="${appliedId}"]`).waitFor();
    const listed = await plans.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-migration')));
    expect(listed.indexOf(appliedId)).toBe(0);
    expect(listed).toContain(firstId.replace('Migration ', ''));
    expect(await plans.locator(`tr[data-migration="${appliedId}"] td[data-status]`).textContent()).toBe('Done');
    expect(await page.getByRole('heading', { name: /^Migration mig/ }).count()).toBe(0);
    await plans.getByRole('button', { name: appliedId }).click();
    await page.getByTestId('migration-status').getByText('Done').waitFor();
    expect(await row(atQuoteSent).locator('td[data-result]').textContent()).toBe('Migrated');
    expect(await accessibilityViolations(page)).toEqual([]);

    expect((await journey(atOpportunity)).definition.version).toBe(v2);
    expect(await journey(atQuoteSent)).toMatchObject({ stage: 'proposal_sent', definition: { version: v2 } });
    expect(opened.errors).toEqual([]);
  });
});
