// What is sold: products with their accessories and substitutes, the price book, VAT rates by
// country and stock on hand. Money is numeric(18,2) with its currency, never a float.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('products', (t) => {
    t.string('sku', 64).primary();
    t.string('name', 200).notNullable();
    // Matched against a lead's product interest (e.g. "cameras").
    t.string('category', 100).notNullable();
    t.string('supplier', 200);
    t.boolean('active').notNullable().defaultTo(true);
  });

  await knex.schema.createTable('product_accessories', (t) => {
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.string('accessory_sku', 64).notNullable().references('sku').inTable('products');
    t.primary(['sku', 'accessory_sku']);
  });

  await knex.schema.createTable('product_substitutes', (t) => {
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.string('substitute_sku', 64).notNullable().references('sku').inTable('products');
    t.primary(['sku', 'substitute_sku']);
  });

  await knex.schema.createTable('price_book', (t) => {
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.string('currency', 3).notNullable();
    t.decimal('unit_price', 18, 2).notNullable();
    t.primary(['sku', 'currency']);
  });

  await knex.schema.createTable('tax_rates', (t) => {
    t.string('country', 2).primary();
    // Percent, e.g. 19.0000 for German VAT.
    t.decimal('rate_pct', 7, 4).notNullable();
  });

  await knex.schema.createTable('stock', (t) => {
    t.string('sku', 64).primary().references('sku').inTable('products');
    t.integer('on_hand').notNullable().defaultTo(0);
    t.integer('reserved').notNullable().defaultTo(0);
    t.integer('reorder_point').notNullable().defaultTo(0);
    t.check('?? >= 0 and ?? >= 0 and ?? <= ??', ['on_hand', 'reserved', 'reserved', 'on_hand'], 'stock_quantities');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['stock', 'tax_rates', 'price_book', 'product_substitutes', 'product_accessories', 'products']) {
    await knex.schema.dropTableIfExists(table);
  }
}
