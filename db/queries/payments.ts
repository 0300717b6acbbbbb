// Payments, their allocation to invoices, and the customer credit an over-payment leaves.
import type { Knex } from 'knex';
import { newId } from '../ids';

export async function insertPayment(
  trx: Knex.Transaction,
  payment: { invoiceId: string; accountId: string; journeyId: string; amount: string; currency: string; reference: string; receivedAt: Date },
): Promise<string> {
  const id = newId('pay');
  await trx('payments').insert({
    id,
    invoice_id: payment.invoiceId,
    account_id: payment.accountId,
    journey_id: payment.journeyId,
    amount: payment.amount,
    currency: payment.currency,
    reference: payment.reference,
    received_at: payment.receivedAt,
  });
  return id;
}

export async function insertAllocation(
  trx: Knex.Transaction,
  allocation: { paymentId: string; invoiceId: string; amount: string; currency: string },
): Promise<void> {
  await trx('payment_allocations').insert({
    payment_id: allocation.paymentId,
    invoice_id: allocation.invoiceId,
    amount: allocation.amount,
    currency: allocation.currency,
  });
}

export async function insertCredit(
  trx: Knex.Transaction,
  credit: { accountId: string; paymentId: string; invoiceId: string; amount: string; currency: string },
): Promise<string> {
  const id = newId('crd');
  await trx('customer_credits').insert({
    id,
    account_id: credit.accountId,
    payment_id: credit.paymentId,
    invoice_id: credit.invoiceId,
    amount: credit.amount,
    remaining: credit.amount,
    currency: credit.currency,
  });
  return id;
}

/** Sums for one invoice: received (all payments), allocated to it, and left over as credit. */
export async function invoicePaymentSums(db: Knex, invoiceId: string): Promise<{ received: string; allocated: string; credit: string }> {
  const sum = async (table: string) => {
    const [row] = (await db(table).where({ invoice_id: invoiceId }).sum({ sum: 'amount' })) as { sum: string | null }[];
    return row?.sum ?? '0';
  };
  return { received: await sum('payments'), allocated: await sum('payment_allocations'), credit: await sum('customer_credits') };
}

/** Unused credit of an account in a currency (over-payments not yet applied elsewhere). */
export async function accountCredit(db: Knex, accountId: string, currency: string): Promise<string> {
  const [row] = (await db('customer_credits').where({ account_id: accountId, currency }).sum({ sum: 'remaining' })) as { sum: string | null }[];
  return row?.sum ?? '0';
}
