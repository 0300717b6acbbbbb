// Purchase orders received by the warehouse (DESIGN.md section 7.5): receipts, partial ones too,
// count up `received_quantity`; each receipt line is kept with who booked it. A receipt queues a
// RESTOCKED notice for every journey its stock can now serve, in the same transaction, so the
// journeys hear of it even when the API dies before sending (api/restocks.ts sends them).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('purchase_orders', (t) => {
    t.integer('received_quantity').notNullable().defaultTo(0);
    t.index(['status', 'created_at']);
  });
  await knex.raw('alter table purchase_orders add constraint purchase_orders_received check (received_quantity >= 0 and received_quantity <= quantity)');
  // Orders received before receipts existed came in whole.
  await knex('purchase_orders')
    .where({ status: 'received' })
    .update({ received_quantity: knex.ref('quantity') });

  await knex.schema.createTable('purchase_order_receipts', (t) => {
    t.string('id', 64).notNullable();
    t.string('purchase_order_id', 64).notNullable().references('id').inTable('purchase_orders');
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.integer('quantity').notNullable();
    t.string('received_by', 64).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['id', 'sku']);
    t.index(['purchase_order_id']);
    t.check('quantity > 0', [], 'purchase_order_receipts_quantity');
  });

  await knex.schema.createTable('restock_notices', (t) => {
    // Also the id of the journey update that carries RESTOCKED: sent twice, applied once.
    t.string('id', 64).primary();
    t.bigIncrements('seq', { primaryKey: false });
    t.string('journey_id', 64).notNullable();
    t.string('order_id', 64).notNullable().references('id').inTable('sales_orders');
    t.string('receipt_id', 64).notNullable();
    // The warehouse person whose receipt brought the stock: the journey's timeline names them.
    t.string('actor_id', 64).notNullable();
    t.specificType('actor_roles', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.text('last_error');
    t.index(['order_id']);
  });
  await knex.raw('create index restock_notices_unsent on restock_notices (seq) where sent_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('restock_notices');
  await knex.schema.dropTableIfExists('purchase_order_receipts');
  await knex.raw('alter table purchase_orders drop constraint purchase_orders_received');
  await knex.schema.alterTable('purchase_orders', (t) => {
    t.dropIndex(['status', 'created_at']);
    t.dropColumn('received_quantity');
  });
}
