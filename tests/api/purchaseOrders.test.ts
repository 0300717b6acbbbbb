// Purchase orders end to end on the real stack: journeys short of stock wait in fulfilment, the
// warehouse receives their purchase orders through the API, and RESTOCKED reaches the journeys by
// itself, oldest order first, as far as the stock reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivePurchaseOrder } from '../../api/receipts';
import { sendRestocks, startRestockSweep } from '../../api/restocks';
import { eventually, journeyAtOpportunity, personas, settledIn, type Harness, createHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ worker: true });
});
afterAll(async () => {
  await h.close();
});

let products = 0;
/** A product of its own for each test, with `onHand` in stock, so tests never share stock. */
async function product(onHand: number): Promise<string> {
  const sku = `TST-PO-${Date.now().toString(36)}-${products++}`;
  await h.deps.db('products').insert({ sku, name: `Test part ${sku}`, category: 'test', supplier: 'Test Supplies' });
  await h.deps.db('price_book').insert({ sku, currency: 'EUR', unit_price: '10.00' });
  await h.deps.db('stock').insert({ sku, on_hand: onHand });
  return sku;
}

/** Walks a new journey to fulfilment with one order line; it rests there (waiting when short). */
async function journeyInFulfilment(sku: string, quantity: number): Promise<string> {
  const id = await journeyAtOpportunity(h);
  const event = (body: unknown) => h.call('rep', 'POST', `/v1/journeys/${id}/events`, body);
  expect([200, 202]).toContain((await event({ type: 'PROPOSE', data: { lines: [{ sku, quantity }] } })).statusCode);
  await settledIn(h, id, ['quote_sent']);
  expect([200, 202]).toContain((await event({ type: 'ACCEPT' })).statusCode);
  await settledIn(h, id, ['ordering']);
  expect([200, 202]).toContain((await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' })).statusCode);
  await settledIn(h, id, ['fulfilment']);
  return id;
}

interface PurchaseOrder {
  id: string;
  number: string;
  status: string;
  lines: { sku: string; name: string; ordered: number; received: number; outstanding: number }[];
  raisedFor: { orderId: string; orderNumber: string; journeyId: string } | null;
  createdAt: string;
}

async function purchaseOrderOf(journeyId: string): Promise<PurchaseOrder> {
  const response = await h.call('warehouse', 'GET', '/v1/purchase-orders?status=open');
  expect(response.statusCode).toBe(200);
  const found = response.json<{ items: PurchaseOrder[] }>().items.find((po) => po.raisedFor?.journeyId === journeyId);
  if (!found) throw new Error(`no open purchase order for journey ${journeyId}`);
  return found;
}

const receive = (id: string, lines: unknown, headers?: Record<string, string>) =>
  h.call('warehouse', 'POST', `/v1/purchase-orders/${id}/receipts`, { lines }, headers);

async function warehouseEvents(journeyId: string): Promise<string[]> {
  return (await h.call('warehouse', 'GET', `/v1/journeys/${journeyId}`)).json<{ allowedEvents: string[] }>().allowedEvents;
}

async function stockOf(sku: string): Promise<{ on_hand: number; reserved: number }> {
  return (await h.deps.db('stock').where({ sku }).first('on_hand', 'reserved')) as { on_hand: number; reserved: number };
}

describe('purchase orders', () => {
  it('a short journey waits; a partial receipt keeps it waiting; the rest moves it on by itself, through shipping', async () => {
    const sku = await product(1);
    const journeyId = await journeyInFulfilment(sku, 3);
    expect(await warehouseEvents(journeyId)).toEqual(['RESTOCKED']);

    const po = await purchaseOrderOf(journeyId);
    expect(po).toMatchObject({ status: 'open', lines: [{ sku, name: `Test part ${sku}`, ordered: 2, received: 0, outstanding: 2 }] });
    const products = (await h.call('rep', 'GET', '/v1/products')).json<{ sku: string; availability: unknown }[]>();
    expect(products.find((p) => p.sku === sku)?.availability).toEqual({ onHand: 1, reserved: 1, available: 0, incoming: 2 });
    const detail = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json<{ documents: { backorder: unknown } }>();
    expect(detail.documents.backorder).toEqual([
      { sku, name: `Test part ${sku}`, short: 2, purchaseOrders: [{ id: po.id, number: po.number, status: 'open', ordered: 2, received: 0 }] },
    ]);

    // One of two arrives: still short, so the journey is not disturbed.
    const partial = await receive(po.id, [{ sku, quantity: 1 }]);
    expect(partial.statusCode).toBe(201);
    expect(partial.json()).toMatchObject({
      lines: [{ sku, quantity: 1 }],
      purchaseOrder: { status: 'open', lines: [{ received: 1, outstanding: 1 }] },
      restocked: [],
    });
    expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 1 });
    expect(await warehouseEvents(journeyId)).toEqual(['RESTOCKED']);

    const rest = await receive(po.id, [{ sku, quantity: 1 }]);
    expect(rest.statusCode).toBe(201);
    expect(rest.json()).toMatchObject({
      purchaseOrder: { status: 'received', lines: [{ received: 2, outstanding: 0 }] },
      restocked: [{ journeyId }],
    });
    await eventually(async () => expect(await warehouseEvents(journeyId)).toContain('PICKED'));
    expect(await stockOf(sku)).toEqual({ on_hand: 3, reserved: 3 });
    const after = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json<{
      documents: { backorder: unknown[] };
      timeline: { event: string | null; actor: string | null }[];
    }>();
    expect(after.documents.backorder).toEqual([]);
    expect(after.timeline.filter((t) => t.event === 'RESTOCKED').map((t) => t.actor)).toEqual([personas.warehouse.id]);
    expect((await h.call('warehouse', 'GET', '/v1/purchase-orders?status=received')).json<{ items: PurchaseOrder[] }>().items.map((p) => p.id)).toContain(
      po.id,
    );

    for (const type of ['PICKED', 'PACKED']) expect((await h.call('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type })).statusCode).toBe(200);
    const shipped = await h.call('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'SHIPPED', data: { carrier: 'DHL', trackingNumber: 'T-1' } });
    expect([200, 202]).toContain(shipped.statusCode);
    await settledIn(h, journeyId, ['awaiting_payment']);
    expect(await stockOf(sku)).toEqual({ on_hand: 0, reserved: 0 });
  });

  it('two journeys wait for the same product and stock arrives for one: the older goes on, the younger keeps waiting', async () => {
    const sku = await product(0);
    const older = await journeyInFulfilment(sku, 2);
    const younger = await journeyInFulfilment(sku, 2);
    // The younger journey's purchase order arrives first: the older order is served from it.
    const answer = await receive((await purchaseOrderOf(younger)).id, [{ sku, quantity: 2 }]);
    expect(answer.json<{ restocked: { journeyId: string }[] }>().restocked.map((r) => r.journeyId)).toEqual([older]);
    await eventually(async () => expect(await warehouseEvents(older)).toContain('PICKED'));
    expect(await warehouseEvents(younger)).toEqual(['RESTOCKED']);
    expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 2 });

    const second = await receive((await purchaseOrderOf(older)).id, [{ sku, quantity: 2 }]);
    expect(second.json<{ restocked: { journeyId: string }[] }>().restocked.map((r) => r.journeyId)).toEqual([younger]);
    await eventually(async () => expect(await warehouseEvents(younger)).toContain('PICKED'));
  });

  it('refuses a line for another product or more than is outstanding with 422 naming the line, and changes nothing', async () => {
    const sku = await product(0);
    const journeyId = await journeyInFulfilment(sku, 4);
    const po = await purchaseOrderOf(journeyId);

    const over = await receive(po.id, [
      { sku, quantity: 1 },
      { sku, quantity: 2 },
      { sku, quantity: 2 },
    ]);
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toMatchObject({
      code: 'receipt_not_allowed',
      details: {
        issues: [{ path: 'body.lines.2.quantity', message: `lines[2].quantity: at most 1 of ${sku} is still outstanding on ${po.number}` }],
        outstanding: [{ sku, quantity: 4 }],
      },
    });
    const foreign = await receive(po.id, [{ sku: 'HUB-1', quantity: 1 }]);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.details.issues).toEqual([
      { path: 'body.lines.0.sku', message: `lines[0].sku: HUB-1 is not on purchase order ${po.number}, which orders ${sku} only` },
    ]);
    expect((await receive(po.id, [{ sku, quantity: 0 }])).json().error.details.issues[0].path).toBe('body.lines.0.quantity');
    expect((await receive(po.id, [])).statusCode).toBe(400);
    expect((await receive('po_nobody', [{ sku, quantity: 1 }])).statusCode).toBe(404);

    expect(await stockOf(sku)).toEqual({ on_hand: 0, reserved: 0 });
    expect((await purchaseOrderOf(journeyId)).lines[0]).toMatchObject({ received: 0, outstanding: 4 });
    expect(await h.deps.db('purchase_order_receipts').where({ purchase_order_id: po.id }).count('* as n')).toEqual([{ n: '0' }]);

    // The same product in two lines within what is outstanding is one receipt line of their sum.
    const twice = await receive(po.id, [
      { sku, quantity: 1 },
      { sku, quantity: 2 },
    ]);
    expect(twice.statusCode).toBe(201);
    expect(twice.json()).toMatchObject({ lines: [{ sku, quantity: 3 }], purchaseOrder: { lines: [{ received: 3, outstanding: 1 }] } });
    expect(await stockOf(sku)).toEqual({ on_hand: 3, reserved: 0 });
  });

  it('books a receipt retried with the same Idempotency-Key once', async () => {
    const sku = await product(0);
    const journeyId = await journeyInFulfilment(sku, 5);
    const po = await purchaseOrderOf(journeyId);
    const headers = { 'idempotency-key': `receipt-${sku}` };
    const first = await receive(po.id, [{ sku, quantity: 2 }], headers);
    const again = await receive(po.id, [{ sku, quantity: 2 }], headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 0 });
    expect((await purchaseOrderOf(journeyId)).lines[0]).toMatchObject({ received: 2, outstanding: 3 });
    // A new receipt needs a new key: the same key with other lines is refused.
    expect((await receive(po.id, [{ sku, quantity: 3 }], headers)).statusCode).toBe(422);
  });

  it('books one of two receipts sent at once for the last outstanding goods, and refuses the other', async () => {
    const sku = await product(0);
    const journeyId = await journeyInFulfilment(sku, 1);
    const po = await purchaseOrderOf(journeyId);
    const answers = await Promise.all([receive(po.id, [{ sku, quantity: 1 }]), receive(po.id, [{ sku, quantity: 1 }])]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422]);
    expect(await stockOf(sku)).toEqual({ on_hand: 1, reserved: expect.any(Number) });
    expect(await h.deps.db('purchase_order_receipts').where({ purchase_order_id: po.id }).count('* as n')).toEqual([{ n: '1' }]);
    await eventually(async () => expect(await warehouseEvents(journeyId)).toContain('PICKED'));
    expect(await h.deps.db('restock_notices').where({ journey_id: journeyId }).count('* as n')).toEqual([{ n: '1' }]);
  });

  it('gives stock a cancelled order freed to the journey waiting for it, before any receipt', async () => {
    const sku = await product(2);
    const served = await journeyInFulfilment(sku, 2);
    const waiting = await journeyInFulfilment(sku, 2);
    expect(await warehouseEvents(served)).toContain('PICKED');
    expect(await warehouseEvents(waiting)).toEqual(['RESTOCKED']);
    expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 2 });

    // The first customer cancels: its reservation goes back, and the waiting journey is told.
    expect((await h.call('manager', 'POST', `/v1/journeys/${served}/events`, { type: 'CANCEL' })).statusCode).toBeLessThan(300);
    await settledIn(h, served, ['cancelled']);
    const cancelledOrder = (await h.deps.db('sales_orders').where({ journey_id: served }).first('id', 'number', 'status')) as {
      id: string;
      number: string;
      status: string;
    };
    expect(cancelledOrder.status).toBe('cancelled');
    const notices = await eventually(async () => {
      const rows = (await h.deps.db('restock_notices').where({ freed_by_order_id: cancelledOrder.id })) as { journey_id: string; receipt_id: string | null }[];
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(notices[0]).toMatchObject({ journey_id: waiting, receipt_id: null });

    expect(await sendRestocks(h.deps)).toEqual([{ journeyId: waiting, sent: true }]);
    await eventually(async () => expect(await warehouseEvents(waiting)).toContain('PICKED'));
    expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 2 });
    const timeline = (await h.call('admin', 'GET', `/v1/journeys/${waiting}`)).json<{ timeline: { event: string | null; detail: unknown }[] }>().timeline;
    const restocked = timeline.filter((t) => t.event === 'RESTOCKED');
    expect(restocked).toHaveLength(1);
    expect(JSON.stringify(restocked[0]!.detail)).toContain(`stock freed by cancelled order ${cancelledOrder.number}`);
    // Its purchase order stays open: those goods still come, for the next order.
    expect((await purchaseOrderOf(waiting)).status).toBe('open');
  });

  it('lets only the warehouse (and admin) receive, and warehouse, finance and admin read', async () => {
    const sku = await product(0);
    const journeyId = await journeyInFulfilment(sku, 1);
    const po = await purchaseOrderOf(journeyId);
    for (const who of ['rep', 'manager', 'finance', 'ops', 'viewer'] as const) {
      const refused = await h.call(who, 'POST', `/v1/purchase-orders/${po.id}/receipts`, { lines: [{ sku, quantity: 1 }] });
      expect(refused.statusCode, who).toBe(403);
      expect(refused.json().error.details.requiredRoles).toEqual(['warehouse', 'admin']);
    }
    for (const who of ['rep', 'manager', 'ops', 'viewer'] as const) expect((await h.call(who, 'GET', '/v1/purchase-orders')).statusCode, who).toBe(403);
    for (const who of ['warehouse', 'finance', 'admin'] as const) expect((await h.call(who, 'GET', '/v1/purchase-orders')).statusCode, who).toBe(200);
    expect((await h.call('admin', 'POST', `/v1/purchase-orders/${po.id}/receipts`, { lines: [{ sku, quantity: 1 }] })).statusCode).toBe(201);
    await eventually(async () => expect(await warehouseEvents(journeyId)).toContain('PICKED'));
  });

  it('sends a notice the receipt left queued (the API stopped before sending) later, and applies it once', async () => {
    const sku = await product(0);
    const journeyId = await journeyInFulfilment(sku, 2);
    const po = await purchaseOrderOf(journeyId);
    const warehouse = { id: personas.warehouse.id, name: 'Warehouse', email: 'warehouse@lead-to-cash.local', roles: ['warehouse' as const], managerId: null };
    // The receipt is committed, and then nothing is sent: as when the process dies right after.
    const received = await receivePurchaseOrder(h.deps.db, po.id, { id: `rcp_${sku}`, lines: [{ sku, quantity: 2 }] }, warehouse);
    expect(received.notices.map((n) => n.journey_id)).toEqual([journeyId]);
    expect(await warehouseEvents(journeyId)).toEqual(['RESTOCKED']);

    // The API's sweep finds it and sends it.
    const stopSweep = startRestockSweep(h.deps, h.app.log, 200);
    try {
      await eventually(async () => expect(await warehouseEvents(journeyId)).toContain('PICKED'));
      await eventually(async () =>
        expect(await h.deps.db('restock_notices').where({ id: received.notices[0]!.id }).first('sent_at', 'last_error')).toMatchObject({
          last_error: null,
          sent_at: expect.any(Date),
        }),
      );
    } finally {
      stopSweep();
    }
    expect(await sendRestocks(h.deps)).toEqual([]);
    // Sent once more (as by a second process that read it as pending): the journey takes it once.
    await h.deps.db('restock_notices').where({ id: received.notices[0]!.id }).update({ sent_at: null });
    expect(await sendRestocks(h.deps)).toEqual([{ journeyId, sent: true }]);
    const timeline = (await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).json<{ timeline: { event: string | null }[] }>().timeline;
    expect(timeline.filter((t) => t.event === 'RESTOCKED')).toHaveLength(1);
    expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 2 });
  });
});
