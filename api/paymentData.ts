// PAYMENT_RECEIVED at the door: an amount the ledger can hold exactly, in the invoice's currency.
// Refused here with the field's path, never accepted and then parking the journey.
import { z } from 'zod';
import type { Db } from '../db/connection';
import { badRequest } from './errors';

/** Minor units per ISO 4217 currency where they differ from 2 (the ledger's columns keep 2 decimals). */
const minorUnits: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, CLP: 0, ISK: 0, HUF: 2, VND: 0 };
/** The money columns are decimal(18, 2). */
const MAX_UNITS = 16;

export const paymentDataSchema = z
  .strictObject({
    amount: z.string().regex(/^\d+(\.\d+)?$/, 'a positive decimal string such as "120.00"').describe('above zero, in the currency\'s minor units (2 decimals for EUR), at most 16 digits before the point'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"').describe('the invoice\'s currency'),
    reference: z.string().trim().min(1).max(100),
  })
  .superRefine((data, ctx) => {
    const [units = '', decimals = ''] = data.amount.split('.');
    const allowed = minorUnits[data.currency] ?? 2;
    if (decimals.length > allowed) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `${data.currency} has ${allowed} decimal place(s): ${data.amount} is not an amount of money` });
    } else if (units.replace(/^0+(?=\d)/, '').length > MAX_UNITS) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `at most ${MAX_UNITS} digits before the decimal point` });
    } else if (!/[1-9]/.test(data.amount)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be more than zero' });
    }
  });

/** 400 when the journey's invoice is in another currency than the payment. */
export async function checkPaymentCurrency(db: Db, journeyId: string, data: { currency: string }): Promise<void> {
  const invoice = (await db('invoices').where({ journey_id: journeyId }).first('number', 'currency')) as { number: string; currency: string } | undefined;
  if (!invoice || invoice.currency === data.currency) return;
  const message = `invoice ${invoice.number} is in ${invoice.currency}; a payment in ${data.currency} needs converting first`;
  throw badRequest(message, [{ path: 'body.data.currency', message }]);
}
