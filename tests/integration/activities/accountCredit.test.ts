// Customer credit applied at invoice issue, through the activities on a real database: oldest
// credit first, at most the invoice's gross, once however often the issue is retried, and nothing
// at all when the issue dies midway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createActivityTestbed, journeyUpTo, leadInput, type ActivityTestbed } from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

const pay = (amount: string) => ({ amount, currency: 'EUR', reference: 'bank-ref' });

/** An account with two over-payments (12.00 first, then 300.00), and an order of the same account waiting for its invoice. */
async function accountWithCredit() {
  const lead = leadInput();
  const domain = lead.email.split('@')[1];
  const colleague = (name: string) => ({ lead: { ...lead, name: `${name} ${lead.name}`, email: `${name}.${lead.email.split('@')[0]}@${domain}` } });
  // Both invoiced before either is over-paid, so neither takes the other's credit.
  const first = await journeyUpTo(t.acts, 'invoice', { lead });
  const second = await journeyUpTo(t.acts, 'invoice', colleague('bob'));
  await t.acts.applyPayment({ journeyId: first.journeyId, step: 'payment.1', input: { invoiceId: first.invoiceId!, payment: pay('223.82') } });
  await t.acts.applyPayment({ journeyId: second.journeyId, step: 'payment.1', input: { invoiceId: second.invoiceId!, payment: pay('511.82') } });
  const next = await journeyUpTo(t.acts, 'order', colleague('eve'));
  expect(new Set([first.accountId, second.accountId, next.accountId]).size).toBe(1);
  return { accountId: first.accountId, next };
}

describe('credit applied at invoice issue', () => {
  it('takes the oldest credit first, at most the gross, once however often the issue runs', async () => {
    const { accountId, next } = await accountWithCredit();
    const call = { journeyId: next.journeyId, step: 'invoicing.issue', input: { orderId: next.orderId!, paymentTerms: 'P30D' } };
    const invoice = await t.acts.issueInvoice(call);
    // 211.82 gross: the 12.00 credit whole, then 199.82 of the 300.00.
    expect(invoice).toMatchObject({ total: { amount: '211.82', currency: 'EUR' }, amountDue: { amount: '0.00', currency: 'EUR' } });
    expect(await t.acts.issueInvoice({ ...call, step: 'invoicing.issue.retry' })).toEqual(invoice);

    const credits = await t.db('customer_credits').where({ account_id: accountId }).orderBy('created_at').select('amount', 'remaining');
    expect(credits).toEqual([
      { amount: '12.00', remaining: '0.00' },
      { amount: '300.00', remaining: '100.18' },
    ]);
    expect(await countRows(t.db, 'credit_uses', { invoice_id: invoice.invoiceId })).toBe(2);
    expect(await t.db('invoices').where({ id: invoice.invoiceId }).first()).toMatchObject({
      status: 'paid',
      credit_applied: '211.82',
      amount_due: '0.00',
      amount_paid: '0.00',
    });
    // Reconcile sees the credit's allocations as the invoice settled.
    expect(await t.acts.reconcile({ journeyId: next.journeyId, step: 'paid.reconcile', input: { invoiceId: invoice.invoiceId } })).toMatchObject({
      reconciled: true,
    });
  });

  it('never spends the same credit twice when invoices of one account are issued at once', async () => {
    const { accountId, next } = await accountWithCredit();
    const domain = next.email.split('@')[1];
    const more = await Promise.all(
      ['kim', 'lou', 'max', 'ned'].map((name) => journeyUpTo(t.acts, 'order', { lead: leadInput({ email: `${name}.${next.email.split('@')[0]}@${domain}` }) })),
    );
    expect(new Set(more.map((j) => j.accountId))).toEqual(new Set([accountId]));
    const issued = await Promise.all(
      [next, ...more].map((j) =>
        t.acts.issueInvoice({ journeyId: j.journeyId, step: 'invoicing.issue', input: { orderId: j.orderId!, paymentTerms: 'P30D' } }),
      ),
    );
    const rows = await t.db('invoices').whereIn(
      'id',
      issued.map((i) => i.invoiceId),
    );
    // 312.00 of credit over five invoices of 211.82: all of it used, none twice, each invoice adding up.
    expect(rows.reduce((sum, r) => sum + Number(r.credit_applied) * 100, 0)).toBe(31_200);
    for (const r of rows) expect(Math.round(Number(r.credit_applied) * 100) + Math.round(Number(r.amount_due) * 100)).toBe(21_182);
    expect((await t.db('customer_credits').where({ account_id: accountId }).pluck('remaining')).map(String)).toEqual(['0.00', '0.00']);
  });

  it('applies nothing and takes no number when the issue dies after consuming credit', async () => {
    const { accountId, next } = await accountWithCredit();
    const counter = async () => Number((await t.db('document_counters').where({ series: 'INV', year: 2026 }).first())?.last_number ?? 0);
    const numberBefore = await counter();
    await t.db.raw(`create function fail_credit_allocation() returns trigger language plpgsql as $$
      begin if exists (select 1 from invoices where id = new.invoice_id and order_id = '${next.orderId}') then raise exception 'simulated crash'; end if; return new; end $$`);
    await t.db.raw('create trigger fail_credit_allocation before insert on payment_allocations for each row execute function fail_credit_allocation()');
    const call = { journeyId: next.journeyId, step: 'invoicing.issue', input: { orderId: next.orderId!, paymentTerms: 'P30D' } };
    try {
      await expect(t.acts.issueInvoice(call)).rejects.toThrow();
    } finally {
      await t.db.raw('drop trigger fail_credit_allocation on payment_allocations');
      await t.db.raw('drop function fail_credit_allocation()');
    }
    expect(await countRows(t.db, 'invoices', { order_id: next.orderId })).toBe(0);
    expect(await counter()).toBe(numberBefore);
    expect((await t.db('customer_credits').where({ account_id: accountId }).orderBy('created_at').pluck('remaining')).map(String)).toEqual(['12.00', '300.00']);

    const invoice = await t.acts.issueInvoice(call);
    expect(invoice.amountDue).toEqual({ amount: '0.00', currency: 'EUR' });
    expect((await t.db('customer_credits').where({ account_id: accountId }).orderBy('created_at').pluck('remaining')).map(String)).toEqual(['0.00', '100.18']);
  });
});
