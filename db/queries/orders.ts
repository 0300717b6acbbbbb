// Sales orders: every field of the accepted quote, with its lines, plus status and credit status.
import type { Knex } from 'knex';
import { newId } from '../ids';
import { pricedLineColumns, type PricedLineRow, type Totals } from './quotes';

export interface OrderRow extends Totals {
  id: string;
  number: string;
  quote_id: string;
  quote_number: string;
  quote_version: number;
  opportunity_id: string;
  journey_id: string;
  account_id: string;
  contact_id: string;
  owner_id: string | null;
  author_id: string;
  tax_country: string;
  max_discount_pct: string;
  quote_valid_until: Date;
  status: string;
  credit_status: string;
  created_at: Date;
}

export async function findOrder(db: Knex, id: string): Promise<OrderRow | undefined> {
  return (await db('sales_orders').where({ id }).first()) as OrderRow | undefined;
}

export async function lockOrder(trx: Knex.Transaction, id: string): Promise<OrderRow | undefined> {
  return (await trx('sales_orders').where({ id }).forUpdate().first()) as OrderRow | undefined;
}

export async function findOrderOfQuote(db: Knex, quoteId: string): Promise<OrderRow | undefined> {
  return (await db('sales_orders').where({ quote_id: quoteId }).first()) as OrderRow | undefined;
}

export async function orderLines(db: Knex, orderId: string): Promise<PricedLineRow[]> {
  return (await db('sales_order_lines').where({ order_id: orderId }).orderBy('line_no')) as PricedLineRow[];
}

export async function insertOrder(
  trx: Knex.Transaction,
  order: Omit<OrderRow, 'id' | 'status' | 'credit_status' | 'created_at'>,
  lines: PricedLineRow[],
): Promise<OrderRow> {
  const [row] = (await trx('sales_orders')
    .insert({ id: newId('ord'), ...order })
    .returning('*')) as OrderRow[];
  if (!row) throw new Error('order insert returned no row');
  await trx('sales_order_lines').insert(lines.map((l) => ({ order_id: row.id, ...pricedLineColumns(l) })));
  return row;
}

export async function updateOrder(db: Knex, id: string, patch: Partial<Pick<OrderRow, 'status' | 'credit_status'>>): Promise<void> {
  await db('sales_orders').where({ id }).update(patch);
}

/** What the account owes or will owe in a currency: open invoices' amount due plus orders not yet invoiced. */
export async function accountExposureCents(db: Knex, accountId: string, currency: string): Promise<{ invoices: string; orders: string }> {
  const [invoices] = (await db('invoices')
    .where({ account_id: accountId, currency })
    .whereNotIn('status', ['paid', 'written_off'])
    .sum({ sum: 'amount_due' })) as { sum: string | null }[];
  const [orders] = (await db('sales_orders').where({ account_id: accountId, currency }).whereIn('status', ['open', 'shipped']).sum({ sum: 'total' })) as {
    sum: string | null;
  }[];
  return { invoices: invoices?.sum ?? '0', orders: orders?.sum ?? '0' };
}

/** Appends priced lines to an order and sets its totals, which include them. */
export async function appendOrderLines(trx: Knex.Transaction, orderId: string, lines: PricedLineRow[], totals: Totals): Promise<void> {
  await trx('sales_order_lines').insert(lines.map((l) => ({ order_id: orderId, ...pricedLineColumns(l) })));
  await trx('sales_orders').where({ id: orderId }).update(totals);
}
