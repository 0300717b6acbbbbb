// Billing and shipping addresses on the account, and the snapshots documents keep of them: the
// order's ship-to (taken when the order was confirmed), each shipment's, and the invoice's bill-to,
// so a later change of the account's address never rewrites what was shipped or invoiced.
// Kept whole as JSON ({line1, line2?, postalCode, city, region?, country}, machines/address.ts).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.jsonb('billing_address');
    t.jsonb('shipping_address');
  });
  await knex.schema.alterTable('sales_orders', (t) => t.jsonb('ship_to'));
  await knex.schema.alterTable('shipments', (t) => t.jsonb('ship_to'));
  await knex.schema.alterTable('invoices', (t) => t.jsonb('bill_to'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => t.dropColumn('bill_to'));
  await knex.schema.alterTable('shipments', (t) => t.dropColumn('ship_to'));
  await knex.schema.alterTable('sales_orders', (t) => t.dropColumn('ship_to'));
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('billing_address');
    t.dropColumn('shipping_address');
  });
}
