// Order add-ons and the credit hold, on real journeys (worker in-process): the suggestions kept with
// the order and shown on its view; ADD_LINES before CONFIRM re-prices the order, once per delivery,
// and the added lines reach the reservation, the shipment email and the invoice; a credit hold
// refuses CONFIRM with its reason until finance releases it, and the stuck monitor lists it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, journeyAtOpportunity, settledIn, type Harness } from './harness';

interface OrderView {
  id: string;
  total: { amount: string; currency: string };
  creditStatus: string;
  lines: { sku: string; quantity: number; total: { amount: string } }[];
  suggestions: { sku: string; name: string; reason: string; forSku: string; unitPrice: { amount: string } | null; onOrder: boolean }[];
}

describe('order add-ons and the credit hold', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const event = (as: Parameters<Harness['call']>[0], journeyId: string, body: unknown, headers?: Record<string, string>) =>
    h.call(as, 'POST', `/v1/journeys/${journeyId}/events`, body, headers);

  async function orderOf(journeyId: string): Promise<OrderView> {
    const view = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json<{ documents: { order: OrderView | null } }>();
    if (!view.documents.order) throw new Error(`journey ${journeyId} has no order`);
    return view.documents.order;
  }

  /** A journey whose order for one smart hub (89.00 EUR + 19% VAT) waits for its confirmation; `creditLimit` set on the account first. */
  async function journeyAtOrdering(creditLimit?: string): Promise<string> {
    const id = await journeyAtOpportunity(h);
    if (creditLimit !== undefined) {
      const lead = (await h.deps.db('leads').where({ journey_id: id }).first()) as { account_id: string };
      await h.deps.db('accounts').where({ id: lead.account_id }).update({ credit_limit: creditLimit });
    }
    expect((await event('rep', id, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } })).statusCode).toBeLessThan(300);
    await settledIn(h, id, ['quote_sent']);
    expect((await event('rep', id, { type: 'ACCEPT' })).statusCode).toBeLessThan(300);
    await settledIn(h, id, ['ordering']);
    return id;
  }

  it('keeps the suggestions with the order and shows them on the journey', async () => {
    const id = await journeyAtOrdering();
    const order = await orderOf(id);
    // The seed's accessories of HUB-1 are PSU-12 (12.00) and SEN-5 (24.50).
    expect(order.suggestions).toEqual(
      expect.arrayContaining([
        { sku: 'PSU-12', name: 'Power supply 12 V', reason: 'accessory', forSku: 'HUB-1', unitPrice: { amount: '12.00', currency: 'EUR' }, onOrder: false },
        { sku: 'SEN-5', name: 'Door sensor (5 pack)', reason: 'accessory', forSku: 'HUB-1', unitPrice: { amount: '24.50', currency: 'EUR' }, onOrder: false },
      ]),
    );
    expect(order.suggestions).toHaveLength(2);
    const stored = await h.deps.db('order_suggestions').where({ order_id: order.id }).orderBy('sku').select('sku', 'reason', 'for_sku');
    expect(stored).toEqual([
      { sku: 'PSU-12', reason: 'accessory', for_sku: 'HUB-1' },
      { sku: 'SEN-5', reason: 'accessory', for_sku: 'HUB-1' },
    ]);
    expect(order.creditStatus).toBe('approved');
    expect((await h.call('rep', 'GET', `/v1/journeys/${id}`)).json().allowedEvents).toEqual(expect.arrayContaining(['ADD_LINES', 'CONFIRM']));
  });

  it('adds a suggested accessory before CONFIRM, once for a delivery sent twice, and it reaches the invoice to the cent', async () => {
    const id = await journeyAtOrdering();
    const add = { type: 'ADD_LINES', data: { lines: [{ sku: 'PSU-12', quantity: 2 }] } };
    const headers = { 'idempotency-key': `add-${id}` };
    const [first, second] = await Promise.all([event('rep', id, add, headers), event('rep', id, add, headers)]);
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(first.json()).toMatchObject({ stage: 'ordering', status: 'awaiting_confirmation' });
    // And once more after the answer: the key still answers, the order does not grow.
    const third = await event('rep', id, add, headers);
    expect(third.headers['idempotent-replayed']).toBe('true');

    // 1 × 89.00 + 2 × 12.00 = 113.00 net; VAT 19% per line: 16.91 + 4.56 = 21.47; total 134.47.
    const order = await orderOf(id);
    expect(order.lines.map((l) => [l.sku, l.quantity, l.total.amount])).toEqual([
      ['HUB-1', 1, '105.91'],
      ['PSU-12', 2, '28.56'],
    ]);
    expect(order.total).toEqual({ amount: '134.47', currency: 'EUR' });
    expect(order.suggestions.find((s) => s.sku === 'PSU-12')?.onOrder).toBe(true);
    expect(order.suggestions.find((s) => s.sku === 'SEN-5')?.onOrder).toBe(false);
    const row = await h.deps.db('sales_orders').where({ id: order.id }).first();
    expect([row.net_total, row.tax_total, row.total]).toEqual(['113.00', '21.47', '134.47']);
    const timeline = (await h.call('rep', 'GET', `/v1/journeys/${id}`)).json<{ timeline: { type: string; event: string | null; actor: string | null }[] }>()
      .timeline;
    expect(timeline.filter((e) => e.event === 'ADD_LINES' && e.type === 'event')).toEqual([expect.objectContaining({ actor: 'usr-dach-1' })]);

    expect((await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' })).statusCode).toBeLessThan(300);
    await settledIn(h, id, ['fulfilment']);
    const reserved = await h.deps.db('reservations').where({ order_id: order.id }).orderBy('sku').select('sku', 'quantity');
    expect(reserved).toEqual([
      { sku: 'HUB-1', quantity: 1 },
      { sku: 'PSU-12', quantity: 2 },
    ]);
    for (const type of ['PICKED', 'PACKED']) expect((await event('warehouse', id, { type })).statusCode).toBe(200);
    expect((await event('warehouse', id, { type: 'SHIPPED', data: { carrier: 'DHL', trackingNumber: 'JD0001' } })).statusCode).toBe(200);
    const detail = await settledIn(h, id, ['awaiting_payment']);

    const shipmentMail = await h.deps.db('email_outbox').where({ journey_id: id, kind: 'shipment' }).first();
    expect(shipmentMail.text_body).toContain('PSU-12');
    const invoice = (detail.documents as { invoices: { id: string; total: unknown; amountDue: unknown }[] }).invoices[0]!;
    expect(invoice.total).toEqual({ amount: '134.47', currency: 'EUR' });
    expect(invoice.amountDue).toEqual({ amount: '134.47', currency: 'EUR' });
    const lines = await h.deps
      .db('invoice_lines')
      .where({ invoice_id: invoice.id })
      .orderBy('line_no')
      .select('sku', 'quantity', 'unit_price', 'tax_amount', 'total');
    expect(lines).toEqual([
      { sku: 'HUB-1', quantity: 1, unit_price: '89.00', tax_amount: '16.91', total: '105.91' },
      { sku: 'PSU-12', quantity: 2, unit_price: '12.00', tax_amount: '4.56', total: '28.56' },
    ]);
    const stored = await h.deps.db('invoices').where({ id: invoice.id }).first();
    expect([stored.net_total, stored.tax_total, stored.total]).toEqual(['113.00', '21.47', '134.47']);
  });

  it('refuses bad lines with the field, ADD_LINES outside ordering with the allowed events, and other roles', async () => {
    const id = await journeyAtOpportunity(h);
    const early = await event('rep', id, { type: 'ADD_LINES', data: { lines: [{ sku: 'PSU-12', quantity: 1 }] } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'transition_not_allowed', details: { allowedEvents: expect.arrayContaining(['PROPOSE']) } });

    const unknown = await event('rep', id, { type: 'ADD_LINES', data: { lines: [{ sku: 'NOPE-1', quantity: 1 }] } });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().error)).toContain('body.data.lines.0.sku');
    const zero = await event('rep', id, { type: 'ADD_LINES', data: { lines: [{ sku: 'PSU-12', quantity: 0 }] } });
    expect(zero.statusCode).toBe(400);
    expect(JSON.stringify(zero.json().error)).toContain('quantity');
    const discounted = await event('rep', id, { type: 'ADD_LINES', data: { lines: [{ sku: 'PSU-12', quantity: 1, discountPct: 50 }] } });
    expect(discounted.statusCode).toBe(400);
    const empty = await event('rep', id, { type: 'ADD_LINES', data: { lines: [] } });
    expect(empty.statusCode).toBe(400);

    const ordering = await journeyAtOrdering();
    const byWarehouse = await event('warehouse', ordering, { type: 'ADD_LINES', data: { lines: [{ sku: 'PSU-12', quantity: 1 }] } });
    expect(byWarehouse.statusCode).toBe(403);
    expect(byWarehouse.json().error.details.requiredRoles).toEqual(expect.arrayContaining(['sales_rep', 'sales_manager']));
    await h.deps.db('products').insert({ sku: 'UNPRICED-1', name: 'Unpriced', category: 'test', supplier: 'Nobody' }).onConflict('sku').ignore();
    const unpriced = await event('rep', ordering, {
      type: 'ADD_LINES',
      data: {
        lines: [
          { sku: 'PSU-12', quantity: 1 },
          { sku: 'UNPRICED-1', quantity: 1 },
        ],
      },
    });
    expect(unpriced.statusCode).toBe(400);
    expect(unpriced.json().error.details.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.data.lines.1.sku', message: 'no EUR price for UNPRICED-1' })]),
    );
    const byViewer = await event('viewer', ordering, { type: 'ADD_LINES', data: { lines: [{ sku: 'PSU-12', quantity: 1 }] } });
    expect(byViewer.statusCode).toBe(403);
    // No hold: nothing to release.
    const release = await event('finance', ordering, { type: 'RELEASE_CREDIT_HOLD' });
    expect(release.statusCode).toBe(409);
    expect((await orderOf(ordering)).total).toEqual({ amount: '105.91', currency: 'EUR' });
  });

  it('holds CONFIRM on credit with the reason until finance releases it, and the stuck monitor shows the hold', async () => {
    // 105.91 EUR against a limit of 100.00.
    const id = await journeyAtOrdering('100.00');
    expect((await orderOf(id)).creditStatus).toBe('hold');
    const reason = "credit hold: order total 105.91 EUR exceeds the account's limit 100.00 EUR";

    const confirm = await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    expect(confirm.statusCode).toBe(409);
    expect(confirm.json().error).toMatchObject({ code: 'credit_hold', message: reason, details: { stage: 'ordering' } });
    expect(confirm.json().error.details.allowedEvents).toContain('ADD_LINES');
    expect(confirm.json().error.details.allowedEvents).not.toContain('CONFIRM');
    const asEvent = await event('rep', id, { type: 'CONFIRM' });
    expect(asEvent.statusCode).toBe(409);
    expect(asEvent.json().error).toMatchObject({ code: 'credit_hold', message: reason });
    const view = (await h.call('finance', 'GET', `/v1/journeys/${id}`)).json();
    expect(view.allowedEvents).toContain('RELEASE_CREDIT_HOLD');

    const stuck = await eventually(async () => {
      const rows = (await h.call('finance', 'GET', '/v1/finance/stuck?reason=credit_hold')).json<{
        items: { journeyId: string; reason: string; hold: string | null }[];
      }>().items;
      const row = rows.find((r) => r.journeyId === id);
      expect(row).toBeDefined();
      return row!;
    });
    expect(stuck).toMatchObject({ reason: 'credit_hold', hold: reason });
    const held = (await h.call('rep', 'GET', `/v1/journeys/${id}`)).json();
    expect(held.stuck).toMatchObject({ reason: 'credit_hold', hold: reason });

    // Only finance (or admin) releases.
    const byRep = await event('rep', id, { type: 'RELEASE_CREDIT_HOLD' });
    expect(byRep.statusCode).toBe(403);
    expect(byRep.json().error.details.requiredRoles).toEqual(['finance']);
    const released = await event('finance', id, { type: 'RELEASE_CREDIT_HOLD', note: 'paid on time for years' });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ stage: 'ordering', status: 'awaiting_confirmation' });
    expect((await orderOf(id)).creditStatus).toBe('released');
    const timeline = (await h.call('finance', 'GET', `/v1/journeys/${id}`)).json<{
      timeline: { type: string; event: string | null; actor: string | null; role: string | null; at: string; detail: Record<string, unknown> }[];
    }>().timeline;
    const release = timeline.find((e) => e.event === 'RELEASE_CREDIT_HOLD');
    expect(release).toMatchObject({ type: 'confirmation', actor: 'usr-finance', role: 'finance', detail: { note: 'paid on time for years' } });
    expect(Date.parse(release!.at)).not.toBeNaN();

    await eventually(async () => {
      const rows = (await h.call('finance', 'GET', '/v1/finance/stuck?reason=credit_hold')).json<{ items: { journeyId: string }[] }>().items;
      expect(rows.map((r) => r.journeyId)).not.toContain(id);
    });
    const confirmed = await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    expect(confirmed.statusCode, confirmed.body).toBeLessThan(300);
    await settledIn(h, id, ['fulfilment']);
  });

  it('checks credit again when lines are added: an order that grows over the limit is held', async () => {
    // 105.91 fits a limit of 120.00; with a door sensor pack (29.16) it does not.
    const id = await journeyAtOrdering('120.00');
    expect((await orderOf(id)).creditStatus).toBe('approved');
    const added = await event('rep', id, { type: 'ADD_LINES', data: { lines: [{ sku: 'SEN-5', quantity: 1 }] } });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().allowedEvents).not.toContain('CONFIRM');
    expect((await orderOf(id)).creditStatus).toBe('hold');
    const confirm = await event('rep', id, { type: 'CONFIRM' });
    expect(confirm.json().error).toMatchObject({ code: 'credit_hold', message: "credit hold: order total 135.07 EUR exceeds the account's limit 120.00 EUR" });
  });
});
