// The catalogue as sales sees it: products with their price-book price, accessories and availability.
import { z } from 'zod';
import { listProducts } from '../../db/queries/catalogue';
import { availabilityBySku } from '../../db/queries/stock';
import type { ApiDeps } from '../deps';
import { errors, moneySchema, type App } from '../schemas';

const productSchema = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  price: moneySchema.nullable().describe('null when the price book has no price in this currency'),
  accessories: z.array(z.string()),
  availability: z
    .object({
      onHand: z.number().int().describe('in the warehouse'),
      reserved: z.number().int().describe('on hand but held for orders not yet shipped'),
      available: z.number().int().describe('on hand and not reserved: what a new order can get now'),
      incoming: z.number().int().describe('still outstanding on open purchase orders'),
    })
    .describe('stock now, so a quote can say what ships at once'),
});

export function productRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Products with price, accessories and availability',
        querystring: z.strictObject({
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"')
            .default('EUR'),
        }),
        response: { 200: z.array(productSchema), ...errors(400) },
      },
    },
    async (request) => {
      const [products, availability] = await Promise.all([listProducts(deps.db, request.query.currency), availabilityBySku(deps.db)]);
      const none = { onHand: 0, reserved: 0, available: 0, incoming: 0 };
      return products.map((p) => ({ ...p, availability: availability.get(p.sku) ?? none }));
    },
  );
}
