// Cash on the real stack: statements imported through the API match invoices of journeys waiting
// for payment, each bank line reaches its journey once, however often it is imported; quotes and
// invoices as PDF documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedReference } from '../../db/creditorReference';
import { camt053 } from '../helpers/camt053';
import { pdfText } from '../helpers/pdfText';
import { journeyAwaitingPayment, type InvoiceRecord as Invoice } from './cashJourneys';
import { createHarness, eventually, settledIn, type Harness } from './harness';

describe('bank statements, matching and the finance queue', () => {
  let h: Harness;
  const invoices: Invoice[] = [];

  const importXml = (xml: string) => h.call('finance', 'POST', '/v1/finance/bank-statements', xml, { 'content-type': 'application/xml' });
  const payments = async (invoice: Invoice) =>
    Number(((await h.deps.db('payments').where({ invoice_id: invoice.id }).count('* as n').first()) as { n: string }).n);

  beforeAll(async () => {
    h = await createHarness({ worker: true });
    for (let i = 0; i < 3; i++) invoices.push(await journeyAwaitingPayment(h));
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  it('gives every invoice an RF reference, printed in its email', async () => {
    const [a] = invoices as [Invoice];
    expect(a.payment_reference).toMatch(/^RF\d{2}INV\d{10}$/);
    await eventually(async () => {
      const mail = await h.deps.db('email_outbox').where({ journey_id: a.journey_id, kind: 'invoice' }).first();
      expect(mail.text_body).toContain(`Payment reference: ${printedReference(a.payment_reference)}`);
    });
  });

  it('imports a statement once: matched lines pay their journeys, a second import applies nothing', async () => {
    const [a, b, c] = invoices as [Invoice, Invoice, Invoice];
    const statement = camt053({
      version: '08',
      id: 'STMT-1',
      entries: [
        {
          amount: a.amount_due,
          acctSvcrRef: 'S1-A',
          details: [{ endToEndId: 'E-A', name: 'Customer A', iban: 'DE02120300000000202051', rf: a.payment_reference }],
        },
        { amount: '10.00', acctSvcrRef: 'S1-B', details: [{ endToEndId: 'E-B', ustrd: [`part of ${b.number}`] }] },
        // Paid and bounced in the same statement: the reversal cancels the allocation before it is sent.
        { amount: '5.00', acctSvcrRef: 'S1-C', details: [{ endToEndId: 'E-C', ustrd: [`Invoice ${c.number}`] }] },
        { amount: '5.00', direction: 'DBIT', reversal: true, acctSvcrRef: 'S1-C-R', details: [{ endToEndId: 'E-C' }] },
        { amount: '3.21', acctSvcrRef: 'S1-X', details: [{ ustrd: ['no idea'] }] },
        { amount: '99.00', direction: 'DBIT', acctSvcrRef: 'S1-D', details: [{ name: 'Office supplies' }] },
        { amount: '42.00', status: 'PDNG', details: [{ ustrd: ['pending'] }] },
      ],
    });
    const first = await importXml(statement);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ lines: 6, matched: 2, unmatched: 1, duplicates: 0, warnings: [] });
    await settledIn(h, a.journey_id, ['closed']);
    expect(await payments(a)).toBe(1);
    expect(await payments(b)).toBe(1);
    expect(await payments(c)).toBe(0);
    const reversed = await h.call('finance', 'GET', '/v1/finance/bank-lines?state=reversed');
    expect(
      reversed
        .json()
        .items.map((l: { bankReference: string }) => l.bankReference)
        .sort(),
    ).toEqual(['S1-C', 'S1-C-R']);

    const again = await importXml(statement);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ lines: 6, matched: 0, suggested: 0, unmatched: 0, duplicates: 6 });
    expect(await payments(a)).toBe(1);
    expect(await payments(b)).toBe(1);

    const detail = (await h.call('finance', 'GET', `/v1/journeys/${b.journey_id}`)).json();
    const paid = detail.timeline.find((e: { event?: string }) => e.event === 'PAYMENT_RECEIVED');
    expect(paid.detail.note).toMatch(/^bank line bln_\w+ \(invoice_number\)$/);
  });

  it('applies each line of two overlapping statements once', async () => {
    const [, b] = invoices as [Invoice, Invoice];
    const rest = (Number(b.amount_due) - 10).toFixed(2);
    const overlapping = camt053({
      version: '02',
      id: 'STMT-2',
      entries: [
        { amount: '10.00', acctSvcrRef: 'S1-B', details: [{ endToEndId: 'E-B', ustrd: [`part of ${b.number}`] }] },
        { amount: rest, acctSvcrRef: 'S2-B', details: [{ endToEndId: 'E-B2', ustrd: [`rest ${printedReference(b.payment_reference)}`] }] },
      ],
    });
    const answer = await importXml(overlapping);
    expect(answer.json()).toMatchObject({ lines: 2, matched: 1, duplicates: 1 });
    await settledIn(h, b.journey_id, ['closed']);
    expect(await payments(b)).toBe(2);
  });

  it('sends an allocation again after a crash with the same id, and the journey pays once', async () => {
    const [a] = invoices as [Invoice];
    // As if the process died after the journey took the payment but before it was recorded.
    const allocation = await h.deps.db('bank_allocations').where({ invoice_id: a.id }).first();
    await h.deps.db('bank_allocations').where({ id: allocation.id }).update({ applied_at: null });
    const answer = await importXml(camt053({ version: '08', id: 'STMT-3', entries: [] }));
    expect(answer.statusCode, answer.body).toBe(201);
    const resent = await h.deps.db('bank_allocations').where({ id: allocation.id }).first();
    expect(resent.applied_at).not.toBeNull();
    expect(await payments(a)).toBe(1);
  });

  it('queues the reversal of a payment a journey already took, naming the invoice it leaves unpaid', async () => {
    const [a] = invoices as [Invoice];
    const answer = await importXml(
      camt053({
        version: '08',
        id: 'STMT-R',
        entries: [{ amount: a.amount_due, direction: 'DBIT', reversal: true, acctSvcrRef: 'SR-A', details: [{ endToEndId: 'E-A' }] }],
      }),
    );
    expect(answer.json()).toMatchObject({ lines: 1, matched: 0, unmatched: 1 });
    const [reversal] = (await h.call('finance', 'GET', `/v1/finance/bank-lines?importId=${answer.json().importId}`)).json().items;
    const original = (await h.call('finance', 'GET', '/v1/finance/bank-lines?state=reversed'))
      .json()
      .items.find((l: { bankReference: string }) => l.bankReference === 'S1-A');
    expect(reversal).toMatchObject({
      state: 'unmatched',
      reversal: true,
      reverses: { lineId: original.id, paid: [{ invoiceId: a.id, amount: { amount: a.amount_due, currency: 'EUR' }, appliedAt: expect.any(String) }] },
    });
    expect(reversal.candidates[0].reasons[0]).toContain(`invoice ${a.number}'s journey already took`);
    expect(await payments(a)).toBe(1);
    const refused = await h.call('finance', 'POST', `/v1/finance/bank-lines/${reversal.id}/allocations`, { invoiceId: a.id, amount: '1.00' });
    expect(refused.json().error.code).toBe('line_not_open');
    const settled = await h.call('finance', 'POST', `/v1/finance/bank-lines/${reversal.id}/ignore`, { note: 'customer paid again by card' });
    expect(settled.json()).toMatchObject({ state: 'ignored', note: 'customer paid again by card', reverses: { lineId: original.id } });
  });

  it('lets finance allocate a suggested line (split) and ignore another, with clear refusals', async () => {
    const [, , c] = invoices as [Invoice, Invoice, Invoice];
    const answer = await importXml(
      camt053({
        version: '08',
        id: 'STMT-4',
        entries: [{ amount: c.amount_due, acctSvcrRef: 'S4-C', details: [{ name: 'Customer C', iban: 'DE44500105175407324931', ustrd: ['thanks'] }] }],
      }),
    );
    expect(answer.json()).toMatchObject({ lines: 1, suggested: 1, matched: 0 });
    const queue = (await h.call('finance', 'GET', `/v1/finance/bank-lines?state=suggested&importId=${answer.json().importId}`)).json();
    const line = queue.items[0];
    expect(line.candidates).toEqual([expect.objectContaining({ invoiceId: c.id, reasons: ["the amount equals the invoice's amount due"] })]);
    expect((await h.call('viewer', 'GET', '/v1/finance/bank-lines')).statusCode).toBe(403);

    const bad = await h.call('finance', 'POST', `/v1/finance/bank-lines/${line.id}/allocations`, { invoiceId: c.id, amount: '1,00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('body.amount');
    const too = await h.call('finance', 'POST', `/v1/finance/bank-lines/${line.id}/allocations`, { invoiceId: c.id, amount: '999999.00' });
    expect(too.statusCode).toBe(409);
    expect(too.json().error.code).toBe('over_allocated');

    const half = (Number(c.amount_due) / 2).toFixed(2);
    const first = await h.call('finance', 'POST', `/v1/finance/bank-lines/${line.id}/allocations`, { invoiceId: c.id, amount: half });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ applied: true, line: { state: 'suggested', allocated: { amount: half } } });
    const restAmount = (Number(c.amount_due) - Number(half)).toFixed(2);
    const second = await h.call('finance', 'POST', `/v1/finance/bank-lines/${line.id}/allocations`, { invoiceId: c.id, amount: restAmount });
    expect(second.json()).toMatchObject({ applied: true, line: { state: 'matched' } });
    await settledIn(h, c.journey_id, ['closed']);
    expect(await payments(c)).toBe(2);
    expect((await h.call('finance', 'POST', `/v1/finance/bank-lines/${line.id}/ignore`, { note: 'oops' })).json().error.code).toBe('line_allocated');

    const unmatched = (await h.call('finance', 'GET', '/v1/finance/bank-lines?state=unmatched'))
      .json()
      .items.find((l: { bankReference: string }) => l.bankReference === 'S1-X');
    const ignored = await h.call('finance', 'POST', `/v1/finance/bank-lines/${unmatched.id}/ignore`, { note: 'bank fee refund' });
    expect(ignored.json()).toMatchObject({ state: 'ignored', note: 'bank fee refund' });
    // The IBAN is learned for C's customer from the confirmed allocation.
    expect(await h.deps.db('customer_bank_accounts').where({ iban: 'DE44500105175407324931' }).count('* as n').first()).toEqual({ n: '1' });
  });

  it('refuses what cannot be read with the field path, never a 500', async () => {
    const csv = await h.call('finance', 'POST', '/v1/finance/bank-statements', 'date,amount\n', { 'content-type': 'text/csv' });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.details.issues[0].path).toBe('querystring.profile');
    const broken = await importXml(camt053({ version: '08', closing: '1.00', entries: [{ amount: 'abc', details: [{}] }] }));
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details.issues[0].path).toBe('body.Stmt[0].Ntry[0].Amt');
    const warned = await importXml(camt053({ version: '02', id: 'STMT-W', closing: '5.00', entries: [] }));
    expect(warned.json().warnings).toEqual([expect.stringContaining('closing balance is 5.00')]);
  });

  it('stores a line whose bank reference is longer than any column, once however often it is imported', async () => {
    const statement = camt053({ version: '08', id: 'STMT-LONG', entries: [{ amount: '7.00', acctSvcrRef: 'R'.repeat(300), details: [{ ustrd: ['long'] }] }] });
    const first = await importXml(statement);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ lines: 1, unmatched: 1, duplicates: 0 });
    const again = await importXml(statement);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ lines: 1, unmatched: 0, duplicates: 1 });
    expect(
      await h.deps
        .db('bank_lines')
        .where({ bank_reference: 'R'.repeat(100) })
        .count('* as n')
        .first(),
    ).toEqual({ n: '1' });
  });

  it('serves the invoice and the quote as PDF, scoped like the journey', async () => {
    const [a] = invoices as [Invoice];
    const response = await h.call('rep', 'GET', `/v1/documents/invoices/${a.id}.pdf`);
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(response.rawPayload);
    expect(text).toContain(`Invoice ${a.number}`);
    expect(text).toContain(`Total: ${a.total} EUR`);
    expect(text).toContain(printedReference(a.payment_reference));
    expect(text).toMatch(/Tax 19 % on/);

    const quote = (await h.deps.db('quotes').where({ journey_id: a.journey_id }).first()) as { id: string; number: string; total: string };
    const quotePdf = await h.call('rep', 'GET', `/v1/documents/quotes/${quote.id}.pdf`);
    expect(quotePdf.statusCode).toBe(200);
    const quoteText = await pdfText(quotePdf.rawPayload);
    expect(quoteText).toContain(`Quotation ${quote.number}`);
    expect(quoteText).toMatch(/Valid until \d{4}-\d{2}-\d{2}/);

    expect((await h.call('otherRep', 'GET', `/v1/documents/invoices/${a.id}.pdf`)).statusCode).toBe(404);
    expect((await h.call('finance', 'GET', '/v1/documents/invoices/inv_nobody.pdf')).json().error.code).toBe('not_found');
  });
});
