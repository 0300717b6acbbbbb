// Receiving a purchase order: every line is checked against what is still outstanding (422 naming
// the line), then the receipt, the stock and the RESTOCKED notices for the journeys it can serve
// are written in one transaction. A receipt id already booked changes nothing again.
import type { Db } from '../db/connection';
import { bookReceipt, lockPurchaseOrder, receiptLines, type ReceiptLine } from '../db/queries/purchaseOrders';
import { queueRestocks, type RestockNotice } from '../db/queries/restocks';
import type { PurchaseOrderRow } from '../db/queries/stock';
import type { AuthUser } from './auth';
import { ApiError, notFound } from './errors';

export interface Received {
  receiptId: string;
  lines: ReceiptLine[];
  /** false: this receipt id had been booked before, and nothing changed now. */
  booked: boolean;
  notices: RestockNotice[];
}

type Issue = { path: string; message: string };

/** What is wrong with each line, at the line's own path; empty when the receipt fits the order. */
function receiptIssues(po: Pick<PurchaseOrderRow, 'number' | 'sku' | 'quantity' | 'received_quantity'>, lines: ReceiptLine[]): Issue[] {
  let outstanding = po.quantity - po.received_quantity;
  return lines.flatMap((line, i): Issue[] => {
    if (line.sku !== po.sku) {
      return [{ path: `body.lines.${i}.sku`, message: `lines[${i}].sku: ${line.sku} is not on purchase order ${po.number}, which orders ${po.sku} only` }];
    }
    if (line.quantity > outstanding) {
      return [{ path: `body.lines.${i}.quantity`, message: `lines[${i}].quantity: at most ${outstanding} of ${po.sku} is still outstanding on ${po.number}` }];
    }
    outstanding -= line.quantity;
    return [];
  });
}

/** One line per sku, as the receipt is kept: a product counted in two lines is one quantity. */
function bySku(lines: ReceiptLine[]): ReceiptLine[] {
  const total = new Map<string, number>();
  for (const l of lines) total.set(l.sku, (total.get(l.sku) ?? 0) + l.quantity);
  return [...total].sort(([a], [b]) => a.localeCompare(b)).map(([sku, quantity]) => ({ sku, quantity }));
}

export async function receivePurchaseOrder(db: Db, purchaseOrderId: string, receipt: { id: string; lines: ReceiptLine[] }, user: AuthUser): Promise<Received> {
  return db.transaction(async (trx) => {
    const po = await lockPurchaseOrder(trx, purchaseOrderId);
    if (!po) throw notFound(`purchase order ${purchaseOrderId}`);
    const booked = await receiptLines(trx, receipt.id);
    if (booked.length > 0) return { receiptId: receipt.id, lines: booked, booked: false, notices: [] };
    if (po.status === 'cancelled')
      throw new ApiError(409, 'purchase_order_cancelled', `purchase order ${po.number} was cancelled; nothing can be received on it`);
    const issues = receiptIssues(po, receipt.lines);
    if (issues.length > 0) {
      throw new ApiError(422, 'receipt_not_allowed', issues.map((i) => i.message).join('; '), {
        issues,
        outstanding: [{ sku: po.sku, quantity: po.quantity - po.received_quantity }],
      });
    }
    const lines = bySku(receipt.lines);
    await bookReceipt(trx, po, { id: receipt.id, lines, receivedBy: user.id });
    const notices = await queueRestocks(trx, [po.sku], { receiptId: receipt.id, actor: { id: user.id, roles: user.roles } });
    return { receiptId: receipt.id, lines, booked: true, notices };
  });
}
