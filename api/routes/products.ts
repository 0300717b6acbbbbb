// The catalogue as sales sees it: products with their price-book price and accessories.
import { z } from 'zod';
import { listProducts } from '../../db/queries/catalogue';
import type { ApiDeps } from '../deps';
import { errors, moneySchema, type App } from '../schemas';

const productSchema = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  price: moneySchema.nullable().describe('null when the price book has no price in this currency'),
  accessories: z.array(z.string()),
});

export function productRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Products with price and accessories',
        querystring: z.strictObject({
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"')
            .default('EUR'),
        }),
        response: { 200: z.array(productSchema), ...errors(400) },
      },
    },
    async (request) => listProducts(deps.db, request.query.currency),
  );
}
