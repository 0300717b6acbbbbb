// Billing: invoices (gap-free number per year, lines copied from the order), payments and their
// allocations, customer credit from over-payments, dunning notices with fees.
// amount_due = total + fees_total - amount_paid, never below zero; any excess is customer credit.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invoices', (t) => {
    t.string('id', 64).primary();
    t.string('number', 32).notNullable().unique();
    t.string('order_id', 64).notNullable().unique().references('id').inTable('sales_orders');
    t.string('journey_id', 64).notNullable();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('contact_id', 64).notNullable().references('id').inTable('contacts');
    t.string('tax_country', 2).notNullable();
    t.string('currency', 3).notNullable();
    t.decimal('net_total', 18, 2).notNullable();
    t.decimal('tax_total', 18, 2).notNullable();
    t.decimal('total', 18, 2).notNullable();
    t.decimal('fees_total', 18, 2).notNullable().defaultTo(0);
    t.decimal('amount_paid', 18, 2).notNullable().defaultTo(0);
    t.decimal('amount_due', 18, 2).notNullable();
    // open → partially_paid → paid
    t.string('status', 32).notNullable().defaultTo('open');
    t.string('payment_terms', 32).notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('reconciled_at', { useTz: true });
    t.index(['account_id', 'status']);
  });

  await knex.schema.createTable('invoice_lines', (t) => {
    t.string('invoice_id', 64).notNullable().references('id').inTable('invoices').onDelete('CASCADE');
    t.integer('line_no').notNullable();
    t.string('sku', 64).notNullable();
    t.string('name', 200).notNullable();
    t.integer('quantity').notNullable();
    t.decimal('unit_price', 18, 2).notNullable();
    t.decimal('discount_pct', 7, 4).notNullable();
    t.decimal('net_amount', 18, 2).notNullable();
    t.decimal('tax_rate_pct', 7, 4).notNullable();
    t.decimal('tax_amount', 18, 2).notNullable();
    t.decimal('total', 18, 2).notNullable();
    t.primary(['invoice_id', 'line_no']);
  });

  await knex.schema.createTable('payments', (t) => {
    t.string('id', 64).primary();
    t.string('invoice_id', 64).notNullable().references('id').inTable('invoices');
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('journey_id', 64).notNullable();
    t.decimal('amount', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.string('reference', 100).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.index(['invoice_id']);
  });

  await knex.schema.createTable('payment_allocations', (t) => {
    t.bigIncrements('id').primary();
    t.string('payment_id', 64).notNullable().references('id').inTable('payments');
    t.string('invoice_id', 64).notNullable().references('id').inTable('invoices');
    t.decimal('amount', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.index(['invoice_id']);
  });

  await knex.schema.createTable('customer_credits', (t) => {
    t.string('id', 64).primary();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('payment_id', 64).notNullable().references('id').inTable('payments');
    t.string('invoice_id', 64).notNullable().references('id').inTable('invoices');
    t.decimal('amount', 18, 2).notNullable();
    t.decimal('remaining', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id']);
  });

  await knex.schema.createTable('dunning_notices', (t) => {
    t.string('id', 64).primary();
    t.string('invoice_id', 64).notNullable().references('id').inTable('invoices');
    t.string('journey_id', 64).notNullable();
    t.integer('level').notNullable();
    t.string('template', 100).notNullable();
    t.decimal('fee', 18, 2).notNullable().defaultTo(0);
    t.string('currency', 3).notNullable();
    t.decimal('amount_due', 18, 2).notNullable();
    t.string('email_id', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['invoice_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['dunning_notices', 'customer_credits', 'payment_allocations', 'payments', 'invoice_lines', 'invoices']) {
    await knex.schema.dropTableIfExists(table);
  }
}
