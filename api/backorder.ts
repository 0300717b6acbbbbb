// A journey's backorder: what its open order still misses (ordered, less what is reserved or
// shipped), with the purchase orders raised for it. Empty once the order is served or closed.
import { z } from 'zod';
import type { Db } from '../db/connection';

export const backorderSchema = z
  .array(
    z.strictObject({
      sku: z.string(),
      name: z.string(),
      short: z.number().int().describe('ordered but neither reserved nor shipped yet'),
      purchaseOrders: z.array(
        z.strictObject({ id: z.string(), number: z.string(), status: z.string(), ordered: z.number().int(), received: z.number().int() }),
      ),
    }),
  )
  .describe("what the journey's order waits for, and the purchase orders raised for it; empty when nothing is short");

export async function backorderOf(db: Db, journeyId: string): Promise<z.infer<typeof backorderSchema>> {
  const order = (await db('sales_orders').where({ journey_id: journeyId, status: 'open' }).orderBy('created_at', 'desc').first('id')) as
    { id: string } | undefined;
  if (!order) return [];
  const [lines, reserved, purchaseOrders] = await Promise.all([
    db('sales_order_lines')
      .where({ order_id: order.id })
      .groupBy('sku')
      .select('sku', db.raw('min(name) as name'), db.raw('sum(quantity)::int as quantity')) as Promise<{ sku: string; name: string; quantity: number }[]>,
    db('reservations')
      .where({ order_id: order.id })
      .whereIn('status', ['reserved', 'shipped'])
      .groupBy('sku')
      .select('sku', db.raw('sum(quantity)::int as quantity')) as Promise<{ sku: string; quantity: number }[]>,
    db('purchase_orders')
      .where({ order_id: order.id })
      .orderBy('created_at')
      .select('id', 'number', 'status', 'sku', 'quantity', 'received_quantity') as Promise<
      { id: string; number: string; status: string; sku: string; quantity: number; received_quantity: number }[]
    >,
  ]);
  return lines.flatMap((line) => {
    const short = line.quantity - (reserved.find((r) => r.sku === line.sku)?.quantity ?? 0);
    if (short <= 0) return [];
    const raised = purchaseOrders.filter((po) => po.sku === line.sku);
    return [
      {
        sku: line.sku,
        name: line.name,
        short,
        purchaseOrders: raised.map((po) => ({ id: po.id, number: po.number, status: po.status, ordered: po.quantity, received: po.received_quantity })),
      },
    ];
  });
}
