// PAYMENT_RECEIVED at the door: an amount the ledger can hold exactly, in the invoice's currency.
// Refused here with the field's path, never accepted and then parking the journey.
import { z } from 'zod';
import type { Db } from '../db/connection';
import { positiveAmountPattern, text, textBounds } from '../machines/schema/bounds';
import { badRequest } from './errors';
import { moneySchema } from './schemas';

/** Amount, currency and reference within the ledger's bounds (machines/schema/bounds.ts), as the document says. */
export const paymentDataSchema = z.strictObject({
  amount: z
    .string()
    .regex(positiveAmountPattern, 'a decimal string more than zero such as "120.00" (at most 12 digits before the point, 2 after)')
    .describe('above zero, at most 2 decimals'),
  currency: moneySchema.shape.currency.describe("the invoice's currency"),
  reference: text(textBounds.paymentReference),
});

/** 400 when the journey's invoice is in another currency than the payment. */
export async function checkPaymentCurrency(db: Db, journeyId: string, data: { currency: string }): Promise<void> {
  const invoice = (await db('invoices').where({ journey_id: journeyId }).first('number', 'currency')) as { number: string; currency: string } | undefined;
  if (!invoice || invoice.currency === data.currency) return;
  const message = `invoice ${invoice.number} is in ${invoice.currency}; a payment in ${data.currency} needs converting first`;
  throw badRequest(message, [{ path: 'body.data.currency', message }]);
}
