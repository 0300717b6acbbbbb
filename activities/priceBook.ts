// Lines priced from the price book in the account's currency, taxed at its country's VAT rate: the
// one path a quote (and each revision) and an order's added lines are priced by.
import type { Knex } from 'knex';
import { findPrices, findProducts, taxRate } from '../db/queries/catalogue';
import type { LineToPrice } from './pricing';
import { refuse } from './support/failures';

export interface LineRequest {
  sku: string;
  quantity: number;
  discountPct?: number | undefined;
}

/** The lines with name and unit price from the catalogue; refuses an unknown or unpriced product. */
export async function linesFromBook(trx: Knex.Transaction, lines: readonly LineRequest[], currency: string): Promise<LineToPrice[]> {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const products = await findProducts(trx, skus);
  const unknown = skus.filter((sku) => !products.some((p) => p.sku === sku));
  if (unknown.length > 0) throw refuse('UnknownSku', `unknown product ${unknown.join(', ')}`, { skus: unknown });
  const prices = await findPrices(trx, skus, currency);
  const unpriced = skus.filter((sku) => !prices.some((p) => p.sku === sku));
  if (unpriced.length > 0) throw refuse('PriceNotFound', `no ${currency} price for ${unpriced.join(', ')}`, { skus: unpriced, currency });
  return lines.map((l) => ({
    sku: l.sku,
    name: products.find((p) => p.sku === l.sku)?.name ?? l.sku,
    quantity: l.quantity,
    unitPrice: prices.find((p) => p.sku === l.sku)?.unit_price ?? '0',
    discountPct: l.discountPct ?? 0,
  }));
}

/** The VAT rate of `country`; refuses a country without one. */
export async function vatRate(trx: Knex.Transaction, country: string): Promise<string> {
  const rate = await taxRate(trx, country);
  if (rate === undefined) throw refuse('TaxRateNotFound', `no VAT rate for country ${country}`, { country });
  return rate;
}
