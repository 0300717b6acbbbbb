// Response rules and email templates in a real browser: ops add a rule with forms (a wrong size range
// is shown next to its field, then fixed and saved), edit a template and see the preview follow the
// draft, then save it; screenshots, and no serious or critical WCAG 2.1 AA violation found by axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './axe';
import { launchChromium, type BrowserSession } from './chromium';
import { openConsole, screenshot, type ConsolePage } from './console';
import { startConsoleStack, type ConsoleStack } from './server';

describe('the Response rules and Email templates pages', () => {
  let stack: ConsoleStack;
  let browser: BrowserSession;
  let opened: ConsolePage | undefined;

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

  it('lets ops add a response rule, with the refusal next to its field', { timeout: 120_000 }, async () => {
    opened = await openConsole(browser.context, stack.base, stack.tokens.ops);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Response rules', exact: true }).click();
    await page.getByRole('heading', { name: 'Response rules', level: 1 }).waitFor();
    await page.getByLabel('Rule 5 name').waitFor();
    expect(await page.getByLabel('Rule 1 name').inputValue()).toBe('DACH enterprise');

    await page.getByRole('button', { name: 'Add a rule' }).click();
    const rule = page.getByRole('listitem', { name: 'Rule 6' });
    await rule.getByLabel('Rule 6 name').fill('France small');
    await rule.getByLabel('Country (ISO code)').fill('fr');
    await rule.getByLabel('Company size from').fill('50');
    await rule.getByLabel('Company size up to').fill('10');
    await rule.getByLabel('Team').selectOption('console');
    await rule.getByLabel('Owner').selectOption({ label: 'Rita Rep' });
    await page.getByRole('button', { name: 'Save rules' }).click();
    const upTo = rule.getByLabel('Company size up to');
    await expect.poll(() => upTo.getAttribute('aria-invalid')).toBe('true');
    await rule.getByText('must not be below minCompanySize (50)').waitFor();
    await screenshot(page, 'response-rules-refused');
    expect(await accessibilityViolations(page)).toEqual([]);

    await upTo.fill('200');
    // Moved up to the top: it must win over the rule that sends every other lead west.
    for (let i = 6; i > 1; i--) await page.getByRole('button', { name: `Move rule ${i} up` }).click();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('status').getByText('Rules version 1 saved: the next lead is routed by them.').waitFor();
    await screenshot(page, 'response-rules');

    const saved = await stack.api<{ version: number; rules: { name: string; when: object; team?: string; ownerId?: string }[] }>(
      'ops',
      'GET',
      '/v1/response-rules',
    );
    expect(saved.body.version).toBe(1);
    expect(saved.body.rules[0]).toEqual({
      name: 'France small',
      when: { country: 'FR', minCompanySize: 50, maxCompanySize: 200 },
      team: 'console',
      ownerId: stack.userIds.rep,
    });
    expect(saved.body.rules).toHaveLength(6);
    expect(opened.errors).toEqual([]);
  });

  it('lets ops edit a template with a live preview, and save it', { timeout: 120_000 }, async () => {
    opened ??= await openConsole(browser.context, stack.base, stack.tokens.ops);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Email templates', exact: true }).click();
    await page.getByRole('heading', { name: 'Email templates', level: 1 }).waitFor();
    await page.getByLabel('Template', { exact: true }).selectOption('auto_response');
    const subject = page.getByLabel('Subject');
    await expect.poll(() => subject.inputValue()).toBe('Thank you for your interest, {{name}}');
    await page.getByTestId('preview-subject').getByText('Thank you for your interest, Ada Lovelace').waitFor();

    await subject.fill('Welcome, {{name}} from {{company}}');
    await page.getByTestId('preview-subject').getByText('Welcome, Ada Lovelace from Acme GmbH').waitFor();
    // A placeholder the template may not use is named next to its part while typing.
    await page.getByLabel('Text body').fill('Hello {{name}}, your invoice {{invoiceNumber}}.');
    await page.getByText('unknown placeholder {{invoiceNumber}}').waitFor();
    expect(await page.getByLabel('Text body').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Text body').fill('Hello {{name}},\n\n{{ownerName}} will call you today.');
    await page.getByTestId('preview-text').getByText('Dieter Dach will call you today.').waitFor();
    await screenshot(page, 'email-templates');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Version 1, saved by').waitFor();
    const saved = await stack.api<{ version: number; subject: string; text: string }>('ops', 'GET', '/v1/email-templates/auto_response');
    expect(saved.body).toMatchObject({
      version: 1,
      subject: 'Welcome, {{name}} from {{company}}',
      text: 'Hello {{name}},\n\n{{ownerName}} will call you today.',
    });
    expect(opened.errors).toEqual([]);
  });
});
