// The account's unused credit settles its next invoice: at issue, in the invoice's transaction,
// oldest credit first and at most the invoice's gross. Each use is allocated to the invoice from the
// payment the credit came from, so reconcile sees the invoice settled like any other payment.
import type { Knex } from 'knex';
import { consumeCredits, lockOpenCredits } from '../db/queries/credits';
import { updateInvoice, type InvoiceRow } from '../db/queries/invoices';
import { insertAllocation } from '../db/queries/payments';
import { formatCents, toCents } from '../db/money';

/** Applies what credit there is to a just-issued invoice and answers the invoice as it now stands. */
export async function applyAccountCredit(trx: Knex.Transaction, invoice: InvoiceRow, at: Date): Promise<InvoiceRow> {
  const gross = toCents(invoice.amount_due);
  if (gross <= 0n) return invoice;
  const credits = await lockOpenCredits(trx, invoice.account_id, invoice.currency);
  const used = await consumeCredits(trx, credits, gross, { invoiceId: invoice.id }, at);
  if (used.length === 0) return invoice;
  for (const use of used) {
    await insertAllocation(trx, { paymentId: use.credit.payment_id, invoiceId: invoice.id, amount: formatCents(use.cents), currency: invoice.currency });
  }
  const applied = used.reduce((sum, use) => sum + use.cents, 0n);
  const left = gross - applied;
  const patch = {
    credit_applied: formatCents(applied),
    amount_due: formatCents(left),
    status: left === 0n ? 'paid' : 'partially_paid',
  };
  await updateInvoice(trx, invoice.id, patch);
  return { ...invoice, ...patch };
}
