// Money over the API on the real stack: bad payment data is refused at the door with the field's
// path, simultaneous payments are both kept (the second as credit), a zero-value invoice settles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, journeyAtOpportunity, settledIn, type Harness } from './harness';

type Money = { amount: string; currency: string };
interface Documents {
  invoices: { id: string; status: string; total: Money; amountDue: Money }[];
  payments: { id: string; amount: Money; reference: string }[];
  credits: { paymentId: string; amount: Money }[];
}

describe('payments through the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const event = (as: Parameters<Harness['call']>[0], journeyId: string, body: unknown) => h.call(as, 'POST', `/v1/journeys/${journeyId}/events`, body);

  /** Walks a journey to awaiting_payment (or wherever invoicing leads) and answers its detail. */
  async function invoiced(lines: unknown[], rests = ['awaiting_payment']): Promise<{ id: string; detail: Record<string, unknown> }> {
    const id = await journeyAtOpportunity(h);
    expect((await event('rep', id, { type: 'PROPOSE', data: { lines } })).statusCode).toBeLessThan(300);
    const quoting = await settledIn(h, id, ['quoting', 'quote_sent']);
    if (quoting.stage === 'quoting') await h.call('manager', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'quoting', decision: 'approve' });
    await settledIn(h, id, ['quote_sent']);
    await event('rep', id, { type: 'ACCEPT' });
    await settledIn(h, id, ['ordering']);
    await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(h, id, ['fulfilment']);
    for (const type of ['PICKED', 'PACKED']) expect((await event('warehouse', id, { type })).statusCode).toBe(200);
    expect((await event('warehouse', id, { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: `1Z-${id}` } })).statusCode).toBeLessThan(300);
    return { id, detail: await settledIn(h, id, rests) };
  }

  const documents = async (id: string) => (await h.call('admin', 'GET', `/v1/journeys/${id}`)).json<{ documents: Documents; stage: string; status: string }>();

  it('refuses bad payment data with 400 naming the field, and the journey goes on', async () => {
    const { id, detail } = await invoiced([{ sku: 'SEN-5', quantity: 1 }]);
    const due = (detail.documents as Documents).invoices[0]!.amountDue;
    const bad: [Record<string, unknown>, string][] = [
      [{ amount: '0.001', currency: due.currency }, 'body.data.amount'],
      [{ amount: '0.00', currency: due.currency }, 'body.data.amount'],
      [{ amount: '-5.00', currency: due.currency }, 'body.data.amount'],
      [{ amount: '123456789012345678.00', currency: due.currency }, 'body.data.amount'],
      [{ amount: '10.00', currency: 'USD' }, 'body.data.currency'],
    ];
    for (const [data, path] of bad) {
      const response = await event('finance', id, { type: 'PAYMENT_RECEIVED', data: { ...data, reference: 'BAD-1' } });
      expect(response.statusCode, `${JSON.stringify(data)}: ${response.body}`).toBe(400);
      expect(response.json().error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    const after = await documents(id);
    expect([after.stage, after.status]).toEqual(['awaiting_payment', 'waiting']);
    expect(after.documents.payments).toEqual([]);
    const good = await event('finance', id, { type: 'PAYMENT_RECEIVED', data: { ...due, reference: 'GOOD-1' } });
    expect(good.statusCode, good.body).toBeLessThan(300);
    await settledIn(h, id, ['closed']);
  });

  it('keeps both of two simultaneous payments of the remaining amount: one settles, the other is credit', async () => {
    const { id, detail } = await invoiced([{ sku: 'SEN-5', quantity: 2 }]);
    const due = (detail.documents as Documents).invoices[0]!.amountDue;
    const [a, b] = await Promise.all([
      event('finance', id, { type: 'PAYMENT_RECEIVED', data: { ...due, reference: 'BANK-A' } }),
      event('admin', id, { type: 'PAYMENT_RECEIVED', data: { ...due, reference: 'BANK-B' } }),
    ]);
    expect(a.statusCode, a.body).toBeLessThan(300);
    expect(b.statusCode, b.body).toBeLessThan(300);
    await settledIn(h, id, ['closed']);
    const { documents: docs } = await documents(id);
    expect(docs.payments.map((p) => p.reference).sort()).toEqual(['BANK-A', 'BANK-B']);
    expect(docs.invoices[0]).toMatchObject({ status: 'paid', amountDue: { amount: '0.00' } });
    // Nothing lost: what the invoice did not take is the account's credit, shown on the journey.
    expect(docs.credits.map((c) => c.amount)).toEqual([due]);
    const timeline = (await h.call('admin', 'GET', `/v1/journeys/${id}`)).json<{ timeline: { event: string | null; detail: Record<string, unknown> }[] }>()
      .timeline;
    expect(timeline.filter((e) => e.event === 'PAYMENT_RECEIVED' && e.detail.credit !== undefined)).toHaveLength(1);
  });

  it('keeps a payment that arrives after the journey ended as the account credit, once however often it is sent', async () => {
    const { id, detail } = await invoiced([{ sku: 'SEN-5', quantity: 1 }]);
    const due = (detail.documents as Documents).invoices[0]!.amountDue;
    expect((await event('finance', id, { type: 'PAYMENT_RECEIVED', data: { ...due, reference: 'PAID-1' } })).statusCode).toBeLessThan(300);
    await settledIn(h, id, ['closed']);
    // The workflow has finished: nothing runs for this journey any more.
    await h.deps.temporal.workflow.getHandle(`journey-${id}`).result();

    const late = { type: 'PAYMENT_RECEIVED', data: { amount: '12.50', currency: due.currency, reference: 'LATE-1' } };
    const key = { 'idempotency-key': `late-${id}` };
    const first = await h.call('finance', 'POST', `/v1/journeys/${id}/events`, late, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ stage: 'closed', final: true, allowedEvents: [] });
    const again = await h.call('finance', 'POST', `/v1/journeys/${id}/events`, late, key);
    expect(again.json()).toEqual(first.json());

    const payments = await h.deps.db('payments').where({ journey_id: id }).orderBy('received_at').pluck('reference');
    expect(payments).toEqual(['PAID-1', 'LATE-1']);
    const credits = await h.deps
      .db('customer_credits')
      .join('payments', 'payments.id', 'customer_credits.payment_id')
      .where('payments.journey_id', id)
      .select('customer_credits.amount', 'customer_credits.remaining');
    expect(credits).toEqual([{ amount: '12.50', remaining: '12.50' }]);
    // Another currency than the invoice's is refused at the door, as before the end.
    const usd = await event('finance', id, { type: 'PAYMENT_RECEIVED', data: { amount: '1.00', currency: 'USD', reference: 'LATE-2' } });
    expect(usd.statusCode).toBe(400);
  });

  it('holds an over-payment beyond the tolerance for finance; the credit is a document on the journey', async () => {
    const { id, detail } = await invoiced([{ sku: 'SEN-5', quantity: 3 }]);
    const due = (detail.documents as Documents).invoices[0]!.amountDue;
    const over = (Number(due.amount) + 1_000_000).toFixed(2);
    expect(
      (await event('finance', id, { type: 'PAYMENT_RECEIVED', data: { amount: over, currency: due.currency, reference: 'BANK-OVER' } })).statusCode,
    ).toBeLessThan(300);
    const review = await settledIn(h, id, ['overpayment_review']);
    expect(review).toMatchObject({ status: 'awaiting_confirmation', pendingCheckpoint: { role: 'finance' } });
    expect((review.documents as Documents).credits.map((c) => c.amount)).toEqual([{ amount: '1000000.00', currency: due.currency }]);
    expect((await h.call('finance', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'overpayment_review', decision: 'approve' })).statusCode).toBeLessThan(
      300,
    );
    await settledIn(h, id, ['closed']);
  });

  it('settles a zero-value invoice at once: paid and closed, no dunning', async () => {
    const { id } = await invoiced([{ sku: 'SEN-5', quantity: 1, discountPct: 100 }], ['closed']);
    const { documents: docs } = await documents(id);
    expect(docs.invoices[0]).toMatchObject({ status: 'paid', total: { amount: '0.00' }, amountDue: { amount: '0.00' } });
    expect(await h.deps.db('dunning_notices').where({ invoice_id: docs.invoices[0]!.id })).toEqual([]);
  });
});
