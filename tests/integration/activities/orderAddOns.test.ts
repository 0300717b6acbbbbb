// The order add-on activities on real PostgreSQL: suggestions kept once per order, lines added once
// per step (a retry adds nothing) with totals that are the sums of the rounded lines, a release of a
// credit hold, and refusals for an order that is no longer open or a product without a price.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createActivityTestbed, expectFailure, journeyUpTo, type ActivityTestbed } from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

describe('recommendAccessories', () => {
  it('keeps the suggestions with the order, once however often it runs', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lead: { country: 'DE' }, lines: [{ sku: 'HUB-1', quantity: 1 }] });
    const orderId = j.orderId!;
    const first = await t.acts.recommendAccessories({ journeyId: j.journeyId, step: 'ordering#1:recommendAccessories', input: { orderId } });
    expect(first.suggestions.map((s) => s.sku).sort()).toEqual(['PSU-12', 'SEN-5']);
    // Another step computes them again: still one row per product.
    await t.acts.recommendAccessories({ journeyId: j.journeyId, step: 'ordering#2:recommendAccessories', input: { orderId } });
    expect(await t.db('order_suggestions').where({ order_id: orderId }).orderBy('sku').select('sku', 'reason', 'for_sku')).toEqual([
      { sku: 'PSU-12', reason: 'accessory', for_sku: 'HUB-1' },
      { sku: 'SEN-5', reason: 'accessory', for_sku: 'HUB-1' },
    ]);
  });
});

describe('addOrderLines', () => {
  it('appends priced lines and adds their totals; a retry of the step adds nothing', async () => {
    // 3 × HUB-1 at 12.5 % off: 278.01 (see quotesOrders.test.ts); it stays as quoted.
    const j = await journeyUpTo(t.acts, 'order', { lead: { country: 'DE' }, lines: [{ sku: 'HUB-1', quantity: 3, discountPct: 12.5 }] });
    const orderId = j.orderId!;
    const call = { journeyId: j.journeyId, step: 'ordering#1:addOrderLines#1', input: { orderId, lines: [{ sku: 'SD-64', quantity: 7 }] } };
    const result = await t.acts.addOrderLines(call);
    // 7 × 19.90 = 139.30; VAT 19 % = 26.467 → 26.47; 165.77. Order: 278.01 + 165.77 = 443.78.
    expect(result).toEqual({ orderId, number: expect.stringMatching(/^SO-/), total: { amount: '443.78', currency: 'EUR' }, added: 1 });
    expect(await t.acts.addOrderLines(call)).toEqual(result);
    const lines = await t.db('sales_order_lines').where({ order_id: orderId }).orderBy('line_no').select('line_no', 'sku', 'discount_pct', 'total');
    expect(lines).toEqual([
      { line_no: 1, sku: 'HUB-1', discount_pct: '12.5000', total: '278.01' },
      { line_no: 2, sku: 'SD-64', discount_pct: '0.0000', total: '165.77' },
    ]);
    expect(await t.db('sales_orders').where({ id: orderId }).first()).toMatchObject({
      list_total: '406.30',
      discount_total: '33.38',
      net_total: '372.92',
      tax_total: '70.86',
      total: '443.78',
    });

    // The invoice takes every line and the totals as they are now.
    const invoice = await t.acts.issueInvoice({ journeyId: j.journeyId, step: 'invoicing#1:issueInvoice', input: { orderId, paymentTerms: 'P30D' } });
    expect(invoice.total).toEqual({ amount: '443.78', currency: 'EUR' });
    expect(await countRows(t.db, 'invoice_lines', { invoice_id: invoice.invoiceId })).toBe(2);

    // Invoiced: no more lines.
    await expectFailure(t.acts.addOrderLines({ ...call, step: 'ordering#1:addOrderLines#2' }), 'OrderNotOpen');
  });

  it('refuses a product without a price in the order currency', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lead: { country: 'DE' }, lines: [{ sku: 'HUB-1', quantity: 1 }] });
    await t.db('products').insert({ sku: 'UNPRICED-1', name: 'Unpriced', category: 'test', supplier: 'Nobody' }).onConflict('sku').ignore();
    await expectFailure(
      t.acts.addOrderLines({
        journeyId: j.journeyId,
        step: 'ordering#1:addOrderLines#1',
        input: { orderId: j.orderId!, lines: [{ sku: 'UNPRICED-1', quantity: 1 }] },
      }),
      'PriceNotFound',
    );
    expect(await countRows(t.db, 'sales_order_lines', { order_id: j.orderId })).toBe(1);
  });
});

describe('releaseCreditHold', () => {
  it('marks the held order released and answers its credit as approved', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lead: { country: 'DE' }, lines: [{ sku: 'HUB-1', quantity: 1 }] });
    const orderId = j.orderId!;
    await t.db('accounts').where({ id: j.accountId }).update({ credit_limit: '50.00' });
    const check = await t.acts.checkCredit({ journeyId: j.journeyId, step: 'ordering#1:checkCredit', input: { orderId } });
    expect(check).toEqual({ approved: false, exposure: { amount: '105.91', currency: 'EUR' }, limit: { amount: '50.00', currency: 'EUR' } });
    expect((await t.db('sales_orders').where({ id: orderId }).first()).credit_status).toBe('hold');
    const released = await t.acts.releaseCreditHold({ journeyId: j.journeyId, step: 'ordering#1:releaseCreditHold#1', input: { orderId } });
    expect(released).toEqual({ approved: true, exposure: { amount: '105.91', currency: 'EUR' }, limit: { amount: '50.00', currency: 'EUR' } });
    expect((await t.db('sales_orders').where({ id: orderId }).first()).credit_status).toBe('released');
  });
});
