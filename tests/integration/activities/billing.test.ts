import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createActivityTestbed, expectFailure, expectMailCount, journeyUpTo, type ActivityTestbed } from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

const pay = (amount: string, reference = 'bank-ref', currency = 'EUR') => ({ amount, currency, reference });

describe('issueInvoice', () => {
  it('numbers the invoice per year, copies the order and sets the due date from the payment terms', async () => {
    const j = await journeyUpTo(t.acts, 'order');
    const call = { journeyId: j.journeyId, step: 'invoicing.issue', input: { orderId: j.orderId!, paymentTerms: 'P1M' } };
    const invoice = await t.acts.issueInvoice(call);
    expect(invoice).toEqual({
      invoiceId: expect.stringMatching(/^inv_/),
      number: expect.stringMatching(/^INV-2026-\d{6}$/),
      total: { amount: '211.82', currency: 'EUR' },
      dueDate: '2026-04-10T09:00:00.000Z',
      amountDue: { amount: '211.82', currency: 'EUR' },
    });
    expect(await t.acts.issueInvoice(call)).toEqual(invoice);
    expect(await t.acts.issueInvoice({ ...call, step: 'invoicing.issue.again' })).toEqual(invoice);
    expect(await countRows(t.db, 'invoices', { order_id: j.orderId })).toBe(1);
    expect(await t.db('invoices').where({ id: invoice.invoiceId }).first()).toMatchObject({
      net_total: '178.00',
      tax_total: '33.82',
      tax_country: 'DE',
      status: 'open',
      payment_terms: 'P1M',
    });
    expect(await t.db('invoice_lines').where({ invoice_id: invoice.invoiceId })).toEqual([
      expect.objectContaining({ sku: 'HUB-1', quantity: 2, net_amount: '178.00', tax_amount: '33.82', total: '211.82' }),
    ]);
    expect((await t.db('sales_orders').where({ id: j.orderId }).first()).status).toBe('invoiced');
  });

  it('gives 50 concurrent invoices unique numbers without gaps, even when one of them fails midway', async () => {
    const orders = [];
    for (let batch = 0; batch < 5; batch += 1) orders.push(...(await Promise.all(Array.from({ length: 10 }, () => journeyUpTo(t.acts, 'order')))));
    // A 51st issue dies after taking its number (the invoice insert fails): its number must come back.
    const doomed = await journeyUpTo(t.acts, 'order');
    await t.db.raw(`create function fail_doomed_invoice() returns trigger language plpgsql as $$
      begin if new.order_id = '${doomed.orderId}' then raise exception 'simulated crash'; end if; return new; end $$`);
    await t.db.raw('create trigger fail_doomed_invoice before insert on invoices for each row execute function fail_doomed_invoice()');
    try {
      const issue = (o: { journeyId: string; orderId?: string }) =>
        t.acts.issueInvoice({ journeyId: o.journeyId, step: 'invoicing.issue', input: { orderId: o.orderId!, paymentTerms: 'P30D' } });
      const settled = await Promise.allSettled([...orders.slice(0, 25), doomed, ...orders.slice(25)].map(issue));
      expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1);
      const invoices = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      expect(new Set(invoices.map((i) => i.number)).size).toBe(50);
    } finally {
      await t.db.raw('drop trigger fail_doomed_invoice on invoices');
      await t.db.raw('drop function fail_doomed_invoice()');
    }
    const all = ((await t.db('invoices').select('number')) as { number: string }[])
      .map((r) => Number(r.number.slice('INV-2026-'.length)))
      .sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect((await t.db('document_counters').where({ series: 'INV', year: 2026 }).first()).last_number).toBe(all.length);
  });

  it('refuses unknown orders and bad payment terms', async () => {
    await expectFailure(t.acts.issueInvoice({ journeyId: 'j-x', step: 'i', input: { orderId: 'ord_nope', paymentTerms: 'P30D' } }), 'NotFound');
    await expectFailure(t.acts.issueInvoice({ journeyId: 'j-x', step: 'i2', input: { orderId: 'ord_nope', paymentTerms: '30 days' } }), 'InvalidInput');
  });
});

describe('sendInvoice', () => {
  it('emails the invoice once', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const call = { journeyId: j.journeyId, step: 'invoicing.email', input: { invoiceId: j.invoiceId! } };
    const result = await t.acts.sendInvoice(call);
    expect(await t.acts.sendInvoice(call)).toEqual(result);
    const invoice = await t.db('invoices').where({ id: j.invoiceId }).first();
    const [mail] = await expectMailCount(j.email, 1);
    expect(mail!.subject).toBe(`Invoice ${invoice.number}`);
    expect(mail!.raw).toContain('2026-04-09');
    expect(invoice.sent_at).not.toBeNull();
    await expectFailure(t.acts.sendInvoice({ journeyId: j.journeyId, step: 'x', input: { invoiceId: 'inv_nope' } }), 'NotFound');
    await expectFailure(t.acts.sendInvoice({ journeyId: j.journeyId, step: 'y', input: { invoice: j.invoiceId } as never }), 'InvalidInput');
  });
});

describe('applyPayment', () => {
  it('applies a partial payment, then the exact rest; a further payment is refused', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const partial = { journeyId: j.journeyId, step: 'payment.1', input: { invoiceId: j.invoiceId!, payment: pay('100.00', 'ref-1') } };
    const first = await t.acts.applyPayment(partial);
    expect(first).toEqual({
      paymentId: expect.stringMatching(/^pay_/),
      amountDue: { amount: '111.82', currency: 'EUR' },
      paidInFull: false,
      credit: { amount: '0.00', currency: 'EUR' },
    });
    expect(await t.acts.applyPayment(partial)).toEqual(first);
    expect(await countRows(t.db, 'payments', { invoice_id: j.invoiceId })).toBe(1);
    expect((await t.db('invoices').where({ id: j.invoiceId }).first()).status).toBe('partially_paid');

    const rest = await t.acts.applyPayment({ journeyId: j.journeyId, step: 'payment.2', input: { invoiceId: j.invoiceId!, payment: pay('111.82', 'ref-2') } });
    expect(rest).toMatchObject({ amountDue: { amount: '0.00', currency: 'EUR' }, paidInFull: true, credit: { amount: '0.00', currency: 'EUR' } });
    expect(await t.db('invoices').where({ id: j.invoiceId }).first()).toMatchObject({ status: 'paid', amount_paid: '211.82', amount_due: '0.00' });
    await expectFailure(
      t.acts.applyPayment({ journeyId: j.journeyId, step: 'payment.3', input: { invoiceId: j.invoiceId!, payment: pay('1.00') } }),
      'InvoiceAlreadyPaid',
    );
  });

  it('keeps an over-payment as customer credit', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const result = await t.acts.applyPayment({ journeyId: j.journeyId, step: 'payment.1', input: { invoiceId: j.invoiceId!, payment: pay('250.00') } });
    expect(result).toMatchObject({ amountDue: { amount: '0.00', currency: 'EUR' }, paidInFull: true, credit: { amount: '38.18', currency: 'EUR' } });
    expect(await t.db('customer_credits').where({ invoice_id: j.invoiceId })).toEqual([
      expect.objectContaining({ account_id: j.accountId, payment_id: result.paymentId, amount: '38.18', remaining: '38.18', currency: 'EUR' }),
    ]);
    expect(await t.db('payment_allocations').where({ invoice_id: j.invoiceId })).toEqual([expect.objectContaining({ amount: '211.82' })]);
  });

  it('refuses a payment in another currency, a non-positive amount and bad input, recording nothing', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const mismatch = await expectFailure(
      t.acts.applyPayment({ journeyId: j.journeyId, step: 'p', input: { invoiceId: j.invoiceId!, payment: pay('211.82', 'usd', 'USD') } }),
      'CurrencyMismatch',
    );
    expect(mismatch.details).toEqual([{ invoiceId: j.invoiceId, invoiceCurrency: 'EUR', paymentCurrency: 'USD' }]);
    await expectFailure(t.acts.applyPayment({ journeyId: j.journeyId, step: 'p2', input: { invoiceId: j.invoiceId!, payment: pay('-5.00') } }), 'InvalidInput');
    await expectFailure(
      t.acts.applyPayment({
        journeyId: j.journeyId,
        step: 'p3',
        input: { invoiceId: j.invoiceId!, payment: { amount: 12.5, currency: 'EUR', reference: 'x' } } as never,
      }),
      'InvalidInput',
    );
    await expectFailure(t.acts.applyPayment({ journeyId: j.journeyId, step: 'p4', input: { invoiceId: 'inv_nope', payment: pay('1.00') } }), 'NotFound');
    expect(await countRows(t.db, 'payments', { invoice_id: j.invoiceId })).toBe(0);
    expect(await countRows(t.db, 'activity_results', { journey_id: j.journeyId, step: 'p' })).toBe(0);
  });
});

describe('sendDunningNotice and reconcile', () => {
  it('adds the fee to the amount due, emails each level once, and reconciles after full payment', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const level1 = { journeyId: j.journeyId, step: 'dunning.1', input: { invoiceId: j.invoiceId!, level: 1, fee: null, template: 'dunning_reminder' } };
    const first = await t.acts.sendDunningNotice(level1);
    expect(first).toEqual({
      noticeId: expect.stringMatching(/^dun_/),
      emailId: expect.stringMatching(/^email_/),
      amountDue: { amount: '211.82', currency: 'EUR' },
    });
    expect(await t.acts.sendDunningNotice(level1)).toEqual(first);

    const second = await t.acts.sendDunningNotice({
      journeyId: j.journeyId,
      step: 'dunning.2',
      input: { invoiceId: j.invoiceId!, level: 2, fee: { amount: '5.00', currency: 'EUR' }, template: 'second' },
    });
    expect(second.amountDue).toEqual({ amount: '216.82', currency: 'EUR' });
    expect(await t.db('invoices').where({ id: j.invoiceId }).first()).toMatchObject({ fees_total: '5.00', amount_due: '216.82' });
    expect(await t.db('dunning_notices').where({ invoice_id: j.invoiceId }).orderBy('level')).toEqual([
      expect.objectContaining({ level: 1, fee: '0.00', template: 'dunning_reminder' }),
      expect.objectContaining({ level: 2, fee: '5.00', template: 'dunning_second', amount_due: '216.82' }),
    ]);
    const mails = await expectMailCount(j.email, 2);
    const invoice = await t.db('invoices').where({ id: j.invoiceId }).first();
    expect(mails.map((m) => m.subject).sort()).toEqual([`Payment reminder: invoice ${invoice.number}`, `Second reminder: invoice ${invoice.number}`]);

    const partly = await t.acts.applyPayment({ journeyId: j.journeyId, step: 'payment.1', input: { invoiceId: j.invoiceId!, payment: pay('200.00') } });
    expect(partly.amountDue.amount).toBe('16.82');
    expect(await t.acts.reconcile({ journeyId: j.journeyId, step: 'reconcile.early', input: { invoiceId: j.invoiceId! } })).toEqual({
      reconciled: false,
      paid: { amount: '200.00', currency: 'EUR' },
      credit: { amount: '0.00', currency: 'EUR' },
    });
    await t.acts.applyPayment({ journeyId: j.journeyId, step: 'payment.2', input: { invoiceId: j.invoiceId!, payment: pay('20.00') } });
    const done = await t.acts.reconcile({ journeyId: j.journeyId, step: 'paid.reconcile', input: { invoiceId: j.invoiceId! } });
    expect(done).toEqual({ reconciled: true, paid: { amount: '220.00', currency: 'EUR' }, credit: { amount: '3.18', currency: 'EUR' } });
    expect(await t.acts.reconcile({ journeyId: j.journeyId, step: 'paid.reconcile', input: { invoiceId: j.invoiceId! } })).toEqual(done);
    expect((await t.db('invoices').where({ id: j.invoiceId }).first()).reconciled_at).not.toBeNull();

    await expectFailure(
      t.acts.sendDunningNotice({ journeyId: j.journeyId, step: 'dunning.3', input: { invoiceId: j.invoiceId!, level: 3, fee: null, template: 'final' } }),
      'InvoiceAlreadyPaid',
    );
    await expectMailCount(j.email, 2);
  });

  it('falls back to the level template, and refuses a fee in another currency and bad input', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    await t.acts.sendDunningNotice({
      journeyId: j.journeyId,
      step: 'd3',
      input: { invoiceId: j.invoiceId!, level: 3, fee: null, template: 'whatever-ops-named-it' },
    });
    const [mail] = await expectMailCount(j.email, 1);
    expect(mail!.subject).toMatch(/^Final notice: invoice INV-2026-\d{6}$/);
    await expectFailure(
      t.acts.sendDunningNotice({
        journeyId: j.journeyId,
        step: 'd',
        input: { invoiceId: j.invoiceId!, level: 2, fee: { amount: '5.00', currency: 'USD' }, template: 'dunning_second' },
      }),
      'CurrencyMismatch',
    );
    await expectFailure(
      t.acts.sendDunningNotice({ journeyId: j.journeyId, step: 'd2', input: { invoiceId: j.invoiceId!, level: 0, fee: null, template: 'x' } }),
      'InvalidInput',
    );
    await expectFailure(
      t.acts.sendDunningNotice({ journeyId: j.journeyId, step: 'd4', input: { invoiceId: 'inv_nope', level: 1, fee: null, template: 'x' } }),
      'NotFound',
    );
    await expectFailure(t.acts.reconcile({ journeyId: j.journeyId, step: 'r', input: { invoiceId: 'inv_nope' } }), 'NotFound');
    await expectFailure(t.acts.reconcile({ journeyId: j.journeyId, step: 'r2', input: {} as never }), 'InvalidInput');
    expect((await t.db('invoices').where({ id: j.invoiceId }).first()).fees_total).toBe('0.00');
  });
});
