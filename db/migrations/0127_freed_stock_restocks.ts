// Stock freed by a cancelled order serves the journeys waiting for it, as a receipt does: a
// RESTOCKED notice now comes from a receipt or from the order whose reservation was released.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('restock_notices', (t) => {
    t.string('receipt_id', 64).nullable().alter();
    t.string('freed_by_order_id', 64).references('id').inTable('sales_orders');
  });
  await knex.raw('alter table restock_notices add constraint restock_notices_source check ((receipt_id is null) <> (freed_by_order_id is null))');
}

export async function down(knex: Knex): Promise<void> {
  await knex('restock_notices').whereNull('receipt_id').delete();
  await knex.raw('alter table restock_notices drop constraint restock_notices_source');
  await knex.schema.alterTable('restock_notices', (t) => {
    t.dropColumn('freed_by_order_id');
    t.string('receipt_id', 64).notNullable().alter();
  });
}
