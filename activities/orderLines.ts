// Lines added to an open order before its confirmation (a suggested accessory or substitute). The
// lines already on it keep their quoted price and discount; the new ones come from the price book;
// the order is priced again as a whole by the quote's rules (discounts, VAT per line, totals the
// sum of the rounded lines), so its invoice adds up to the cent. Stock is reserved after the
// confirmation from the order's lines, so the added ones are reserved with the rest.
import { money, toCents } from '../db/money';
import { appendOrderLines, lockOrder, orderLines } from '../db/queries/orders';
import type { ActivityInput, ActivityResult } from '../machines/activityCatalogue';
import { linesFromBook, vatRate } from './priceBook';
import { priceLines } from './pricing';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

export async function addOrderLines(input: ActivityInput<'addOrderLines'>, ctx: StepContext): Promise<ActivityResult<'addOrderLines'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  if (order.status !== 'open') throw refuse('OrderNotOpen', `order ${order.number} is ${order.status}: lines can no longer be added`, { orderId: order.id });
  const current = await orderLines(trx, order.id);
  const kept = current.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unit_price, discountPct: Number(l.discount_pct) }));
  const added = await linesFromBook(trx, input.lines, order.currency);
  const priced = priceLines([...kept, ...added], order.currency, await vatRate(trx, order.tax_country));
  await appendOrderLines(trx, order.id, priced.lines.slice(current.length), priced.totals);
  return { orderId: order.id, number: order.number, total: money(toCents(priced.totals.total), order.currency), added: added.length };
}
