// Purchase orders as the warehouse sees them, and their receipts: each receipt line raises on-hand
// stock and the order's received quantity in the caller's transaction; a receipt id is booked once.
import type { Knex } from 'knex';
import type { PurchaseOrderRow } from './stock';

export const PURCHASE_ORDER_STATUSES = ['open', 'received', 'cancelled'] as const;
type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

export interface PurchaseOrderListRow extends PurchaseOrderRow {
  product_name: string;
  order_number: string | null;
  journey_id: string | null;
}

export interface ReceiptLine {
  sku: string;
  quantity: number;
}

export async function listPurchaseOrders(db: Knex, filter: { status?: PurchaseOrderStatus; ids?: string[]; limit: number }): Promise<PurchaseOrderListRow[]> {
  const query = db('purchase_orders as po')
    .join('products as p', 'p.sku', 'po.sku')
    .leftJoin('sales_orders as o', 'o.id', 'po.order_id')
    .select('po.*', 'p.name as product_name', 'o.number as order_number', 'o.journey_id')
    .orderBy([{ column: 'po.created_at' }, { column: 'po.number' }])
    .limit(filter.limit);
  if (filter.status) void query.where('po.status', filter.status);
  if (filter.ids) void query.whereIn('po.id', filter.ids);
  return (await query) as PurchaseOrderListRow[];
}

export async function lockPurchaseOrder(trx: Knex.Transaction, id: string): Promise<PurchaseOrderRow | undefined> {
  return (await trx('purchase_orders').where({ id }).forUpdate().first()) as PurchaseOrderRow | undefined;
}

/** The lines of a receipt already booked under this id (empty when it is new). */
export async function receiptLines(trx: Knex.Transaction, receiptId: string): Promise<ReceiptLine[]> {
  return (await trx('purchase_order_receipts').where({ id: receiptId }).orderBy('sku').select('sku', 'quantity')) as ReceiptLine[];
}

/** Books the receipt: stock up, the order's received quantity up, `received` once nothing is outstanding. */
export async function bookReceipt(
  trx: Knex.Transaction,
  po: PurchaseOrderRow,
  receipt: { id: string; lines: ReceiptLine[]; receivedBy: string },
): Promise<void> {
  const total = receipt.lines.reduce((sum, l) => sum + l.quantity, 0);
  await trx('purchase_order_receipts').insert(
    receipt.lines.map((l) => ({ id: receipt.id, purchase_order_id: po.id, sku: l.sku, quantity: l.quantity, received_by: receipt.receivedBy })),
  );
  await trx('stock')
    .insert({ sku: po.sku, on_hand: total })
    .onConflict('sku')
    .merge({ on_hand: trx.raw('stock.on_hand + ?', [total]) });
  const received = po.received_quantity + total;
  await trx('purchase_orders')
    .where({ id: po.id })
    .update({
      received_quantity: received,
      ...(received >= po.quantity ? { status: 'received', received_at: trx.fn.now() } : {}),
    });
}
