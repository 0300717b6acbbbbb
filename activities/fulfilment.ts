// Fulfilment: reserve what stock allows (a short line keeps what it got and reports the rest, so
// the reservation after RESTOCKED only adds the missing quantity), raise purchase orders for
// shortages, and on SHIPPED record the shipment, take the goods out of stock and email the customer.
// The order keeps its ship-to from its confirmation on, and the shipment a copy of it.
import { findContact } from '../db/queries/accounts';
import { keepShipmentShipTo, keepShipTo } from '../db/queries/addresses';
import { findProducts } from '../db/queries/catalogue';
import { nextDocumentNumber } from '../db/queries/counters';
import { lockOrder, orderLines, updateOrder } from '../db/queries/orders';
import { consumeReservations, insertPurchaseOrder, insertShipment, lockStock, reserve, reservedForOrder } from '../db/queries/stock';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { queueEmail } from './mail/compose';
import { renderLines } from './mail/templates';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

export async function reserveStock(input: ActivityInput<'reserveStock'>, ctx: StepContext): Promise<ActivityResult<'reserveStock'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  // Fulfilment starts once the order is confirmed: where it goes is fixed now.
  await keepShipTo(trx, order.id);
  const needed = new Map<string, number>();
  for (const l of await orderLines(trx, order.id)) needed.set(l.sku, (needed.get(l.sku) ?? 0) + l.quantity);
  const already = await reservedForOrder(trx, order.id);
  const skus = [...needed.keys()].sort();
  const stock = await lockStock(trx, skus);
  const shortages: { sku: string; quantity: number }[] = [];
  for (const sku of skus) {
    const missing = (needed.get(sku) ?? 0) - (already.get(sku) ?? 0);
    if (missing <= 0) continue;
    const row = stock.find((s) => s.sku === sku);
    const take = Math.min(missing, row ? row.on_hand - row.reserved : 0);
    if (take > 0) await reserve(trx, order.id, sku, take);
    if (missing > take) shortages.push({ sku, quantity: missing - take });
  }
  return { reserved: shortages.length === 0, shortages };
}

export async function raisePurchaseOrder(input: ActivityInput<'raisePurchaseOrder'>, ctx: StepContext): Promise<ActivityResult<'raisePurchaseOrder'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  const products = await findProducts(
    trx,
    input.shortages.map((s) => s.sku),
  );
  const unknown = input.shortages.map((s) => s.sku).filter((sku) => !products.some((p) => p.sku === sku));
  if (unknown.length > 0) throw refuse('UnknownSku', `unknown product ${unknown.join(', ')}`, { skus: unknown });
  const purchaseOrderIds: string[] = [];
  for (const shortage of input.shortages) {
    const supplier = products.find((p) => p.sku === shortage.sku)?.supplier ?? null;
    purchaseOrderIds.push(
      await insertPurchaseOrder(trx, {
        number: await nextDocumentNumber(trx, 'PO', ctx.now),
        orderId: order.id,
        sku: shortage.sku,
        quantity: shortage.quantity,
        supplier,
      }),
    );
  }
  return { purchaseOrderIds };
}

export async function notifyShipment(input: ActivityInput<'notifyShipment'>, ctx: StepContext): Promise<ActivityResult<'notifyShipment'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  const contact = await findContact(trx, order.contact_id);
  if (!contact) throw notFound('contact', order.contact_id);
  const shipmentId = await insertShipment(trx, { orderId: order.id, carrier: input.carrier, trackingNumber: input.trackingNumber, shippedAt: ctx.now });
  // An order confirmed before its account had an address takes the one known when it ships.
  await keepShipTo(trx, order.id);
  await keepShipmentShipTo(trx, shipmentId);
  await consumeReservations(trx, order.id);
  if (order.status === 'open') await updateOrder(trx, order.id, { status: 'shipped' });
  const lines = await orderLines(trx, order.id);
  const emailId = await queueEmail(ctx, {
    kind: 'shipment',
    templateKeys: ['shipment'],
    to: contact.email,
    vars: {
      name: contact.name,
      orderNumber: order.number,
      carrier: input.carrier,
      trackingNumber: input.trackingNumber,
      ...renderLines(
        lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unit_price, discountPct: l.discount_pct, net: l.net_amount })),
        order.currency,
      ),
    },
  });
  return { shipmentId, emailId };
}
