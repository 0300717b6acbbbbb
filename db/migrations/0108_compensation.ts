// Compensation and safe errors: an abandoned journey's invoice is written off with the amount kept for the ledger;
// orders may be `cancelled`, reservations `released`, purchase orders `cancelled` (status strings).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.decimal('written_off_amount', 18, 2).notNullable().defaultTo(0);
    t.timestamp('written_off_at', { useTz: true });
  });
  await knex.schema.alterTable('sales_orders', (t) => {
    t.timestamp('cancelled_at', { useTz: true });
  });
  // A parked journey's failure type: readers see a safe code and message, admin and ops the raw cause.
  await knex.schema.alterTable('journeys', (t) => {
    t.string('last_error_type', 64);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('journeys', (t) => t.dropColumn('last_error_type'));
  await knex.schema.alterTable('sales_orders', (t) => t.dropColumn('cancelled_at'));
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('written_off_at');
    t.dropColumn('written_off_amount');
  });
}
