// Sales complete or correct a customer's billing and shipping addresses from the journey, at any
// stage: documents already issued keep the address they were made with.
import { z } from 'zod';
import { setAccountAddresses } from '../../db/queries/addresses';
import { addressSchema } from '../../machines/schema/address';
import { accountOfJourney, journeyAddresses, journeyAddressesSchema } from '../addresses';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { applyScope, scopeOf } from '../scoping';
import { errors, journeyParams, type App } from '../schemas';

const addressesBody = z.strictObject({
  billingAddress: addressSchema.nullable().optional().describe('null removes it'),
  shippingAddress: addressSchema.nullable().optional().describe('null removes it'),
});

export function addressRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.patch(
    '/v1/journeys/:id/addresses',
    {
      config: { roles: ['sales_rep', 'sales_manager', 'ops'] },
      schema: {
        tags: ['journeys'],
        summary: "Set the customer's billing and shipping addresses",
        description:
          "Changes the addresses of the account the journey's lead was captured into (shared by every journey of that company); a field left out stays as it is, null removes it. " +
          'Documents keep the address they were made with: an order its ship-to from its confirmation (the shipping address, else the billing address), each shipment the ' +
          "order's ship-to, an invoice the billing address at issue. Country is an ISO 3166-1 alpha-2 code. A rep for their own journeys, a manager for their reports'; " +
          '409 not_captured while the lead is not captured yet.',
        params: journeyParams,
        body: addressesBody,
        response: { 200: journeyAddressesSchema, ...errors(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const scope = await scopeOf(db, userOf(request));
      const row = (await applyScope(db('journeys'), scope).where('journeys.id', request.params.id).first('id')) as { id: string } | undefined;
      if (!row) throw notFound(`journey ${request.params.id}`);
      const accountId = await accountOfJourney(db, row.id);
      if (!accountId) throw new ApiError(409, 'not_captured', "the journey's lead is not captured yet; try again in a moment");
      const { billingAddress, shippingAddress } = request.body;
      await setAccountAddresses(db, accountId, { billing: billingAddress, shipping: shippingAddress });
      const addresses = await journeyAddresses(db, row.id);
      if (!addresses) throw notFound(`account of journey ${row.id}`);
      return addresses;
    },
  );
}
