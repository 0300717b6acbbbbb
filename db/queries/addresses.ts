// An account's billing and shipping addresses, and the copies documents keep: the order's ship-to
// when it is confirmed, each shipment's, the invoice's bill-to when it is issued. A copy is taken
// once (only where none is kept yet), so a retry or a later address change never rewrites it.
import type { Knex } from 'knex';
import type { Address } from '../../machines/schema/address';

interface AccountAddresses {
  billing: Address | null;
  shipping: Address | null;
}

export async function accountAddresses(db: Knex, accountId: string): Promise<AccountAddresses | undefined> {
  const row = (await db('accounts').where({ id: accountId }).first('billing_address', 'shipping_address')) as
    { billing_address: Address | null; shipping_address: Address | null } | undefined;
  return row && { billing: row.billing_address, shipping: row.shipping_address };
}

/** Sets the addresses named (null clears one); the others stay. */
export async function setAccountAddresses(
  db: Knex,
  accountId: string,
  change: { billing?: Address | null | undefined; shipping?: Address | null | undefined },
): Promise<void> {
  const patch: Record<string, string | null> = {};
  if (change.billing !== undefined) patch.billing_address = change.billing && JSON.stringify(change.billing);
  if (change.shipping !== undefined) patch.shipping_address = change.shipping && JSON.stringify(change.shipping);
  if (Object.keys(patch).length > 0) await db('accounts').where({ id: accountId }).update(patch);
}

/** The order's ship-to: the account's shipping address, else its billing address (goods go where the buyer is). */
export async function keepShipTo(db: Knex, orderId: string): Promise<void> {
  await db.raw(
    `update sales_orders o set ship_to = coalesce(a.shipping_address, a.billing_address)
       from accounts a where o.id = ? and a.id = o.account_id and o.ship_to is null`,
    [orderId],
  );
}

/** The shipment goes to the order's ship-to. */
export async function keepShipmentShipTo(db: Knex, shipmentId: string): Promise<void> {
  await db.raw(
    `update shipments s set ship_to = o.ship_to
       from sales_orders o where s.id = ? and o.id = s.order_id and s.ship_to is null`,
    [shipmentId],
  );
}

/** The invoice names the buyer's billing address as it was when the invoice was issued. */
export async function keepBillTo(db: Knex, invoiceId: string): Promise<void> {
  await db.raw(
    `update invoices i set bill_to = a.billing_address
       from accounts a where i.id = ? and a.id = i.account_id and i.bill_to is null`,
    [invoiceId],
  );
}
