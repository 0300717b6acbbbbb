// Dunning: a notice per level; a fee (in the invoice's currency) is added to the amount due before
// the email is written, so the email states what is owed now. A paid invoice is never dunned.
import { findContact } from '../db/queries/accounts';
import { insertDunningNotice, lockInvoice, updateInvoice } from '../db/queries/invoices';
import { enqueueEmail } from '../db/queries/outbox';
import { formatCents, money, toCents } from '../db/money';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { formatDay } from './mail/compose';
import { dunningTemplateForLevel, loadTemplate, renderEmail } from './mail/templates';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

export async function sendDunningNotice(input: ActivityInput<'sendDunningNotice'>, ctx: StepContext): Promise<ActivityResult<'sendDunningNotice'>> {
  const { trx } = ctx;
  const invoice = await lockInvoice(trx, input.invoiceId);
  if (!invoice) throw notFound('invoice', input.invoiceId);
  if (toCents(invoice.amount_due) <= 0n)
    throw refuse('InvoiceAlreadyPaid', `invoice ${invoice.number} is already paid`, { invoiceId: invoice.id, number: invoice.number });
  if (input.fee && input.fee.currency !== invoice.currency) {
    throw refuse('CurrencyMismatch', `dunning fee in ${input.fee.currency} for an invoice in ${invoice.currency}`, {
      invoiceId: invoice.id,
      invoiceCurrency: invoice.currency,
      feeCurrency: input.fee.currency,
    });
  }
  const fee = input.fee ? toCents(input.fee.amount) : 0n;
  if (fee < 0n) throw refuse('InvalidInput', 'a dunning fee cannot be negative', { issues: [{ path: 'input.fee.amount', message: 'must not be negative' }] });
  const amountDue = toCents(invoice.amount_due) + fee;
  await updateInvoice(trx, invoice.id, { fees_total: formatCents(toCents(invoice.fees_total) + fee), amount_due: formatCents(amountDue) });

  const contact = await findContact(trx, invoice.contact_id);
  if (!contact) throw notFound('contact', invoice.contact_id);
  // The definition names the template; unknown names fall back to the level's default wording.
  const template = await loadTemplate(trx, 'dunning', [input.template, `dunning_${input.template}`, dunningTemplateForLevel(input.level)]);
  const rendered = renderEmail(template, {
    name: contact.name,
    invoiceNumber: invoice.number,
    dueDate: formatDay(invoice.due_at),
    amountDue: `${formatCents(amountDue)} ${invoice.currency}`,
    fee: `${formatCents(fee)} ${invoice.currency}`,
    level: String(input.level),
  });
  const emailId = await enqueueEmail(trx, {
    journeyId: ctx.journeyId,
    step: ctx.step,
    kind: 'dunning',
    templateKey: template.key,
    templateVersion: template.version ?? 0,
    to: contact.email,
    ...rendered,
  });
  const noticeId = await insertDunningNotice(trx, {
    invoiceId: invoice.id,
    journeyId: ctx.journeyId,
    level: input.level,
    template: template.key,
    fee: formatCents(fee),
    currency: invoice.currency,
    amountDue: formatCents(amountDue),
    emailId,
    createdAt: ctx.now,
  });
  return { noticeId, emailId, amountDue: money(amountDue, invoice.currency) };
}
