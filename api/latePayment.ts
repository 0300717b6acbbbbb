// A payment for a journey that has already ended (closed, written off, cancelled after invoicing)
// is money on the bank account all the same: it is recorded against the journey's last invoice and
// kept whole as the account's credit, never refused. Its Idempotency-Key makes a retry harmless.
import type { Db } from '../db/connection';
import { insertCredit, insertPayment } from '../db/queries/payments';
import { ApiError, badRequest } from './errors';

export interface LatePayment {
  amount: string;
  currency: string;
  reference: string;
}

export async function recordLatePayment(db: Db, journeyId: string, payment: LatePayment, stage: string): Promise<{ paymentId: string; creditId: string }> {
  return db.transaction(async (trx) => {
    const invoice = (await trx('invoices')
      .where({ journey_id: journeyId })
      .orderBy('issued_at', 'desc')
      .forUpdate()
      .first('id', 'account_id', 'currency', 'number')) as { id: string; account_id: string; currency: string; number: string } | undefined;
    if (!invoice) {
      throw new ApiError(
        409,
        'no_invoice',
        `the journey ended in stage ${stage} without an invoice to credit; record the money as a bank line (POST /v1/finance/bank-statements) for finance to allocate`,
        { stage, allowedEvents: [] },
      );
    }
    if (invoice.currency !== payment.currency) {
      const message = `invoice ${invoice.number} is in ${invoice.currency}; a payment in ${payment.currency} needs converting first`;
      throw badRequest(message, [{ path: 'body.data.currency', message }]);
    }
    const paymentId = await insertPayment(trx, {
      invoiceId: invoice.id,
      accountId: invoice.account_id,
      journeyId,
      amount: payment.amount,
      currency: payment.currency,
      reference: payment.reference,
      receivedAt: new Date(),
    });
    const creditId = await insertCredit(trx, {
      accountId: invoice.account_id,
      paymentId,
      invoiceId: invoice.id,
      amount: payment.amount,
      currency: payment.currency,
    });
    return { paymentId, creditId };
  });
}
