// Quotes: one row per version with its priced lines; approvals of discounts.
import type { Knex } from 'knex';
import { newId } from '../ids';

export interface Totals {
  currency: string;
  list_total: string;
  discount_total: string;
  net_total: string;
  tax_total: string;
  total: string;
}

export interface PricedLineRow {
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  currency: string;
  unit_price: string;
  discount_pct: string;
  list_amount: string;
  discount_amount: string;
  net_amount: string;
  tax_rate_pct: string;
  tax_amount: string;
  total: string;
}

export interface QuoteRow extends Totals {
  id: string;
  opportunity_id: string;
  number: string;
  version: number;
  journey_id: string;
  account_id: string;
  contact_id: string;
  status: string;
  tax_country: string;
  max_discount_pct: string;
  valid_until: Date;
  author_id: string;
  sent_at: Date | null;
  created_at: Date;
}

/** Only the line's own columns (rows read back also carry their document's id). */
export function pricedLineColumns(l: PricedLineRow): PricedLineRow {
  return {
    line_no: l.line_no,
    sku: l.sku,
    name: l.name,
    quantity: l.quantity,
    currency: l.currency,
    unit_price: l.unit_price,
    discount_pct: l.discount_pct,
    list_amount: l.list_amount,
    discount_amount: l.discount_amount,
    net_amount: l.net_amount,
    tax_rate_pct: l.tax_rate_pct,
    tax_amount: l.tax_amount,
    total: l.total,
  };
}

export async function findQuote(db: Knex, id: string): Promise<QuoteRow | undefined> {
  return (await db('quotes').where({ id }).first()) as QuoteRow | undefined;
}

export async function lockQuote(trx: Knex.Transaction, id: string): Promise<QuoteRow | undefined> {
  return (await trx('quotes').where({ id }).forUpdate().first()) as QuoteRow | undefined;
}

export async function latestQuoteOf(db: Knex, opportunityId: string): Promise<QuoteRow | undefined> {
  return (await db('quotes').where({ opportunity_id: opportunityId }).orderBy('version', 'desc').first()) as QuoteRow | undefined;
}

export async function quoteLines(db: Knex, quoteId: string): Promise<PricedLineRow[]> {
  return (await db('quote_lines').where({ quote_id: quoteId }).orderBy('line_no')) as PricedLineRow[];
}

export async function insertQuote(
  trx: Knex.Transaction,
  quote: Omit<QuoteRow, 'id' | 'status' | 'sent_at' | 'created_at'>,
  lines: PricedLineRow[],
): Promise<QuoteRow> {
  const [row] = (await trx('quotes')
    .insert({ id: newId('quo'), ...quote })
    .returning('*')) as QuoteRow[];
  if (!row) throw new Error('quote insert returned no row');
  await trx('quote_lines').insert(lines.map((l) => ({ quote_id: row.id, ...pricedLineColumns(l) })));
  return row;
}

/** Earlier versions not yet accepted are replaced by the new one. */
export async function supersedeEarlierVersions(trx: Knex.Transaction, opportunityId: string, version: number): Promise<void> {
  await trx('quotes')
    .where({ opportunity_id: opportunityId })
    .where('version', '<', version)
    .whereIn('status', ['draft', 'sent'])
    .update({ status: 'superseded' });
}

export async function setQuoteStatus(db: Knex, id: string, status: string, sentAt?: Date): Promise<void> {
  await db('quotes')
    .where({ id })
    .update({ status, ...(sentAt ? { sent_at: sentAt } : {}) });
}

export async function recordApproval(
  db: Knex,
  approval: { quoteId: string; journeyId: string; role: string; decidedBy: string; decision: 'approve' | 'reject'; note?: string | null },
): Promise<string> {
  const id = newId('apr');
  await db('approvals').insert({
    id,
    quote_id: approval.quoteId,
    journey_id: approval.journeyId,
    role: approval.role,
    decided_by: approval.decidedBy,
    decision: approval.decision,
    note: approval.note ?? null,
  });
  return id;
}
