// Customer credit is used: applied to the account's next invoice in its currency, or refunded by
// finance with a credit note (gap-free CN-2026-000001). Each use is a row that consumes
// `customer_credits.remaining`, so remaining = amount - the uses of that credit, never below zero.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    // Credit applied at issue; amount_due = total + fees_total - amount_paid - credit_applied.
    t.decimal('credit_applied', 18, 2).notNullable().defaultTo(0);
  });
  await knex.raw('alter table customer_credits add constraint customer_credits_remaining check (remaining >= 0 and remaining <= amount)');
  await knex.schema.alterTable('customer_credits', (t) => {
    t.index(['account_id', 'currency', 'created_at']);
  });

  await knex.schema.createTable('credit_notes', (t) => {
    // Fixed by the request's Idempotency-Key when it has one: a retry finds the note it made.
    t.string('id', 64).primary();
    t.string('number', 32).notNullable().unique();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.decimal('amount', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.string('reason', 500).notNullable();
    t.string('created_by', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at']);
    t.check('amount > 0', [], 'credit_notes_amount');
  });

  await knex.schema.createTable('credit_uses', (t) => {
    t.bigIncrements('id').primary();
    t.string('credit_id', 64).notNullable().references('id').inTable('customer_credits');
    // Exactly one of: the invoice the credit was applied to, the credit note that refunded it.
    t.string('invoice_id', 64).references('id').inTable('invoices');
    t.string('credit_note_id', 64).references('id').inTable('credit_notes');
    t.decimal('amount', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['credit_id']);
    t.index(['invoice_id']);
    t.index(['credit_note_id']);
    // One use per credit and invoice: an invoice issued again can never take the same credit twice.
    t.unique(['credit_id', 'invoice_id']);
    t.check('amount > 0', [], 'credit_uses_amount');
    t.check('(invoice_id is null) <> (credit_note_id is null)', [], 'credit_uses_one_target');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('credit_uses');
  await knex.schema.dropTableIfExists('credit_notes');
  await knex.schema.alterTable('customer_credits', (t) => {
    t.dropIndex(['account_id', 'currency', 'created_at']);
  });
  await knex.raw('alter table customer_credits drop constraint customer_credits_remaining');
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('credit_applied');
  });
}
