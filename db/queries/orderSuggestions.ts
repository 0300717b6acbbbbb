// Accessories and substitutes suggested for an order, kept with it so a rep can add them as lines.
import type { Knex } from 'knex';

export interface SuggestionRow {
  order_id: string;
  sku: string;
  reason: 'accessory' | 'substitute';
  for_sku: string;
}

/** Keeps each suggestion once per order: computing them again adds nothing. */
export async function keepSuggestions(db: Knex, rows: SuggestionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('order_suggestions').insert(rows).onConflict(['order_id', 'sku']).ignore();
}

/** The order's suggestions with the product's name and list price in the order's currency. */
export async function suggestionsOf(db: Knex, orderId: string, currency: string): Promise<(SuggestionRow & { name: string; unit_price: string | null })[]> {
  return (await db('order_suggestions')
    .join('products', 'products.sku', 'order_suggestions.sku')
    .leftJoin('price_book', (j) => {
      j.on('price_book.sku', '=', 'order_suggestions.sku').andOnVal('price_book.currency', '=', currency);
    })
    .where('order_suggestions.order_id', orderId)
    .orderBy(['order_suggestions.created_at', 'order_suggestions.sku'])
    .select('order_suggestions.*', 'products.name', 'price_book.unit_price')) as (SuggestionRow & { name: string; unit_price: string | null })[];
}
