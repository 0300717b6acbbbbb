// Email templates edited by ops: a saved version is what the next email of its kind says (read back
// from the SMTP sink the stack runs), emails already written keep their text, every version is kept,
// and a placeholder the template may not use is refused naming the part and what it may use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailTo } from '../helpers/activities';
import { mimeParts } from '../helpers/mimeParts';
import { capturedLead, createHarness, eventually, newLead, type Harness } from './harness';

interface TemplateAnswer {
  key: string;
  kind: string;
  subject: string;
  text: string;
  html: string;
  version: number;
  savedBy: string | null;
  placeholders: { name: string; sample: string }[];
  history: { version: number; savedBy: string | null }[];
}

/** The one auto-response the lead's address received: its subject and plain-text body. */
async function autoResponseTo(address: string): Promise<{ subject: string; text: string }> {
  const mail = await eventually(async () => {
    const received = await mailTo(address);
    expect(received).toHaveLength(1);
    return received[0]!;
  });
  const text = mimeParts(mail.raw).find((p) => p.contentType === 'text/plain');
  return { subject: mail.subject, text: text?.body.toString('utf8') ?? '' };
}

describe('email templates', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const template = async (key: string) => (await h.call('ops', 'GET', `/v1/email-templates/${key}`)).json<TemplateAnswer>();
  /** A lead no rule or product interest gives its own template: it gets `auto_response`. */
  async function capture(): Promise<{ email: string; journeyId: string; name: string }> {
    const lead = newLead({ country: 'FR', companySize: 20, productInterest: undefined });
    const captured = await capturedLead(h, 'rep', lead);
    expect(captured.statusCode, JSON.stringify(captured.body)).toBe(201);
    return { email: String(lead.email), name: String(lead.name), journeyId: String(captured.body.journeyId) };
  }

  it('lists every template and answers one with the placeholders of its kind', async () => {
    const list = await h.call('ops', 'GET', '/v1/email-templates');
    expect(list.statusCode).toBe(200);
    const keys = list.json<{ items: { key: string; version: number }[] }>().items.map((i) => i.key);
    expect(keys).toEqual(expect.arrayContaining(['auto_response', 'auto_response_enterprise', 'quote', 'invoice', 'dunning_final', 'sla_breach']));
    const invoice = await template('invoice');
    expect(invoice).toMatchObject({ key: 'invoice', kind: 'invoice', version: 0, savedBy: null, history: [] });
    expect(invoice.placeholders.map((p) => p.name)).toEqual(expect.arrayContaining(['invoiceNumber', 'paymentReference', 'linesHtml']));
    expect((await h.call('ops', 'GET', '/v1/email-templates/no_such_template')).statusCode).toBe(404);
  });

  it('sends the next email of the kind with the new version, and keeps what was already written', async () => {
    const first = await capture();
    const before = await autoResponseTo(first.email);
    expect(before.subject).toBe(`Thank you for your interest, ${first.name}`);
    const firstRow = await h.deps.db('email_outbox').where({ journey_id: first.journeyId, kind: 'auto_response' }).first('subject', 'text_body');

    const current = await template('auto_response');
    const saved = await h.call('ops', 'PUT', '/v1/email-templates/auto_response', {
      subject: 'Welcome aboard, {{name}}',
      text: 'Dear {{name}},\n\nyour contact is {{ownerName}} <{{ownerEmail}}>. We answer within one business day.',
      html: '<p>Dear {{name}},</p><p>your contact is {{ownerName}}. We answer within one business day.</p>',
      expectedVersion: current.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<TemplateAnswer>()).toMatchObject({ version: 1, savedBy: 'usr-ops', subject: 'Welcome aboard, {{name}}' });
    expect(saved.json<TemplateAnswer>().history.map((v) => v.version)).toEqual([1, 0]);

    const second = await capture();
    const after = await autoResponseTo(second.email);
    expect(after.subject).toBe(`Welcome aboard, ${second.name}`);
    expect(after.text).toContain('We answer within one business day.');
    expect(after.text).toMatch(/your contact is (Wendy|Walter) West </);
    // The first email's row keeps the text it was written with; each row names the version it used.
    expect(
      await h.deps.db('email_outbox').where({ journey_id: first.journeyId, kind: 'auto_response' }).first('subject', 'text_body', 'template_version'),
    ).toEqual({
      ...firstRow,
      template_version: 0,
    });
    const secondRow = await h.deps.db('email_outbox').where({ journey_id: second.journeyId, kind: 'auto_response' }).first('template_key', 'template_version');
    expect(secondRow).toEqual({ template_key: 'auto_response', template_version: 1 });
    // Version 0 is kept in the history as it was.
    const kept = await h.deps.db('email_template_versions').where({ key: 'auto_response', version: 0 }).first('subject');
    expect(kept.subject).toBe('Thank you for your interest, {{name}}');
  });

  it('changes nothing on an identical save, and refuses an edit of an older version', async () => {
    const now = await template('auto_response');
    const same = { subject: now.subject, text: now.text, html: now.html };
    const again = await h.call('ops', 'PUT', '/v1/email-templates/auto_response', { ...same, expectedVersion: now.version - 1 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<TemplateAnswer>().version).toBe(now.version);
    const stale = await h.call(
      'ops',
      'PUT',
      '/v1/email-templates/auto_response',
      { ...same, subject: 'Hello {{name}}' },
      { 'if-match': `"${now.version - 1}"` },
    );
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale_version', details: { currentVersion: now.version } });
    expect((await template('auto_response')).version).toBe(now.version);
  });

  it('refuses unknown and broken placeholders, naming the part and listing the ones it may use', async () => {
    const shipment = await template('shipment');
    for (const [part, value, problem] of [
      ['subject', 'Order {{orderNumber}} for {{invoiceNumber}}', 'unknown placeholder {{invoiceNumber}}'],
      ['text', 'Tracking: {{ trackingNumber }}', 'broken placeholder'],
      ['text', 'Tracking: {{trackingNumber}', 'broken placeholder'],
      ['subject', 'Shipped {{{carrier}}}', 'only the HTML body may use it'],
    ] as const) {
      const refused = await h.call('ops', 'PUT', '/v1/email-templates/shipment', {
        subject: shipment.subject,
        text: shipment.text,
        html: shipment.html,
        [part]: value,
      });
      expect(refused.statusCode, refused.body).toBe(422);
      const error = refused.json<{
        error: { code: string; message: string; details: { issues: { path: string; message: string }[]; placeholders: string[] } };
      }>().error;
      expect(error.code).toBe('invalid_template');
      expect(error.details.issues[0]).toMatchObject({ path: `body.${part}` });
      expect(error.details.issues[0]!.message).toContain(problem);
      expect(error.details.placeholders).toEqual(['name', 'orderNumber', 'carrier', 'trackingNumber', 'linesText', 'linesHtml']);
      expect(error.message).toContain('{{trackingNumber}}');
    }
    const blank = await h.call('ops', 'PUT', '/v1/email-templates/shipment', { subject: ' ', text: shipment.text, html: shipment.html });
    expect(blank.statusCode).toBe(400);
    expect(JSON.stringify(blank.json())).toContain('body.subject');
    expect((await template('shipment')).version).toBe(0);
  });

  it('previews the stored template or a draft, with sample data or the placeholders’ samples', async () => {
    const stored = await h.call('ops', 'POST', '/v1/email-templates/invoice/preview', {});
    expect(stored.statusCode, stored.body).toBe(200);
    const invoice = await template('invoice');
    const sample = Object.fromEntries(invoice.placeholders.map((p) => [p.name, p.sample]));
    expect(stored.json().subject).toBe(`Invoice ${sample.invoiceNumber}`);
    expect(stored.json().html).toContain(sample.linesHtml);

    const draft = await h.call('ops', 'POST', '/v1/email-templates/invoice/preview', {
      subject: 'Rechnung {{invoiceNumber}} für {{name}}',
      html: '<p>{{name}}</p>{{{linesHtml}}}',
      data: { name: 'Grace <Hopper>', invoiceNumber: 'INV-7' },
    });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ subject: 'Rechnung INV-7 für Grace <Hopper>' });
    expect(draft.json().html).toContain('<p>Grace &lt;Hopper&gt;</p><table>');
    expect(draft.json().text).toContain('please find invoice INV-7');
    // Previewing saves nothing.
    expect((await template('invoice')).version).toBe(0);

    const unknownData = await h.call('ops', 'POST', '/v1/email-templates/invoice/preview', { data: { carrier: 'DHL' } });
    expect(unknownData.statusCode).toBe(422);
    expect(unknownData.json().error.details.issues[0].path).toBe('body.data.carrier');
    const brokenDraft = await h.call('ops', 'POST', '/v1/email-templates/invoice/preview', { text: 'Hi {{nme}}' });
    expect(brokenDraft.statusCode).toBe(422);
    expect(brokenDraft.json().error.details.issues[0].path).toBe('body.text');
  });

  it('is for ops and admins only', async () => {
    for (const persona of ['rep', 'manager', 'finance', 'viewer'] as const) {
      expect((await h.call(persona, 'GET', '/v1/email-templates')).statusCode, persona).toBe(403);
      expect((await h.call(persona, 'POST', '/v1/email-templates/quote/preview', {})).statusCode, persona).toBe(403);
    }
    expect((await h.call('admin', 'GET', '/v1/email-templates/quote')).statusCode).toBe(200);
  });
});
