// Customer credit on the real stack: an over-payment settles part (or all) of the same account's
// next invoice, and what is left is refunded by finance with gap-free credit notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCents, toCents } from '../../db/money';
import { pdfText } from '../helpers/pdfText';
import { createHarness, eventually, journeyAtOpportunity, newLead, settledIn, type Harness } from './harness';

type Money = { amount: string; currency: string };
interface Invoice {
  id: string;
  number: string;
  status: string;
  total: Money;
  amountDue: Money;
  creditApplied: Money;
}
interface AccountCredit {
  accountId: string;
  available: Money[];
  credits: { id: string; amount: Money; remaining: Money }[];
  uses: { creditId: string; invoiceId: string | null; creditNoteId: string | null; amount: Money }[];
  creditNotes: { id: string; number: string; amount: Money; reason: string; pdf: string }[];
}

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const minus = (a: string, b: string) => formatCents(toCents(a) - toCents(b));
const plus = (a: string, b: string) => formatCents(toCents(a) + toCents(b));

describe('customer credit', () => {
  let h: Harness;
  /** The account left with credit by the whole-invoice case, refunded by the later cases. */
  let creditedAccount = '';

  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  const event = (as: 'rep' | 'warehouse' | 'finance', journeyId: string, body: unknown) => h.call(as, 'POST', `/v1/journeys/${journeyId}/events`, body);
  const invoiceOf = async (journeyId: string) =>
    (await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).json<{ documents: { invoices: Invoice[] } }>().documents.invoices[0]!;
  const accountOf = async (journeyId: string) => String((await h.deps.db('invoices').where({ journey_id: journeyId }).first('account_id')).account_id);
  const creditOf = async (accountId: string) => (await h.call('finance', 'GET', `/v1/accounts/${accountId}/credit`)).json<AccountCredit>();
  const refund = (accountId: string, body: unknown, headers?: Record<string, string>) =>
    h.call('finance', 'POST', `/v1/accounts/${accountId}/credit-refunds`, body, headers);

  /** Walks a journey of this lead to where invoicing leads, and answers its invoice. */
  async function invoiced(lead: Record<string, unknown>, quantity: number, rests = ['awaiting_payment']): Promise<{ id: string; invoice: Invoice }> {
    const id = await journeyAtOpportunity(h, lead);
    expect((await event('rep', id, { type: 'PROPOSE', data: { lines: [{ sku: 'SEN-5', quantity }] } })).statusCode).toBeLessThan(300);
    await settledIn(h, id, ['quote_sent']);
    await event('rep', id, { type: 'ACCEPT' });
    await settledIn(h, id, ['ordering']);
    await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(h, id, ['fulfilment']);
    for (const type of ['PICKED', 'PACKED']) expect((await event('warehouse', id, { type })).statusCode).toBe(200);
    expect((await event('warehouse', id, { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: `1Z-${id}` } })).statusCode).toBeLessThan(300);
    await settledIn(h, id, rests, 60_000);
    return { id, invoice: await invoiceOf(id) };
  }

  /** Another person of the same company (same email domain): the same account, not a duplicate lead. */
  const colleagueOf = (lead: Record<string, unknown>) => {
    const domain = String(lead.email).split('@')[1];
    return newLead({ name: `Grace Hopper ${Date.now()}`, email: `grace.${Date.now()}@${domain}`, company: lead.company });
  };

  const pay = async (journeyId: string, amount: string, reference: string) => {
    const answer = await event('finance', journeyId, { type: 'PAYMENT_RECEIVED', data: { amount, currency: 'EUR', reference } });
    expect(answer.statusCode, answer.body).toBeLessThan(300);
  };

  it('an over-payment reduces the next invoice of the same account, and the sums add up to the cent', async () => {
    const lead = newLead();
    const first = await invoiced(lead, 1);
    expect(first.invoice.creditApplied).toEqual(eur('0.00'));
    await pay(first.id, plus(first.invoice.amountDue.amount, '3.25'), 'OVER-1');
    // Within the default tolerance the over-payment needs no review; a stricter one would hold it.
    const settled = await settledIn(h, first.id, ['closed', 'overpayment_review']);
    if (settled.stage === 'overpayment_review')
      await h.call('finance', 'POST', `/v1/journeys/${first.id}/confirmations`, { stage: 'overpayment_review', decision: 'approve' });
    await settledIn(h, first.id, ['closed']);

    const second = await invoiced(colleagueOf(lead), 2);
    const accountId = await accountOf(second.id);
    expect(await accountOf(first.id)).toBe(accountId);
    const total = second.invoice.total.amount;
    expect(second.invoice).toMatchObject({ status: 'partially_paid', creditApplied: eur('3.25'), amountDue: eur(minus(total, '3.25')) });

    const credit = await creditOf(accountId);
    expect(credit.available).toEqual([eur('0.00')]);
    expect(credit.credits.map((c) => [c.amount, c.remaining])).toEqual([[eur('3.25'), eur('0.00')]]);
    expect(credit.uses).toEqual([
      {
        creditId: credit.credits[0]!.id,
        invoiceId: second.invoice.id,
        invoiceNumber: second.invoice.number,
        creditNoteId: null,
        creditNoteNumber: null,
        amount: eur('3.25'),
        at: expect.any(String),
      },
    ]);

    const pdf = await h.call('admin', 'GET', `/v1/documents/invoices/${second.invoice.id}.pdf`);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain(`Total: ${total} EUR`);
    expect(text).toContain('Credit applied: -3.25 EUR');
    expect(text).toContain(`Amount due: ${minus(total, '3.25')} EUR`);
    const mail = await eventually(async () => {
      const row = await h.deps.db('email_outbox').where({ journey_id: second.id, kind: 'invoice' }).first('text_body');
      expect(row).toBeDefined();
      return row as { text_body: string };
    });
    expect(mail.text_body).toContain('Credit applied: -3.25 EUR');
    expect(mail.text_body).toContain(`Amount due: ${minus(total, '3.25')} EUR`);

    // The customer pays what is left: the credit and the payment settle the invoice exactly.
    await pay(second.id, second.invoice.amountDue.amount, 'REST-2');
    await settledIn(h, second.id, ['closed']);
    const row = await h.deps.db('invoices').where({ id: second.invoice.id }).first();
    expect(row).toMatchObject({ status: 'paid', amount_due: '0.00', credit_applied: '3.25', amount_paid: minus(total, '3.25') });
    expect(row.reconciled_at).not.toBeNull();
    const allocated = await h.deps.db('payment_allocations').where({ invoice_id: second.invoice.id }).sum({ sum: 'amount' }).first();
    expect(allocated?.sum).toBe(total);
  });

  it('a credit covering a whole invoice leaves it paid at issue, and the journey reaches paid without a payment', async () => {
    const lead = newLead();
    const first = await invoiced(lead, 1);
    await pay(first.id, plus(first.invoice.amountDue.amount, '500.00'), 'OVER-BIG');
    await settledIn(h, first.id, ['overpayment_review']);
    await h.call('finance', 'POST', `/v1/journeys/${first.id}/confirmations`, { stage: 'overpayment_review', decision: 'approve' });
    await settledIn(h, first.id, ['closed']);

    const second = await invoiced(colleagueOf(lead), 3, ['closed']);
    const total = second.invoice.total.amount;
    expect(second.invoice).toMatchObject({ status: 'paid', creditApplied: eur(total), amountDue: eur('0.00') });
    expect(await h.deps.db('payments').where({ journey_id: second.id })).toEqual([]);
    expect(await h.deps.db('dunning_notices').where({ invoice_id: second.invoice.id })).toEqual([]);
    const row = await h.deps.db('invoices').where({ id: second.invoice.id }).first();
    expect(row.reconciled_at).not.toBeNull();
    const detail = (await h.call('admin', 'GET', `/v1/journeys/${second.id}`)).json<{ timeline: { stage: string }[] }>();
    expect(detail.timeline.some((e) => e.stage === 'paid')).toBe(true);

    creditedAccount = await accountOf(second.id);
    expect((await creditOf(creditedAccount)).available).toEqual([eur(minus('500.00', total))]);
  });

  it('refunds credit as a credit note, once per Idempotency-Key, and refuses more than is available', async () => {
    expect(creditedAccount).not.toBe('');
    const before = (await creditOf(creditedAccount)).available[0]!.amount;
    const body = { amount: '10.00', currency: 'EUR', reason: 'Customer asked for the over-payment back' };
    const key = { 'idempotency-key': `refund-${creditedAccount}` };
    const made = await refund(creditedAccount, body, key);
    expect(made.statusCode, made.body).toBe(201);
    const note = made.json<AccountCredit['creditNotes'][number]>();
    expect(note).toMatchObject({ number: expect.stringMatching(/^CN-\d{4}-000001$/), amount: eur('10.00'), reason: body.reason });

    const again = await refund(creditedAccount, body, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(note);
    // As if the first answer was lost with its key record: the key still names the same note.
    await h.deps.db('api_idempotency_keys').where({ key: key['idempotency-key'] }).delete();
    const retried = await refund(creditedAccount, body, key);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toEqual(note);

    const credit = await creditOf(creditedAccount);
    expect(credit.creditNotes).toEqual([note]);
    const available = minus(before, '10.00');
    expect(credit.available).toEqual([eur(available)]);
    expect(credit.uses.filter((u) => u.creditNoteId === note.id).map((u) => u.amount)).toEqual([eur('10.00')]);

    const tooMuch = await refund(creditedAccount, { ...body, amount: plus(available, '0.01') });
    expect(tooMuch.statusCode, tooMuch.body).toBe(422);
    expect(tooMuch.json().error).toMatchObject({ code: 'insufficient_credit', details: { available: eur(available) } });
    expect(tooMuch.json().error.message).toContain(`${available} EUR`);
    const otherCurrency = await refund(creditedAccount, { ...body, currency: 'USD' });
    expect(otherCurrency.json().error).toMatchObject({ code: 'insufficient_credit', details: { available: { amount: '0.00', currency: 'USD' } } });
    expect((await refund(creditedAccount, { ...body, amount: '-1' })).json().error.details.issues[0].path).toBe('body.amount');
    expect((await refund('acc-nobody', body)).statusCode).toBe(404);
    expect((await creditOf(creditedAccount)).available).toEqual([eur(available)]);

    const pdf = await h.call('finance', 'GET', note.pdf);
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain(`Credit note ${note.number}`);
    expect(text).toContain('Refund of customer credit');
    expect(text).toContain(`Reason: ${body.reason}`);
    expect(text).toContain('Total: 10.00 EUR');
  });

  it('numbers concurrent refunds consecutively, without a gap, and consumes exactly what they refund', async () => {
    const before = (await creditOf(creditedAccount)).available[0]!.amount;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => refund(creditedAccount, { amount: '1.25', currency: 'EUR', reason: `Refund ${i}` })));
    for (const a of answers) expect(a.statusCode, a.body).toBe(201);
    const credit = await creditOf(creditedAccount);
    const numbers = credit.creditNotes.map((n) => Number(n.number.split('-').at(-1))).sort((a, b) => a - b);
    // The first note was 1; the refused refunds took no number.
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(credit.available).toEqual([eur(minus(before, '7.50'))]);
    const consumed = credit.uses.filter((u) => u.creditNoteId !== null).reduce((sum, u) => sum + toCents(u.amount.amount), 0n);
    expect(formatCents(consumed)).toBe('17.50');
  });

  it('lets only finance and admin see and refund credit', async () => {
    for (const persona of ['rep', 'manager', 'warehouse', 'ops', 'viewer'] as const) {
      expect((await h.call(persona, 'GET', `/v1/accounts/${creditedAccount}/credit`)).statusCode, persona).toBe(403);
      const post = await h.call(persona, 'POST', `/v1/accounts/${creditedAccount}/credit-refunds`, { amount: '1.00', currency: 'EUR', reason: 'no' });
      expect(post.statusCode, persona).toBe(403);
      expect((await h.call(persona, 'GET', '/v1/finance/credits')).statusCode, persona).toBe(403);
    }
    const listed = (await h.call('admin', 'GET', '/v1/finance/credits')).json<{ items: { accountId: string }[] }>();
    expect(listed.items.map((i) => i.accountId)).toHaveLength(2);
    // The account whose credit came last first; the limit counts accounts.
    const latest = await h.call('finance', 'GET', '/v1/finance/credits?limit=1');
    expect(latest.json()).toEqual({
      items: [{ accountId: creditedAccount, accountName: expect.any(String), available: (await creditOf(creditedAccount)).available }],
    });
    const byAdmin = await h.call('admin', 'POST', `/v1/accounts/${creditedAccount}/credit-refunds`, { amount: '1.00', currency: 'EUR', reason: 'By admin' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    expect(byAdmin.json().number).toMatch(/-000008$/);
  });
});
