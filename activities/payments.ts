// Payments: a payment settles the invoice up to its amount due (partial or in full); anything over
// becomes customer credit on the account. A payment in another currency is refused: converting
// is finance's decision, not a retry's. Reconcile checks that allocations match the invoice.
import { formatCents, minCents, money, toCents } from '../db/money';
import { insertAllocation, insertCredit, insertPayment, invoicePaymentSums } from '../db/queries/payments';
import { lockInvoice, updateInvoice } from '../db/queries/invoices';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

/** The invoice a payment is for, locked, and the payment's amount: refused in another currency or not above zero. */
async function payableInvoice(trx: StepContext['trx'], invoiceId: string, payment: { amount: string; currency: string }) {
  const invoice = await lockInvoice(trx, invoiceId);
  if (!invoice) throw notFound('invoice', invoiceId);
  if (payment.currency !== invoice.currency) {
    throw refuse('CurrencyMismatch', `payment in ${payment.currency} for an invoice in ${invoice.currency}`, {
      invoiceId: invoice.id,
      invoiceCurrency: invoice.currency,
      paymentCurrency: payment.currency,
    });
  }
  const amount = toCents(payment.amount);
  if (amount <= 0n)
    throw refuse('InvalidInput', 'a payment amount must be positive', { issues: [{ path: 'input.payment.amount', message: 'must be greater than 0' }] });
  return { invoice, amount };
}

export async function applyPayment(input: ActivityInput<'applyPayment'>, ctx: StepContext): Promise<ActivityResult<'applyPayment'>> {
  const { trx } = ctx;
  const { payment } = input;
  const { invoice, amount } = await payableInvoice(trx, input.invoiceId, payment);
  const due = toCents(invoice.amount_due);
  if (due <= 0n) throw refuse('InvoiceAlreadyPaid', `invoice ${invoice.number} is already paid`, { invoiceId: invoice.id, number: invoice.number });

  const allocated = minCents(amount, due);
  const over = amount - allocated;
  const paymentId = await insertPayment(trx, {
    invoiceId: invoice.id,
    accountId: invoice.account_id,
    journeyId: ctx.journeyId,
    amount: formatCents(amount),
    currency: invoice.currency,
    reference: payment.reference,
    receivedAt: ctx.now,
  });
  await insertAllocation(trx, { paymentId, invoiceId: invoice.id, amount: formatCents(allocated), currency: invoice.currency });
  if (over > 0n)
    await insertCredit(trx, { accountId: invoice.account_id, paymentId, invoiceId: invoice.id, amount: formatCents(over), currency: invoice.currency });
  const left = due - allocated;
  await updateInvoice(trx, invoice.id, {
    amount_paid: formatCents(toCents(invoice.amount_paid) + allocated),
    amount_due: formatCents(left),
    status: left === 0n ? 'paid' : 'partially_paid',
  });
  const sums = await invoicePaymentSums(trx, invoice.id);
  return { paymentId, amountDue: money(left, invoice.currency), paidInFull: left === 0n, credit: money(toCents(sums.credit), invoice.currency) };
}

/** A payment the invoice cannot take: recorded on the journey and kept whole as the account's credit. */
export async function recordCredit(input: ActivityInput<'recordCredit'>, ctx: StepContext): Promise<ActivityResult<'recordCredit'>> {
  const { trx } = ctx;
  const { payment } = input;
  const { invoice, amount } = await payableInvoice(trx, input.invoiceId, payment);
  const paymentId = await insertPayment(trx, {
    invoiceId: invoice.id,
    accountId: invoice.account_id,
    journeyId: ctx.journeyId,
    amount: formatCents(amount),
    currency: invoice.currency,
    reference: payment.reference,
    receivedAt: ctx.now,
  });
  await insertCredit(trx, { accountId: invoice.account_id, paymentId, invoiceId: invoice.id, amount: formatCents(amount), currency: invoice.currency });
  return { paymentId, credit: money(amount, invoice.currency) };
}

/** Reconciled when nothing is due and the allocations add up to the invoice total plus fees. */
export async function reconcile(input: ActivityInput<'reconcile'>, ctx: StepContext): Promise<ActivityResult<'reconcile'>> {
  const { trx } = ctx;
  const invoice = await lockInvoice(trx, input.invoiceId);
  if (!invoice) throw notFound('invoice', input.invoiceId);
  const sums = await invoicePaymentSums(trx, invoice.id);
  const reconciled = toCents(invoice.amount_due) === 0n && toCents(sums.allocated) === toCents(invoice.total) + toCents(invoice.fees_total);
  if (reconciled && !invoice.reconciled_at) await updateInvoice(trx, invoice.id, { reconciled_at: ctx.now, status: 'paid' });
  return { reconciled, paid: money(toCents(sums.received), invoice.currency), credit: money(toCents(sums.credit), invoice.currency) };
}
