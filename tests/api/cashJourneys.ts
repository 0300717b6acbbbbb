// A journey walked through the API until its invoice waits for payment, for the cash suites.
import { journeyAtOpportunity, settledIn, type Harness } from './harness';

export interface InvoiceRecord {
  id: string;
  number: string;
  payment_reference: string;
  amount_due: string;
  journey_id: string;
  total: string;
}

export async function journeyAwaitingPayment(h: Harness, settleMs = 30_000): Promise<InvoiceRecord> {
  const id = await journeyAtOpportunity(h);
  const event = (as: 'rep' | 'warehouse', body: unknown) => h.call(as, 'POST', `/v1/journeys/${id}/events`, body);
  await event('rep', { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
  await settledIn(h, id, ['quote_sent'], settleMs);
  await event('rep', { type: 'ACCEPT' });
  await settledIn(h, id, ['ordering'], settleMs);
  await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
  await settledIn(h, id, ['fulfilment'], settleMs);
  for (const type of ['PICKED', 'PACKED']) await event('warehouse', { type });
  await event('warehouse', { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1Z1' } });
  await settledIn(h, id, ['awaiting_payment'], settleMs);
  return (await h.deps.db('invoices').where({ journey_id: id }).first()) as InvoiceRecord;
}
