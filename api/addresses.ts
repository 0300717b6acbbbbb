// The addresses a journey's customer is billed at and shipped to: those of the account its lead was
// captured into, shown on the journey and edited through it (the account is shared by every
// journey of the same company, so an edit is seen by all of them).
import { z } from 'zod';
import type { Db } from '../db/connection';
import { accountAddresses } from '../db/queries/addresses';
import { addressSchema } from '../machines/schema/address';

export const journeyAddressesSchema = z
  .strictObject({
    accountId: z.string(),
    billing: addressSchema.nullable().describe('printed on each invoice as it is when the invoice is issued'),
    shipping: addressSchema.nullable().describe("the order's ship-to when it is confirmed; without one, goods go to the billing address"),
  })
  .describe("the account's addresses; null until the lead is captured");
type JourneyAddresses = z.infer<typeof journeyAddressesSchema>;

/** The account of the journey's lead, once capture has recorded it. */
export async function accountOfJourney(db: Db, journeyId: string): Promise<string | null> {
  const row = (await db('leads').where({ journey_id: journeyId }).orderBy('created_at').first('account_id')) as { account_id: string } | undefined;
  return row?.account_id ?? null;
}

export async function journeyAddresses(db: Db, journeyId: string): Promise<JourneyAddresses | null> {
  const accountId = await accountOfJourney(db, journeyId);
  const addresses = accountId ? await accountAddresses(db, accountId) : undefined;
  return accountId && addresses ? { accountId, ...addresses } : null;
}
