// Quotes (a new version per revision, each with its priced lines), approvals, sales orders that
// carry every field of the accepted quote, and fulfilment: reservations, purchase orders and
// shipments. Document numbers come from per-series, per-year counter rows (see db/queries/counters).
// Rounding: each line is rounded half-up to cents (discount, then tax); totals are sums of lines.
import type { Knex } from 'knex';

function moneyTotals(t: Knex.CreateTableBuilder): void {
  t.string('currency', 3).notNullable();
  t.decimal('list_total', 18, 2).notNullable();
  t.decimal('discount_total', 18, 2).notNullable();
  t.decimal('net_total', 18, 2).notNullable();
  t.decimal('tax_total', 18, 2).notNullable();
  t.decimal('total', 18, 2).notNullable();
}

function pricedLine(t: Knex.CreateTableBuilder): void {
  t.integer('line_no').notNullable();
  t.string('sku', 64).notNullable().references('sku').inTable('products');
  t.string('name', 200).notNullable();
  t.integer('quantity').notNullable();
  t.string('currency', 3).notNullable();
  t.decimal('unit_price', 18, 2).notNullable();
  t.decimal('discount_pct', 7, 4).notNullable().defaultTo(0);
  t.decimal('list_amount', 18, 2).notNullable();
  t.decimal('discount_amount', 18, 2).notNullable();
  t.decimal('net_amount', 18, 2).notNullable();
  t.decimal('tax_rate_pct', 7, 4).notNullable();
  t.decimal('tax_amount', 18, 2).notNullable();
  t.decimal('total', 18, 2).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('document_counters', (t) => {
    t.string('series', 16).notNullable();
    t.integer('year').notNullable();
    t.integer('last_number').notNullable();
    t.primary(['series', 'year']);
  });

  await knex.schema.createTable('quotes', (t) => {
    t.string('id', 64).primary();
    t.string('opportunity_id', 64).notNullable().references('id').inTable('opportunities');
    // One number per opportunity (QUO-2026-000001), shared by all its versions.
    t.string('number', 32).notNullable();
    t.integer('version').notNullable();
    t.string('journey_id', 64).notNullable();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('contact_id', 64).notNullable().references('id').inTable('contacts');
    // draft → sent → accepted; an older version becomes superseded when a new one is priced.
    t.string('status', 32).notNullable().defaultTo('draft');
    t.string('tax_country', 2).notNullable();
    moneyTotals(t);
    t.decimal('max_discount_pct', 7, 4).notNullable();
    t.timestamp('valid_until', { useTz: true }).notNullable();
    t.string('author_id', 64).notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['opportunity_id', 'version']);
  });

  await knex.schema.createTable('quote_lines', (t) => {
    t.string('quote_id', 64).notNullable().references('id').inTable('quotes').onDelete('CASCADE');
    pricedLine(t);
    t.primary(['quote_id', 'line_no']);
  });

  await knex.schema.createTable('approvals', (t) => {
    t.string('id', 64).primary();
    t.string('quote_id', 64).notNullable().references('id').inTable('quotes');
    t.string('journey_id', 64).notNullable();
    t.string('role', 32).notNullable();
    t.string('decided_by', 64).notNullable();
    t.string('decision', 16).notNullable();
    t.text('note');
    t.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['quote_id']);
  });

  await knex.schema.createTable('sales_orders', (t) => {
    t.string('id', 64).primary();
    t.string('number', 32).notNullable().unique();
    // One order per accepted quote.
    t.string('quote_id', 64).notNullable().unique().references('id').inTable('quotes');
    t.string('quote_number', 32).notNullable();
    t.integer('quote_version').notNullable();
    t.string('opportunity_id', 64).notNullable().references('id').inTable('opportunities');
    t.string('journey_id', 64).notNullable();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('contact_id', 64).notNullable().references('id').inTable('contacts');
    t.string('owner_id', 64);
    t.string('author_id', 64).notNullable();
    t.string('tax_country', 2).notNullable();
    moneyTotals(t);
    t.decimal('max_discount_pct', 7, 4).notNullable();
    t.timestamp('quote_valid_until', { useTz: true }).notNullable();
    // open → shipped → invoiced; credit_status: pending, approved, hold.
    t.string('status', 32).notNullable().defaultTo('open');
    t.string('credit_status', 16).notNullable().defaultTo('pending');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'status']);
  });

  await knex.schema.createTable('sales_order_lines', (t) => {
    t.string('order_id', 64).notNullable().references('id').inTable('sales_orders').onDelete('CASCADE');
    pricedLine(t);
    t.primary(['order_id', 'line_no']);
  });

  await knex.schema.createTable('reservations', (t) => {
    t.string('id', 64).primary();
    t.string('order_id', 64).notNullable().references('id').inTable('sales_orders');
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.integer('quantity').notNullable();
    // reserved → shipped (stock consumed) or released.
    t.string('status', 16).notNullable().defaultTo('reserved');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
  });

  await knex.schema.createTable('purchase_orders', (t) => {
    t.string('id', 64).primary();
    t.string('number', 32).notNullable().unique();
    t.string('order_id', 64).references('id').inTable('sales_orders');
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.integer('quantity').notNullable();
    t.string('supplier', 200);
    // open → received
    t.string('status', 16).notNullable().defaultTo('open');
    t.timestamp('received_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
  });

  await knex.schema.createTable('shipments', (t) => {
    t.string('id', 64).primary();
    t.string('order_id', 64).notNullable().references('id').inTable('sales_orders');
    t.string('carrier', 100).notNullable();
    t.string('tracking_number', 100).notNullable();
    t.string('status', 16).notNullable().defaultTo('shipped');
    t.timestamp('shipped_at', { useTz: true }).notNullable();
    t.index(['order_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'shipments',
    'purchase_orders',
    'reservations',
    'sales_order_lines',
    'sales_orders',
    'approvals',
    'quote_lines',
    'quotes',
    'document_counters',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
