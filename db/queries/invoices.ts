// Invoices with their lines, and dunning notices against them.
import type { Knex } from 'knex';
import { creditorReference } from '../creditorReference';
import { newId } from '../ids';
import type { PricedLineRow } from './quotes';

export interface InvoiceRow {
  id: string;
  number: string;
  order_id: string;
  journey_id: string;
  account_id: string;
  contact_id: string;
  tax_country: string;
  currency: string;
  net_total: string;
  tax_total: string;
  total: string;
  fees_total: string;
  amount_paid: string;
  /** Customer credit applied at issue (activities/accountCredit.ts). */
  credit_applied: string;
  amount_due: string;
  status: string;
  /** RF creditor reference (ISO 11649) a bank transfer carries back. */
  payment_reference: string | null;
  payment_terms: string;
  issued_at: Date;
  due_at: Date;
  sent_at: Date | null;
  reconciled_at: Date | null;
  written_off_amount: string;
  written_off_at: Date | null;
}

export interface InvoiceLineRow {
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  unit_price: string;
  discount_pct: string;
  net_amount: string;
  tax_rate_pct: string;
  tax_amount: string;
  total: string;
}

export async function findInvoice(db: Knex, id: string): Promise<InvoiceRow | undefined> {
  return (await db('invoices').where({ id }).first()) as InvoiceRow | undefined;
}

/** Locks the invoice: payments and fees against one invoice apply one at a time. */
export async function lockInvoice(trx: Knex.Transaction, id: string): Promise<InvoiceRow | undefined> {
  return (await trx('invoices').where({ id }).forUpdate().first()) as InvoiceRow | undefined;
}

export async function findInvoiceOfOrder(db: Knex, orderId: string): Promise<InvoiceRow | undefined> {
  return (await db('invoices').where({ order_id: orderId }).first()) as InvoiceRow | undefined;
}

export async function invoiceLines(db: Knex, invoiceId: string): Promise<InvoiceLineRow[]> {
  return (await db('invoice_lines').where({ invoice_id: invoiceId }).orderBy('line_no')) as InvoiceLineRow[];
}

export async function insertInvoice(
  trx: Knex.Transaction,
  invoice: Omit<
    InvoiceRow,
    | 'id'
    | 'fees_total'
    | 'amount_paid'
    | 'credit_applied'
    | 'status'
    | 'sent_at'
    | 'reconciled_at'
    | 'payment_reference'
    | 'written_off_amount'
    | 'written_off_at'
  >,
  lines: PricedLineRow[],
): Promise<InvoiceRow> {
  const [row] = (await trx('invoices')
    .insert({ id: newId('inv'), payment_reference: creditorReference(invoice.number), ...invoice })
    .returning('*')) as InvoiceRow[];
  if (!row) throw new Error('invoice insert returned no row');
  await trx('invoice_lines').insert(
    lines.map((l) => ({
      invoice_id: row.id,
      line_no: l.line_no,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unit_price: l.unit_price,
      discount_pct: l.discount_pct,
      net_amount: l.net_amount,
      tax_rate_pct: l.tax_rate_pct,
      tax_amount: l.tax_amount,
      total: l.total,
    })),
  );
  return row;
}

export async function updateInvoice(
  db: Knex,
  id: string,
  patch: Partial<
    Pick<
      InvoiceRow,
      'fees_total' | 'amount_paid' | 'credit_applied' | 'amount_due' | 'status' | 'sent_at' | 'reconciled_at' | 'written_off_amount' | 'written_off_at'
    >
  >,
): Promise<void> {
  await db('invoices').where({ id }).update(patch);
}

export async function insertDunningNotice(
  trx: Knex.Transaction,
  notice: {
    invoiceId: string;
    journeyId: string;
    level: number;
    template: string;
    fee: string;
    currency: string;
    amountDue: string;
    emailId: string;
    createdAt: Date;
  },
): Promise<string> {
  const id = newId('dun');
  await trx('dunning_notices').insert({
    id,
    invoice_id: notice.invoiceId,
    journey_id: notice.journeyId,
    level: notice.level,
    template: notice.template,
    fee: notice.fee,
    currency: notice.currency,
    amount_due: notice.amountDue,
    email_id: notice.emailId,
    created_at: notice.createdAt,
  });
  return id;
}
