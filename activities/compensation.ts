// The undos an abandoned journey runs (machines/compensation.ts). Each puts back only what is still
// its to put back, so running it again, or after the business moved on, changes nothing.
import { formatCents, money, toCents } from '../db/money';
import { lockInvoice, updateInvoice } from '../db/queries/invoices';
import { lockOrder } from '../db/queries/orders';
import { queueRestocks } from '../db/queries/restocks';
import { lockStock } from '../db/queries/stock';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

/** An order not yet shipped or invoiced is cancelled; later ones stand (the goods have left). */
export async function cancelOrder(input: ActivityInput<'cancelOrder'>, ctx: StepContext): Promise<ActivityResult<'cancelOrder'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  if (order.status !== 'open') return { orderId: order.id, status: order.status };
  await trx('sales_orders').where({ id: order.id }).update({ status: 'cancelled', cancelled_at: ctx.now });
  return { orderId: order.id, status: 'cancelled' };
}

/**
 * The engine acts for the warehouse when freed stock serves a waiting journey: RESTOCKED is the
 * warehouse's event in the definition, and the note names the cancelled order.
 */
const freedStockActor = { id: 'system', roles: ['warehouse'] };

/** Reservations not yet shipped go back to available stock, and journeys waiting for those goods are told, oldest order first. */
export async function releaseReservation(input: ActivityInput<'releaseReservation'>, ctx: StepContext): Promise<ActivityResult<'releaseReservation'>> {
  const { trx } = ctx;
  const rows = (await trx('reservations').where({ order_id: input.orderId, status: 'reserved' }).orderBy('sku')) as {
    id: string;
    sku: string;
    quantity: number;
  }[];
  await lockStock(trx, [...new Set(rows.map((r) => r.sku))]);
  const released = new Map<string, number>();
  for (const r of rows) {
    await trx('stock').where({ sku: r.sku }).decrement('reserved', r.quantity);
    await trx('reservations').where({ id: r.id }).update({ status: 'released' });
    released.set(r.sku, (released.get(r.sku) ?? 0) + r.quantity);
  }
  await queueRestocks(trx, [...released.keys()], { freedByOrderId: input.orderId, actor: freedStockActor });
  return { released: [...released].map(([sku, quantity]) => ({ sku, quantity })) };
}

/** Purchase orders raised for the order and not yet received are cancelled with the supplier. */
export async function closePurchaseOrders(input: ActivityInput<'closePurchaseOrders'>, ctx: StepContext): Promise<ActivityResult<'closePurchaseOrders'>> {
  const rows = (await ctx.trx('purchase_orders').where({ order_id: input.orderId, status: 'open' }).update({ status: 'cancelled' }).returning('id')) as {
    id: string;
  }[];
  return { closed: rows.map((r) => r.id).sort() };
}

/** What is still due is written off and kept on the invoice for the ledger; a settled invoice stands. */
export async function writeOffInvoice(input: ActivityInput<'writeOffInvoice'>, ctx: StepContext): Promise<ActivityResult<'writeOffInvoice'>> {
  const { trx } = ctx;
  const invoice = await lockInvoice(trx, input.invoiceId);
  if (!invoice) throw notFound('invoice', input.invoiceId);
  const due = toCents(invoice.amount_due);
  if (invoice.status === 'written_off' || due <= 0n) {
    return { invoiceId: invoice.id, status: invoice.status, writtenOff: money(toCents(invoice.written_off_amount), invoice.currency) };
  }
  await updateInvoice(trx, invoice.id, { status: 'written_off', amount_due: formatCents(0n), written_off_amount: formatCents(due), written_off_at: ctx.now });
  return { invoiceId: invoice.id, status: 'written_off', writtenOff: money(due, invoice.currency) };
}
