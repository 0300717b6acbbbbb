// Stock on hand and reserved, reservations per order, purchase orders for shortages, shipments.
// Stock rows are always locked in SKU order, so concurrent reservations cannot deadlock.
import type { Knex } from 'knex';
import { newId } from '../ids';

export interface StockRow {
  sku: string;
  on_hand: number;
  reserved: number;
  reorder_point: number;
}

export interface PurchaseOrderRow {
  id: string;
  number: string;
  order_id: string | null;
  sku: string;
  quantity: number;
  received_quantity: number;
  supplier: string | null;
  status: string;
  received_at: Date | null;
  created_at: Date;
}

export async function stockOf(db: Knex, skus: string[]): Promise<StockRow[]> {
  return (await db('stock').whereIn('sku', skus).orderBy('sku')) as StockRow[];
}

export async function lockStock(trx: Knex.Transaction, skus: string[]): Promise<StockRow[]> {
  return (await trx('stock').whereIn('sku', skus).orderBy('sku').forUpdate()) as StockRow[];
}

export async function reservedForOrder(db: Knex, orderId: string): Promise<Map<string, number>> {
  const rows = (await db('reservations')
    .where({ order_id: orderId })
    .whereIn('status', ['reserved', 'shipped'])
    .groupBy('sku')
    .select('sku')
    .sum({ quantity: 'quantity' })) as { sku: string; quantity: string }[];
  return new Map(rows.map((r) => [r.sku, Number(r.quantity)]));
}

export async function reserve(trx: Knex.Transaction, orderId: string, sku: string, quantity: number): Promise<void> {
  await trx('reservations').insert({ id: newId('res'), order_id: orderId, sku, quantity });
  await trx('stock').where({ sku }).increment('reserved', quantity);
}

/** Shipping consumes the order's reservations: the goods leave on-hand stock. */
export async function consumeReservations(trx: Knex.Transaction, orderId: string): Promise<void> {
  const rows = (await trx('reservations').where({ order_id: orderId, status: 'reserved' }).orderBy('sku')) as { id: string; sku: string; quantity: number }[];
  await lockStock(trx, [...new Set(rows.map((r) => r.sku))]);
  for (const r of rows) {
    await trx('stock')
      .where({ sku: r.sku })
      .update({ on_hand: trx.raw('on_hand - ?', [r.quantity]), reserved: trx.raw('reserved - ?', [r.quantity]) });
    await trx('reservations').where({ id: r.id }).update({ status: 'shipped' });
  }
}

export async function insertPurchaseOrder(
  trx: Knex.Transaction,
  po: { number: string; orderId: string; sku: string; quantity: number; supplier: string | null },
): Promise<string> {
  const id = newId('po');
  await trx('purchase_orders').insert({ id, number: po.number, order_id: po.orderId, sku: po.sku, quantity: po.quantity, supplier: po.supplier });
  return id;
}

export async function purchaseOrdersOf(db: Knex, orderId: string): Promise<PurchaseOrderRow[]> {
  return (await db('purchase_orders').where({ order_id: orderId }).orderBy('created_at')) as PurchaseOrderRow[];
}

export async function insertShipment(
  trx: Knex.Transaction,
  shipment: { orderId: string; carrier: string; trackingNumber: string; shippedAt: Date },
): Promise<string> {
  const id = newId('shp');
  await trx('shipments').insert({
    id,
    order_id: shipment.orderId,
    carrier: shipment.carrier,
    tracking_number: shipment.trackingNumber,
    shipped_at: shipment.shippedAt,
  });
  return id;
}

export interface Availability {
  onHand: number;
  reserved: number;
  available: number;
  incoming: number;
}

/** Per sku: stock on hand, reserved for orders, free to promise, and still outstanding on open purchase orders. */
export async function availabilityBySku(db: Knex): Promise<Map<string, Availability>> {
  const stock = (await db('stock').select('sku', 'on_hand', 'reserved')) as Pick<StockRow, 'sku' | 'on_hand' | 'reserved'>[];
  const incoming = (await db('purchase_orders')
    .where({ status: 'open' })
    .groupBy('sku')
    .select('sku', db.raw('sum(quantity - received_quantity)::int as incoming'))) as { sku: string; incoming: number }[];
  const bySku = new Map<string, Availability>();
  for (const s of stock) bySku.set(s.sku, { onHand: s.on_hand, reserved: s.reserved, available: s.on_hand - s.reserved, incoming: 0 });
  for (const i of incoming) bySku.set(i.sku, { ...(bySku.get(i.sku) ?? { onHand: 0, reserved: 0, available: 0 }), incoming: i.incoming });
  return bySku;
}
