// Which journeys new stock can now serve, and the RESTOCKED notices queued for them. Stock comes
// from a purchase order's receipt, or back from a cancelled order whose reservation was released.
// A journey waits for stock when its open order raised a purchase order and still misses goods.
// Oldest order first, as far as the stock reaches: an order the available stock cannot serve in
// full gets no notice (it keeps waiting and takes nothing), and younger ones that fit still do.
import type { Knex } from 'knex';
import { newId } from '../ids';

export interface RestockNotice {
  id: string;
  journey_id: string;
  order_id: string;
  receipt_id: string | null;
  freed_by_order_id: string | null;
  actor_id: string;
  actor_roles: string[];
  created_at: Date;
  sent_at: Date | null;
  last_error: string | null;
}

/** What brought the stock, and who the journey's timeline names for it. */
export type RestockSource = ({ receiptId: string } | { freedByOrderId: string }) & { actor: { id: string; roles: string[] } };

type Quantities = Map<string, number>;

function add(map: Map<string, Quantities>, orderId: string, sku: string, quantity: number): void {
  const of = map.get(orderId) ?? new Map<string, number>();
  of.set(sku, (of.get(sku) ?? 0) + quantity);
  map.set(orderId, of);
}

/** Per waiting order (oldest first), the goods it still misses; orders whose reservation is whole are left out. */
async function shortOrders(db: Knex, skus: string[]): Promise<{ orderId: string; journeyId: string; missing: Quantities }[]> {
  if (skus.length === 0) return [];
  const orders = (await db('sales_orders as o')
    .where('o.status', 'open')
    .whereExists(db('purchase_orders as po').whereRaw('po.order_id = o.id'))
    .whereExists(db('sales_order_lines as l').whereRaw('l.order_id = o.id').whereIn('l.sku', skus))
    .orderBy([{ column: 'o.created_at' }, { column: 'o.id' }])
    .select('o.id', 'o.journey_id')) as { id: string; journey_id: string }[];
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  const needed = new Map<string, Quantities>();
  for (const l of (await db('sales_order_lines').whereIn('order_id', ids).select('order_id', 'sku', 'quantity')) as {
    order_id: string;
    sku: string;
    quantity: number;
  }[])
    add(needed, l.order_id, l.sku, l.quantity);
  for (const r of (await db('reservations').whereIn('order_id', ids).whereIn('status', ['reserved', 'shipped']).select('order_id', 'sku', 'quantity')) as {
    order_id: string;
    sku: string;
    quantity: number;
  }[])
    add(needed, r.order_id, r.sku, -r.quantity);
  return orders.flatMap((o) => {
    const missing = new Map([...(needed.get(o.id) ?? new Map<string, number>())].filter(([, quantity]) => quantity > 0));
    return missing.size > 0 ? [{ orderId: o.id, journeyId: o.journey_id, missing }] : [];
  });
}

/**
 * Queues a notice for each waiting journey the available stock of `skus` now serves in full, in the
 * transaction that brought the stock (a cancelled order never waits for its own goods). Planners take turns (an advisory lock), and an order with a notice not yet
 * sent keeps its share, so two receipts at once never promise the same goods twice.
 */
export async function queueRestocks(trx: Knex.Transaction, skus: string[], source: RestockSource): Promise<RestockNotice[]> {
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['restock_notices']);
  const freedBy = 'freedByOrderId' in source ? source.freedByOrderId : null;
  const waiting = (await shortOrders(trx, skus)).filter((w) => w.orderId !== freedBy);
  if (waiting.length === 0) return [];
  const allSkus = [...new Set(waiting.flatMap((w) => [...w.missing.keys()]))].sort();
  const available = new Map(
    ((await trx('stock').whereIn('sku', allSkus).select('sku', 'on_hand', 'reserved')) as { sku: string; on_hand: number; reserved: number }[]).map((s) => [
      s.sku,
      s.on_hand - s.reserved,
    ]),
  );
  const pending = new Set(
    (
      (await trx('restock_notices')
        .whereNull('sent_at')
        .whereIn(
          'order_id',
          waiting.map((w) => w.orderId),
        )
        .select('order_id')) as { order_id: string }[]
    ).map((r) => r.order_id),
  );
  const notices: RestockNotice[] = [];
  for (const order of waiting) {
    const fits = [...order.missing].every(([sku, quantity]) => (available.get(sku) ?? 0) >= quantity);
    if (!fits && !pending.has(order.orderId)) continue;
    for (const [sku, quantity] of order.missing) available.set(sku, Math.max(0, (available.get(sku) ?? 0) - quantity));
    if (pending.has(order.orderId)) continue;
    const [notice] = (await trx('restock_notices')
      .insert({
        id: newId('rst'),
        journey_id: order.journeyId,
        order_id: order.orderId,
        receipt_id: 'receiptId' in source ? source.receiptId : null,
        freed_by_order_id: freedBy,
        actor_id: source.actor.id,
        actor_roles: source.actor.roles,
      })
      .returning('*')) as RestockNotice[];
    notices.push(notice as RestockNotice);
  }
  return notices;
}

/** A notice as its journey's timeline tells it: what brought the stock. */
export function restockNote(notice: RestockNotice & { freed_order_number?: string | null }): string {
  return notice.receipt_id !== null
    ? `purchase order receipt ${notice.receipt_id}`
    : `stock freed by cancelled order ${notice.freed_order_number ?? notice.freed_by_order_id}`;
}

/** Notices not yet taken by their journeys (of one receipt, or all), in the order they were queued, with their note. */
export async function pendingRestocks(db: Knex, receiptId?: string): Promise<(RestockNotice & { note: string })[]> {
  const query = db('restock_notices as n')
    .leftJoin('sales_orders as o', 'o.id', 'n.freed_by_order_id')
    .whereNull('n.sent_at')
    .orderBy('n.seq')
    .select('n.*', 'o.number as freed_order_number');
  if (receiptId) void query.where('n.receipt_id', receiptId);
  return ((await query) as (RestockNotice & { freed_order_number: string | null })[]).map((n) => ({ ...n, note: restockNote(n) }));
}

/** The journey took the notice (or refused it for good: `error` says why). */
export async function restockSent(db: Knex, id: string, error: string | null = null): Promise<void> {
  await db('restock_notices').where({ id }).update({ sent_at: db.fn.now(), last_error: error });
}

export async function restockFailed(db: Knex, id: string, error: string): Promise<void> {
  await db('restock_notices').where({ id }).update({ last_error: error });
}
