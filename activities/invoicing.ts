// Invoicing: one invoice per order, numbered gap-free per year (INV-2026-000001) in the same
// transaction as the invoice, lines and tax copied from the order, due date from the payment terms,
// the buyer's billing address as it was at issue, and the account's unused credit applied.
import { findContact } from '../db/queries/accounts';
import { applyAccountCredit } from './accountCredit';
import { keepBillTo } from '../db/queries/addresses';
import { creditorReference, printedReference } from '../db/creditorReference';
import { nextDocumentNumber } from '../db/queries/counters';
import { findInvoiceOfOrder, insertInvoice, invoiceLines, lockInvoice, updateInvoice, type InvoiceRow } from '../db/queries/invoices';
import { findOrder, lockOrder, orderLines, updateOrder } from '../db/queries/orders';
import { formatCents, money, toCents } from '../db/money';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { formatDay, queueEmail } from './mail/compose';
import { documentAttachment } from './mail/documentAttachment';
import { renderLines } from './mail/templates';
import { addDuration } from '../machines/duration';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

function invoiceResult(invoice: InvoiceRow): ActivityResult<'issueInvoice'> {
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    total: money(toCents(invoice.total), invoice.currency),
    dueDate: invoice.due_at.toISOString(),
    amountDue: money(toCents(invoice.amount_due), invoice.currency),
  };
}

export async function issueInvoice(input: ActivityInput<'issueInvoice'>, ctx: StepContext): Promise<ActivityResult<'issueInvoice'>> {
  const { trx } = ctx;
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('order', input.orderId);
  // One invoice per order: asking again (another step) returns the same invoice, never a second number.
  const existing = await findInvoiceOfOrder(trx, order.id);
  if (existing) return invoiceResult(existing);
  const invoice = await insertInvoice(
    trx,
    {
      number: await nextDocumentNumber(trx, 'INV', ctx.now),
      order_id: order.id,
      journey_id: ctx.journeyId,
      account_id: order.account_id,
      contact_id: order.contact_id,
      tax_country: order.tax_country,
      currency: order.currency,
      net_total: order.net_total,
      tax_total: order.tax_total,
      total: order.total,
      amount_due: order.total,
      payment_terms: input.paymentTerms,
      issued_at: ctx.now,
      due_at: addDuration(ctx.now, input.paymentTerms),
    },
    await orderLines(trx, order.id),
  );
  await keepBillTo(trx, invoice.id);
  await updateOrder(trx, order.id, { status: 'invoiced' });
  // In the invoice's transaction: a retry finds the invoice above and never applies credit twice.
  return invoiceResult(await applyAccountCredit(trx, invoice, ctx.now));
}

export async function sendInvoice(input: ActivityInput<'sendInvoice'>, ctx: StepContext): Promise<ActivityResult<'sendInvoice'>> {
  const { trx } = ctx;
  const invoice = await lockInvoice(trx, input.invoiceId);
  if (!invoice) throw notFound('invoice', input.invoiceId);
  const contact = await findContact(trx, invoice.contact_id);
  if (!contact) throw notFound('contact', invoice.contact_id);
  const order = await findOrder(trx, invoice.order_id);
  const lines = await invoiceLines(trx, invoice.id);
  const credit = toCents(invoice.credit_applied);
  const emailId = await queueEmail(ctx, {
    kind: 'invoice',
    attachments: [await documentAttachment(trx, 'invoice', invoice.id)],
    templateKeys: credit > 0n ? ['invoice_credit_applied', 'invoice'] : ['invoice'],
    to: contact.email,
    vars: {
      name: contact.name,
      invoiceNumber: invoice.number,
      orderNumber: order?.number ?? '',
      ...renderLines(
        lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unit_price, discountPct: l.discount_pct, net: l.net_amount })),
        invoice.currency,
      ),
      netTotal: `${invoice.net_total} ${invoice.currency}`,
      taxTotal: `${invoice.tax_total} ${invoice.currency}`,
      total: `${invoice.total} ${invoice.currency}`,
      creditApplied: `${formatCents(credit)} ${invoice.currency}`,
      // As at issue, like the attached PDF: fees and payments come later.
      amountDue: `${formatCents(toCents(invoice.total) - credit)} ${invoice.currency}`,
      dueDate: formatDay(invoice.due_at),
      paymentReference: printedReference(invoice.payment_reference ?? creditorReference(invoice.number)),
    },
  });
  if (!invoice.sent_at) await updateInvoice(trx, invoice.id, { sent_at: ctx.now });
  return { emailId };
}
