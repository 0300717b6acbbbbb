// Products, their accessories and substitutes, the price book and VAT rates by country.
import type { Knex } from 'knex';

export interface ProductRow {
  sku: string;
  name: string;
  category: string;
  supplier: string | null;
  active: boolean;
}

export interface PriceRow {
  sku: string;
  currency: string;
  unit_price: string;
}

export async function findProducts(db: Knex, skus: string[]): Promise<ProductRow[]> {
  return (await db('products').whereIn('sku', skus).where({ active: true })) as ProductRow[];
}

/** The catalogue as the API shows it: price in one currency and the accessories of each product. */
export async function listProducts(
  db: Knex,
  currency = 'EUR',
): Promise<{ sku: string; name: string; category: string; price: { amount: string; currency: string } | null; accessories: string[] }[]> {
  const products = (await db('products').where({ active: true }).orderBy('sku')) as ProductRow[];
  const prices = (await db('price_book').where({ currency })) as PriceRow[];
  const accessories = (await db('product_accessories').orderBy('accessory_sku')) as { sku: string; accessory_sku: string }[];
  return products.map((p) => {
    const price = prices.find((r) => r.sku === p.sku);
    return {
      sku: p.sku,
      name: p.name,
      category: p.category,
      price: price ? { amount: price.unit_price, currency } : null,
      accessories: accessories.filter((a) => a.sku === p.sku).map((a) => a.accessory_sku),
    };
  });
}

export async function findPrices(db: Knex, skus: string[], currency: string): Promise<PriceRow[]> {
  return (await db('price_book').whereIn('sku', skus).where({ currency })) as PriceRow[];
}

/** Where VAT is due when the customer's country is not known: the seller's own. */
export const HOME_TAX_COUNTRY = 'DE';

/** VAT rate in percent as a decimal string ("19.0000"), or undefined for a country without one. */
export async function taxRate(db: Knex, country: string): Promise<string | undefined> {
  const row = (await db('tax_rates').where({ country }).first()) as { rate_pct: string } | undefined;
  return row?.rate_pct;
}

export async function accessoriesOf(db: Knex, skus: string[]): Promise<{ sku: string; accessory_sku: string }[]> {
  return (await db('product_accessories')
    .join('products', 'products.sku', 'product_accessories.accessory_sku')
    .whereIn('product_accessories.sku', skus)
    .where('products.active', true)
    .orderBy(['product_accessories.sku', 'product_accessories.accessory_sku'])
    .select('product_accessories.sku', 'product_accessories.accessory_sku')) as { sku: string; accessory_sku: string }[];
}

export async function substitutesOf(db: Knex, skus: string[]): Promise<{ sku: string; substitute_sku: string }[]> {
  return (await db('product_substitutes')
    .join('products', 'products.sku', 'product_substitutes.substitute_sku')
    .whereIn('product_substitutes.sku', skus)
    .where('products.active', true)
    .orderBy(['product_substitutes.sku', 'product_substitutes.substitute_sku'])
    .select('product_substitutes.sku', 'product_substitutes.substitute_sku')) as { sku: string; substitute_sku: string }[];
}
