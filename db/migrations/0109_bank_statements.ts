// Cash: bank statement imports, their lines (each applied at most once: a unique identity per
// line), allocations of lines to invoices (each sent to the journey exactly once, by its id), the
// counterparty IBANs learned from confirmed matches, and the RF creditor reference of every invoice.
import type { Knex } from 'knex';
import { creditorReference } from '../creditorReference';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.string('payment_reference', 25).unique();
  });
  const invoices = (await knex('invoices').select('id', 'number')) as { id: string; number: string }[];
  for (const invoice of invoices)
    await knex('invoices')
      .where({ id: invoice.id })
      .update({ payment_reference: creditorReference(invoice.number) });

  await knex.schema.createTable('bank_imports', (t) => {
    t.string('id', 64).primary();
    // camt.053.001.02, camt.053.001.08 or csv:<profile>
    t.string('format', 64).notNullable();
    t.string('imported_by', 64).notNullable();
    t.integer('lines').notNullable().defaultTo(0);
    t.integer('duplicates').notNullable().defaultTo(0);
    t.jsonb('warnings').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('bank_lines', (t) => {
    t.string('id', 64).primary();
    // AcctSvcrRef, else NtryRef, else a hash with an occurrence index: the same line, imported
    // again in any statement, has the same identity and is refused by this constraint.
    t.string('identity', 200).notNullable().unique();
    t.string('import_id', 64).notNullable().references('id').inTable('bank_imports');
    t.string('account', 64).notNullable();
    t.string('statement_id', 100);
    t.date('booking_date').notNullable();
    t.date('value_date');
    t.decimal('amount', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.string('direction', 6).notNullable(); // credit | debit
    t.boolean('reversal').notNullable().defaultTo(false);
    t.string('bank_reference', 100);
    t.string('end_to_end_id', 100);
    t.string('counterparty_name', 200);
    t.string('counterparty_iban', 34);
    t.text('remittance').notNullable().defaultTo('');
    t.string('creditor_reference', 35);
    // unmatched | suggested | matched | ignored | reversed
    t.string('state', 16).notNullable();
    t.jsonb('candidates').notNullable().defaultTo('[]');
    t.string('reversed_by', 64);
    t.text('note');
    t.string('decided_by', 64);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['state', 'booking_date']);
    t.index(['account', 'end_to_end_id']);
  });

  await knex.schema.createTable('bank_allocations', (t) => {
    // Also the id of the journey update that applies it: sent again, it is never applied twice.
    t.string('id', 64).primary();
    t.string('line_id', 64).notNullable().references('id').inTable('bank_lines');
    t.string('invoice_id', 64).notNullable().references('id').inTable('invoices');
    t.string('journey_id', 64).notNullable();
    t.decimal('amount', 18, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.string('rule', 32).notNullable(); // creditor_reference | invoice_number | counterparty_iban | manual
    t.string('actor_id', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('applied_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    t.text('last_error');
    t.index(['line_id']);
    t.index(['invoice_id']);
  });

  await knex.schema.createTable('customer_bank_accounts', (t) => {
    t.string('iban', 34).notNullable();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.timestamp('learned_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['iban', 'account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['customer_bank_accounts', 'bank_allocations', 'bank_lines', 'bank_imports']) await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('payment_reference');
  });
}
