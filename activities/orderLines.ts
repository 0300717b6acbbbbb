// Lines added to an open order before its confirmation (a suggested accessory or substitute). The
// lines already on it keep what they were quoted at; the new ones are priced from the price book by
// the quote's rules (VAT per line, rounded half-up), and the order's totals stay the sums of its
// rounded lines, so its invoice adds up to the cent. Stock is reserved after the confirmation from
// the order's lines, so the added ones are reserved with the rest.
import { money, toCents } from '../db/money';
import { appendOrderLines, lockOrder, orderLines } from '../db/queries/orders';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { linesFromBook, vatRate } from './priceBook';
import { addTotals, priceLines } from './pricing';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

export async function addOrderLines(input: ActivityInput<'addOrderLines'>, ctx: StepContext): Promise<ActivityResult<'addOrderLines'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  if (order.status !== 'open') throw refuse('OrderNotOpen', `order ${order.number} is ${order.status}: lines can no longer be added`, { orderId: order.id });
  const lineCount = (await orderLines(trx, order.id)).length;
  const added = priceLines(await linesFromBook(trx, input.lines, order.currency), order.currency, await vatRate(trx, order.tax_country));
  const totals = addTotals(order, added.totals);
  await appendOrderLines(
    trx,
    order.id,
    added.lines.map((l, i) => ({ ...l, line_no: lineCount + i + 1 })),
    totals,
  );
  return { orderId: order.id, number: order.number, total: money(toCents(totals.total), order.currency), added: added.lines.length };
}
