import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivePurchaseOrder } from '../../../api/receipts';
import { setAccountAddresses } from '../../../db/queries/addresses';
import { countRows, createActivityTestbed, expectFailure, expectMailCount, journeyUpTo, type ActivityTestbed } from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

async function stock(sku: string): Promise<{ on_hand: number; reserved: number }> {
  return (await t.db('stock').where({ sku }).first('on_hand', 'reserved')) as { on_hand: number; reserved: number };
}

describe('reserveStock and raisePurchaseOrder', () => {
  it('reserves what is in stock, once per step', async () => {
    const before = await stock('HUB-1');
    const j = await journeyUpTo(t.acts, 'order', {
      lines: [
        { sku: 'HUB-1', quantity: 2 },
        { sku: 'SEN-5', quantity: 1 },
        { sku: 'HUB-1', quantity: 1 },
      ],
    });
    const call = { journeyId: j.journeyId, step: 'fulfilment.reserve', input: { orderId: j.orderId! } };
    expect(await t.acts.reserveStock(call)).toEqual({ reserved: true, shortages: [] });
    expect(await t.acts.reserveStock(call)).toEqual({ reserved: true, shortages: [] });
    expect(await stock('HUB-1')).toEqual({ on_hand: before.on_hand, reserved: before.reserved + 3 });
    expect(await countRows(t.db, 'reservations', { order_id: j.orderId })).toBe(2);
  });

  it('reports a shortage, raises a purchase order, and reserves the rest after the goods arrive', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lines: [{ sku: 'CAM-100', quantity: 8 }] });
    const first = await t.acts.reserveStock({ journeyId: j.journeyId, step: 'fulfilment.reserve.1', input: { orderId: j.orderId! } });
    expect(first).toEqual({ reserved: false, shortages: [{ sku: 'CAM-100', quantity: 3 }] });
    expect(await stock('CAM-100')).toEqual({ on_hand: 5, reserved: 5 });

    const poCall = { journeyId: j.journeyId, step: 'fulfilment.purchase', input: { orderId: j.orderId!, shortages: first.shortages } };
    const po = await t.acts.raisePurchaseOrder(poCall);
    expect(po.purchaseOrderIds).toHaveLength(1);
    expect(await t.acts.raisePurchaseOrder(poCall)).toEqual(po);
    expect(await countRows(t.db, 'purchase_orders', { order_id: j.orderId })).toBe(1);
    expect(await t.db('purchase_orders').where({ id: po.purchaseOrderIds[0] }).first()).toMatchObject({
      sku: 'CAM-100',
      quantity: 3,
      status: 'open',
      supplier: 'Optik Werke GmbH',
      number: expect.stringMatching(/^PO-2026-\d{6}$/),
    });

    // RESTOCKED: the warehouse receives the purchase order (the same receipt twice by mistake: counted once).
    const warehouse = { id: 'usr-warehouse', name: 'Wanda', email: 'wanda@lead-to-cash.local', roles: ['warehouse' as const], managerId: null };
    const receipt = { id: 'rcp_fulfilment_test', lines: [{ sku: 'CAM-100', quantity: 3 }] };
    expect((await receivePurchaseOrder(t.db, po.purchaseOrderIds[0]!, receipt, warehouse)).booked).toBe(true);
    expect((await receivePurchaseOrder(t.db, po.purchaseOrderIds[0]!, receipt, warehouse)).booked).toBe(false);
    expect(await t.db('purchase_orders').where({ id: po.purchaseOrderIds[0] }).first('status', 'received_quantity')).toEqual({
      status: 'received',
      received_quantity: 3,
    });
    expect(await stock('CAM-100')).toEqual({ on_hand: 8, reserved: 5 });
    expect(await t.acts.reserveStock({ journeyId: j.journeyId, step: 'fulfilment.reserve.2', input: { orderId: j.orderId! } })).toEqual({
      reserved: true,
      shortages: [],
    });
    expect(await stock('CAM-100')).toEqual({ on_hand: 8, reserved: 8 });
  });

  it('never reserves more than is on hand when orders compete', async () => {
    await t.db('products').insert({ sku: 'TST-1', name: 'Test widget', category: 'test' });
    await t.db('price_book').insert({ sku: 'TST-1', currency: 'EUR', unit_price: '1.00' });
    await t.db('stock').insert({ sku: 'TST-1', on_hand: 10 });
    const orders = await Promise.all([0, 1, 2].map(() => journeyUpTo(t.acts, 'order', { lines: [{ sku: 'TST-1', quantity: 6 }] })));
    const results = await Promise.all(orders.map((o) => t.acts.reserveStock({ journeyId: o.journeyId, step: 'r', input: { orderId: o.orderId! } })));
    expect(results.filter((r) => r.reserved)).toHaveLength(1);
    const short = results.flatMap((r) => r.shortages).reduce((sum, s) => sum + s.quantity, 0);
    expect(short).toBe(18 - 10);
    expect(await stock('TST-1')).toEqual({ on_hand: 10, reserved: 10 });
  });

  it('refuses unknown orders or products and bad input', async () => {
    const j = await journeyUpTo(t.acts, 'order');
    await expectFailure(t.acts.reserveStock({ journeyId: j.journeyId, step: 'x1', input: { orderId: 'ord_nope' } }), 'NotFound');
    await expectFailure(t.acts.reserveStock({ journeyId: j.journeyId, step: 'x2', input: {} as never }), 'InvalidInput');
    await expectFailure(
      t.acts.raisePurchaseOrder({ journeyId: j.journeyId, step: 'x3', input: { orderId: j.orderId!, shortages: [{ sku: 'NOPE', quantity: 1 }] } }),
      'UnknownSku',
    );
    await expectFailure(t.acts.raisePurchaseOrder({ journeyId: j.journeyId, step: 'x4', input: { orderId: j.orderId!, shortages: [] } }), 'InvalidInput');
    await expectFailure(
      t.acts.raisePurchaseOrder({ journeyId: j.journeyId, step: 'x5', input: { orderId: 'ord_nope', shortages: [{ sku: 'HUB-1', quantity: 1 }] } }),
      'NotFound',
    );
  });
});

describe('notifyShipment', () => {
  it('records the shipment, takes the goods out of stock and emails the customer once', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lines: [{ sku: 'SEN-5', quantity: 4 }] });
    await t.acts.reserveStock({ journeyId: j.journeyId, step: 'reserve', input: { orderId: j.orderId! } });
    const before = await stock('SEN-5');
    const call = { journeyId: j.journeyId, step: 'fulfilment.shipped', input: { orderId: j.orderId!, carrier: 'DHL', trackingNumber: 'JD0001234567' } };
    const result = await t.acts.notifyShipment(call);
    expect(await t.acts.notifyShipment(call)).toEqual(result);
    expect(await t.db('shipments').where({ order_id: j.orderId })).toEqual([
      expect.objectContaining({ id: result.shipmentId, carrier: 'DHL', tracking_number: 'JD0001234567', status: 'shipped' }),
    ]);
    expect(await stock('SEN-5')).toEqual({ on_hand: before.on_hand - 4, reserved: before.reserved - 4 });
    expect((await t.db('sales_orders').where({ id: j.orderId }).first()).status).toBe('shipped');
    const [mail] = await expectMailCount(j.email, 1);
    expect(mail!.subject).toMatch(/^Your order SO-2026-\d{6} has shipped$/);
    expect(mail!.raw).toContain('JD0001234567');
  });

  it('refuses unknown orders and bad input', async () => {
    await expectFailure(
      t.acts.notifyShipment({ journeyId: 'j-x', step: 's', input: { orderId: 'ord_nope', carrier: 'DHL', trackingNumber: '1' } }),
      'NotFound',
    );
    await expectFailure(
      t.acts.notifyShipment({ journeyId: 'j-x', step: 's2', input: { orderId: 'ord_nope', carrier: '', trackingNumber: '1' } }),
      'InvalidInput',
    );
  });
});

describe('the ship-to an order keeps', () => {
  const hamburg = { line1: 'Hafenweg 7', postalCode: '20457', city: 'Hamburg', country: 'DE' };
  const paris = { line1: 'Rue de Rivoli 10', postalCode: '75001', city: 'Paris', country: 'FR' };
  const shipTo = async (orderId: string) => ((await t.db('sales_orders').where({ id: orderId }).first('ship_to')) as { ship_to: unknown }).ship_to;

  it('is fixed by the first reservation that knows an address, and carried onto the shipment', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lines: [{ sku: 'SEN-5', quantity: 1 }] });
    const reserve = (step: string) => t.acts.reserveStock({ journeyId: j.journeyId, step, input: { orderId: j.orderId! } });
    // Confirmed while the account has no address: nothing to keep yet.
    await reserve('fulfilment.reserve.1');
    expect(await shipTo(j.orderId!)).toBeNull();
    // Completed before the goods arrive: the next reservation (after RESTOCKED) keeps it.
    await setAccountAddresses(t.db, j.accountId, { billing: hamburg });
    await reserve('fulfilment.reserve.2');
    expect(await shipTo(j.orderId!)).toEqual(hamburg);
    // A later change does not move the order, nor the shipment made from it.
    await setAccountAddresses(t.db, j.accountId, { shipping: paris });
    await reserve('fulfilment.reserve.3');
    const shipped = await t.acts.notifyShipment({
      journeyId: j.journeyId,
      step: 'fulfilment.shipped',
      input: { orderId: j.orderId!, carrier: 'DHL', trackingNumber: 'JD1' },
    });
    expect(await shipTo(j.orderId!)).toEqual(hamburg);
    expect((await t.db('shipments').where({ id: shipped.shipmentId }).first('ship_to')).ship_to).toEqual(hamburg);
  });

  it('prefers the shipping address to the billing address', async () => {
    const j = await journeyUpTo(t.acts, 'order', { lead: { billingAddress: hamburg, shippingAddress: paris }, lines: [{ sku: 'SEN-5', quantity: 1 }] });
    await t.acts.reserveStock({ journeyId: j.journeyId, step: 'fulfilment.reserve', input: { orderId: j.orderId! } });
    expect(await shipTo(j.orderId!)).toEqual(paris);
  });
});
