// Loads a quote, an invoice or a credit note with its customer and lines, as the PDF shows it; an
// invoice names the billing address it was issued to, a credit note the account's.
import { addressLines, type Address } from '../../machines/schema/address';
import type { Db } from '../connection';
import { printedReference } from '../creditorReference';
import { formatCents, toCents } from '../money';
import type { CommercialDocument } from './renderDocument';

type Row = Record<string, unknown>;
const day = (d: unknown) => new Date(d as Date).toISOString().slice(0, 10);

async function customerOf(db: Db, accountId: string, contactId: string, address: Address | null): Promise<CommercialDocument['customer']> {
  const [account, contact] = await Promise.all([
    db('accounts').where({ id: accountId }).first() as Promise<Row | undefined>,
    db('contacts').where({ id: contactId }).first() as Promise<Row | undefined>,
  ]);
  return {
    company: String(account?.name ?? ''),
    contact: String(contact?.name ?? ''),
    email: String(contact?.email ?? ''),
    country: account?.country ? String(account.country) : null,
    address: address ? addressLines(address) : [],
  };
}

const lineOf = (l: Row) => ({
  sku: String(l.sku),
  name: String(l.name),
  quantity: Number(l.quantity),
  unitPrice: String(l.unit_price),
  discountPct: String(l.discount_pct),
  net: String(l.net_amount),
  taxRatePct: String(l.tax_rate_pct),
  tax: String(l.tax_amount),
});

export async function quoteDocument(db: Db, id: string): Promise<{ journeyId: string; document: CommercialDocument } | null> {
  const quote = (await db('quotes').where({ id }).first()) as Row | undefined;
  if (!quote) return null;
  const lines = (await db('quote_lines').where({ quote_id: id }).orderBy('line_no')) as Row[];
  return {
    journeyId: String(quote.journey_id),
    document: {
      kind: 'Quotation',
      number: `${String(quote.number)} v${String(quote.version)}`,
      issuedOn: day(quote.created_at),
      // No address on a quote: it is rendered again later and must keep the bytes it was emailed with.
      customer: await customerOf(db, String(quote.account_id), String(quote.contact_id), null),
      currency: String(quote.currency),
      lines: lines.map(lineOf),
      netTotal: String(quote.net_total),
      taxTotal: String(quote.tax_total),
      total: String(quote.total),
      creditApplied: null,
      dateLine: `Valid until ${day(quote.valid_until)}`,
      paymentReference: null,
    },
  };
}

/** Due at issue, after the credit: fixed, so the PDF served later is the one emailed (fees and payments come after). */
function creditAppliedOn(invoice: Row): CommercialDocument['creditApplied'] {
  const credit = toCents(String(invoice.credit_applied ?? '0'));
  if (credit === 0n) return null;
  return { credit: formatCents(credit), amountDue: formatCents(toCents(String(invoice.total)) - credit) };
}

export async function invoiceDocument(db: Db, id: string): Promise<{ journeyId: string; document: CommercialDocument } | null> {
  const invoice = (await db('invoices').where({ id }).first()) as Row | undefined;
  if (!invoice) return null;
  const lines = (await db('invoice_lines').where({ invoice_id: id }).orderBy('line_no')) as Row[];
  return {
    journeyId: String(invoice.journey_id),
    document: {
      kind: 'Invoice',
      number: String(invoice.number),
      issuedOn: day(invoice.issued_at),
      customer: await customerOf(db, String(invoice.account_id), String(invoice.contact_id), (invoice.bill_to as Address | null) ?? null),
      currency: String(invoice.currency),
      lines: lines.map(lineOf),
      netTotal: String(invoice.net_total),
      taxTotal: String(invoice.tax_total),
      total: String(invoice.total),
      creditApplied: creditAppliedOn(invoice),
      dateLine: `Due on ${day(invoice.due_at)}`,
      paymentReference: invoice.payment_reference ? printedReference(String(invoice.payment_reference)) : null,
    },
  };
}

/** A refund of the account's credit: one line, no tax (money returned, not a sale reversed). */
export async function creditNoteDocument(db: Db, id: string): Promise<{ accountId: string; document: CommercialDocument } | null> {
  const note = (await db('credit_notes').where({ id }).first()) as Row | undefined;
  if (!note) return null;
  const accountId = String(note.account_id);
  const contact = (await db('contacts').where({ account_id: accountId }).orderBy('created_at').first('id')) as Row | undefined;
  const account = (await db('accounts').where({ id: accountId }).first('billing_address')) as Row | undefined;
  const amount = String(note.amount);
  return {
    accountId,
    document: {
      kind: 'Credit note',
      number: String(note.number),
      issuedOn: day(note.created_at),
      customer: await customerOf(db, accountId, String(contact?.id ?? ''), (account?.billing_address as Address | null) ?? null),
      currency: String(note.currency),
      lines: [
        {
          sku: 'CREDIT',
          name: 'Refund of customer credit',
          quantity: 1,
          unitPrice: amount,
          discountPct: '0',
          net: amount,
          taxRatePct: '0',
          tax: '0.00',
        },
      ],
      netTotal: amount,
      taxTotal: '0.00',
      total: amount,
      creditApplied: null,
      dateLine: `Reason: ${String(note.reason)}`,
      paymentReference: null,
    },
  };
}
