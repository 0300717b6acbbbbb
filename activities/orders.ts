// Ordering: the sales order is the accepted quote (every field and line carried over), then a
// credit check against the account's limit and accessory/substitute suggestions for upselling.
import { findAccount } from '../db/queries/accounts';
import { accessoriesOf, substitutesOf } from '../db/queries/catalogue';
import { nextDocumentNumber } from '../db/queries/counters';
import { findOpportunity, setOpportunityStatus } from '../db/queries/opportunities';
import { accountExposureCents, findOrderOfQuote, insertOrder, lockOrder, orderLines, updateOrder, type OrderRow } from '../db/queries/orders';
import { keepSuggestions } from '../db/queries/orderSuggestions';
import { lockQuote, quoteLines, setQuoteStatus } from '../db/queries/quotes';
import { stockOf } from '../db/queries/stock';
import { formatCents, money, toCents } from '../db/money';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

function orderResult(order: OrderRow): ActivityResult<'createOrder'> {
  return { orderId: order.id, number: order.number, total: money(toCents(order.total), order.currency) };
}

export async function createOrder(input: ActivityInput<'createOrder'>, ctx: StepContext): Promise<ActivityResult<'createOrder'>> {
  const { trx } = ctx;
  const quote = await lockQuote(trx, input.quoteId);
  if (!quote) throw notFound('quote', input.quoteId);
  // One order per quote: a second request for it (another step) gets the same order.
  const existing = await findOrderOfQuote(trx, quote.id);
  if (existing) return orderResult(existing);
  if (quote.status === 'superseded')
    throw refuse('QuoteSuperseded', `quote ${quote.number} v${quote.version} was replaced by a newer version`, { quoteId: quote.id });
  if (quote.valid_until.getTime() < ctx.now.getTime()) {
    throw refuse('QuoteExpired', `quote ${quote.number} v${quote.version} expired on ${quote.valid_until.toISOString()}`, {
      quoteId: quote.id,
      validUntil: quote.valid_until.toISOString(),
    });
  }
  const opportunity = await findOpportunity(trx, quote.opportunity_id);
  const order = await insertOrder(
    trx,
    {
      number: await nextDocumentNumber(trx, 'SO', ctx.now),
      quote_id: quote.id,
      quote_number: quote.number,
      quote_version: quote.version,
      opportunity_id: quote.opportunity_id,
      journey_id: ctx.journeyId,
      account_id: quote.account_id,
      contact_id: quote.contact_id,
      owner_id: opportunity?.owner_id ?? null,
      author_id: quote.author_id,
      tax_country: quote.tax_country,
      currency: quote.currency,
      list_total: quote.list_total,
      discount_total: quote.discount_total,
      net_total: quote.net_total,
      tax_total: quote.tax_total,
      total: quote.total,
      max_discount_pct: quote.max_discount_pct,
      quote_valid_until: quote.valid_until,
    },
    await quoteLines(trx, quote.id),
  );
  await setQuoteStatus(trx, quote.id, 'accepted');
  await setOpportunityStatus(trx, quote.opportunity_id, 'won');
  return orderResult(order);
}

/** Approved when the account has no limit, or open invoices plus uninvoiced orders (this one included) stay within it. */
export async function checkCredit(input: ActivityInput<'checkCredit'>, ctx: StepContext): Promise<ActivityResult<'checkCredit'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  const account = await findAccount(trx, order.account_id);
  if (!account) throw notFound('account', order.account_id);
  const open = await accountExposureCents(trx, account.id, order.currency);
  const exposure = toCents(open.invoices) + toCents(open.orders);
  const limit = account.credit_limit !== null && account.currency === order.currency ? toCents(account.credit_limit) : null;
  const approved = limit === null || exposure <= limit;
  await updateOrder(trx, order.id, { credit_status: approved ? 'approved' : 'hold' });
  return { approved, exposure: money(exposure, order.currency), limit: limit === null ? null : { amount: formatCents(limit), currency: order.currency } };
}

/** Finance releases a credit hold: the order goes on over the account's limit, its exposure as checked now. */
export async function releaseCreditHold(input: ActivityInput<'releaseCreditHold'>, ctx: StepContext): Promise<ActivityResult<'releaseCreditHold'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  const account = await findAccount(trx, order.account_id);
  if (!account) throw notFound('account', order.account_id);
  const open = await accountExposureCents(trx, account.id, order.currency);
  const exposure = toCents(open.invoices) + toCents(open.orders);
  await updateOrder(trx, order.id, { credit_status: 'released' });
  const limit = account.credit_limit !== null && account.currency === order.currency ? money(toCents(account.credit_limit), order.currency) : null;
  return { approved: true, exposure: money(exposure, order.currency), limit };
}

/** Accessories of what was ordered (not already on the order), and substitutes with stock for lines stock cannot cover. */
export async function recommendAccessories(input: ActivityInput<'recommendAccessories'>, ctx: StepContext): Promise<ActivityResult<'recommendAccessories'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  const lines = await orderLines(trx, order.id);
  const wanted = new Map<string, number>();
  for (const l of lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  const skus = [...wanted.keys()];
  const suggestions: ActivityResult<'recommendAccessories'>['suggestions'] = [];
  const seen = new Set<string>();
  for (const a of await accessoriesOf(trx, skus)) {
    if (wanted.has(a.accessory_sku) || seen.has(a.accessory_sku)) continue;
    seen.add(a.accessory_sku);
    suggestions.push({ sku: a.accessory_sku, reason: 'accessory', forSku: a.sku });
  }
  const substitutes = await substitutesOf(trx, skus);
  const stock = await stockOf(trx, [...skus, ...substitutes.map((s) => s.substitute_sku)]);
  const available = (sku: string) => {
    const row = stock.find((s) => s.sku === sku);
    return row ? row.on_hand - row.reserved : 0;
  };
  for (const [sku, quantity] of wanted) {
    if (available(sku) >= quantity) continue;
    for (const s of substitutes.filter((x) => x.sku === sku)) {
      if (available(s.substitute_sku) >= quantity) suggestions.push({ sku: s.substitute_sku, reason: 'substitute', forSku: sku });
    }
  }
  await keepSuggestions(
    trx,
    suggestions.map((s) => ({ order_id: order.id, sku: s.sku, reason: s.reason, for_sku: s.forSku })),
  );
  return { suggestions };
}
