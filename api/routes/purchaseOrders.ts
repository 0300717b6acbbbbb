// The warehouse's purchase orders (DESIGN.md section 7.5): the list with what is still outstanding
// and the order waiting on each, and receipts. A receipt raises stock and sends RESTOCKED to the
// journeys its stock can serve, oldest order first (api/receipts.ts, api/restocks.ts).
import { z } from 'zod';
import { listPurchaseOrders, PURCHASE_ORDER_STATUSES, type PurchaseOrderListRow } from '../../db/queries/purchaseOrders';
import { pendingRestocks } from '../../db/queries/restocks';
import { number, numberBounds, text, textBounds } from '../../machines/schema/bounds';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { receiptIdOf } from '../idempotency';
import { receivePurchaseOrder } from '../receipts';
import { sendRestocksSoon } from '../restocks';
import { errors, idSchema, iso, timestamp, type App } from '../schemas';

const READERS = ['warehouse', 'finance', 'admin'] as const;
const RECEIVERS = ['warehouse', 'admin'] as const;

const purchaseOrderSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(PURCHASE_ORDER_STATUSES).describe('open until every line is received in full; cancelled when the journey it was raised for ended'),
  supplier: z.string().nullable(),
  lines: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      ordered: z.number().int(),
      received: z.number().int().describe('received so far, over every receipt'),
      outstanding: z.number().int(),
    }),
  ),
  raisedFor: z
    .object({ orderId: z.string(), orderNumber: z.string(), journeyId: z.string() })
    .nullable()
    .describe('the sales order short of these goods, whose journey waits for them'),
  createdAt: timestamp,
  receivedAt: timestamp.nullable().describe('when the last outstanding goods arrived'),
});
type PurchaseOrderView = z.infer<typeof purchaseOrderSchema>;

const receiptLine = z.strictObject({ sku: text(textBounds.sku), quantity: number(numberBounds.quantity) });
const receiptAnswer = z.object({
  receiptId: z.string(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
  purchaseOrder: purchaseOrderSchema,
  restocked: z
    .array(z.object({ journeyId: z.string(), orderId: z.string() }))
    .describe(
      'journeys this receipt can serve in full, oldest order first: RESTOCKED is sent to them in this order right after the answer (poll the journey), and again later if this process stops first',
    ),
});

function view(po: PurchaseOrderListRow): PurchaseOrderView {
  return {
    id: po.id,
    number: po.number,
    status: po.status as PurchaseOrderView['status'],
    supplier: po.supplier,
    lines: [
      {
        sku: po.sku,
        name: po.product_name,
        ordered: po.quantity,
        received: po.received_quantity,
        outstanding: Math.max(0, po.quantity - po.received_quantity),
      },
    ],
    raisedFor: po.order_id && po.order_number && po.journey_id ? { orderId: po.order_id, orderNumber: po.order_number, journeyId: po.journey_id } : null,
    createdAt: iso(po.created_at) ?? '',
    receivedAt: iso(po.received_at),
  };
}

export function purchaseOrderRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.get(
    '/v1/purchase-orders',
    {
      config: { roles: READERS },
      schema: {
        tags: ['warehouse'],
        summary: 'Purchase orders, oldest first, with what is received and outstanding per line and the order waiting on them',
        querystring: z.strictObject({
          status: z.enum(PURCHASE_ORDER_STATUSES).optional().describe('e.g. open: what the warehouse still expects'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(purchaseOrderSchema) }), ...errors(400, 403) },
      },
    },
    async (request) => {
      const { status, limit } = request.query;
      return { items: (await listPurchaseOrders(db, { ...(status ? { status } : {}), limit })).map(view) };
    },
  );

  app.post(
    '/v1/purchase-orders/:id/receipts',
    {
      config: { roles: RECEIVERS },
      schema: {
        tags: ['warehouse'],
        summary: 'Receive goods of a purchase order (partial receipts allowed): stock goes up and waiting journeys get RESTOCKED',
        description:
          'Each line names a sku on the purchase order and at most its outstanding quantity, else 422 receipt_not_allowed naming the line ' +
          '(`details.issues[].path`, e.g. body.lines.2.quantity) and `details.outstanding`. The order is `received` once nothing is outstanding. ' +
          'Stock and the receipt are written together. Then every journey whose order waits for these goods and can now be served in full gets RESTOCKED, ' +
          'oldest order first, as far as the stock reaches; an order still short keeps waiting (`restocked` lists them). The notices are stored with the receipt and ' +
          'sent right after the answer; ones not delivered then (the API stopped, Temporal unreachable) are sent again later, each applied once. 409 purchase_order_cancelled for a cancelled order.',
        params: z.strictObject({ id: idSchema }),
        body: z.strictObject({ lines: z.array(receiptLine).min(1).max(100) }),
        response: { 200: receiptAnswer.describe('this receipt was booked before: nothing changed'), 201: receiptAnswer, ...errors(400, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const received = await receivePurchaseOrder(db, request.params.id, { id: receiptIdOf(request), lines: request.body.lines }, userOf(request));
      // Also when booked before (a retry that took over a dead request's key): what it left unsent goes now.
      const queued = received.booked ? received.notices : await pendingRestocks(db, received.receiptId);
      sendRestocksSoon(deps, received.receiptId, request.log);
      const restocked = queued.map((n) => ({ journeyId: n.journey_id, orderId: n.order_id }));
      const [po] = await listPurchaseOrders(db, { ids: [request.params.id], limit: 1 });
      if (!po) throw notFound(`purchase order ${request.params.id}`);
      return reply.code(received.booked ? 201 : 200).send({ receiptId: received.receiptId, lines: received.lines, purchaseOrder: view(po), restocked });
    },
  );
}
