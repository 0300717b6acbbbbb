// What a new quote of the journey is priced with: the account's currency and the VAT rate of its
// country (else the seller's), as priceQuote does, so the console's estimate matches the quote.
import { z } from 'zod';
import type { Db } from '../db/connection';
import { HOME_TAX_COUNTRY, taxRate } from '../db/queries/catalogue';
import { ratePct } from './documentTotals';

export const pricingSchema = z
  .strictObject({
    currency: z.string(),
    taxCountry: z.string(),
    taxRatePct: z.string().nullable().describe('null when the country has no VAT rate (pricing would be refused)'),
  })
  .nullable()
  .describe('what a new quote is priced with; null before the lead has an account');

export async function pricingOf(db: Db, journeyId: string): Promise<z.infer<typeof pricingSchema>> {
  const account = (await db('leads')
    .join('accounts', 'accounts.id', 'leads.account_id')
    .where('leads.journey_id', journeyId)
    .orderBy('leads.created_at')
    .first('accounts.currency', 'accounts.country')) as { currency: string; country: string | null } | undefined;
  if (!account) return null;
  const taxCountry = account.country ?? HOME_TAX_COUNTRY;
  const rate = await taxRate(db, taxCountry);
  return { currency: account.currency, taxCountry, taxRatePct: rate === undefined ? null : ratePct(rate) };
}
