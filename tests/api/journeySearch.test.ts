// The journey list's search finds a journey by its documents: order number, invoice number, the
// invoice's RF reference (as printed, in groups of four) and the reference a payment carried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedReference } from '../../db/creditorReference';
import { journeyAwaitingPayment, type InvoiceRecord } from './cashJourneys';
import { createHarness, eventually, journeyAtOpportunity, type Harness, type Persona } from './harness';

describe('searching journeys by their documents', () => {
  let h: Harness;
  let invoice: InvoiceRecord;
  let orderNumber: string;
  let other: string;

  beforeAll(async () => {
    h = await createHarness({ worker: true });
    invoice = await journeyAwaitingPayment(h);
    other = await journeyAtOpportunity(h);
    orderNumber = ((await h.deps.db('sales_orders').where({ journey_id: invoice.journey_id }).first('number')) as { number: string }).number;
    const paid = await h.call('finance', 'POST', `/v1/journeys/${invoice.journey_id}/events`, {
      type: 'PAYMENT_RECEIVED',
      data: { amount: '1.00', currency: 'EUR', reference: 'WIRE-77881 Acme' },
    });
    expect(paid.statusCode, paid.body).toBeLessThan(300);
    await eventually(async () => expect(await h.deps.db('payments').where({ journey_id: invoice.journey_id }).first()).toBeTruthy());
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  const found = async (q: string, as: Persona = 'admin') => {
    const response = await h.call(as, 'GET', `/v1/journeys?q=${encodeURIComponent(q)}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { id: string }[] }>().items.map((j) => j.id);
  };

  it('finds the journey by order number, invoice number and payment references, and no other', async () => {
    expect(orderNumber).toMatch(/\d/);
    expect(await found(orderNumber)).toEqual([invoice.journey_id]);
    expect(await found(invoice.number)).toEqual([invoice.journey_id]);
    expect(await found(invoice.number.toLowerCase())).toEqual([invoice.journey_id]);
    expect(await found(invoice.payment_reference)).toEqual([invoice.journey_id]);
    expect(await found(printedReference(invoice.payment_reference))).toEqual([invoice.journey_id]);
    expect(await found('wire-77881')).toEqual([invoice.journey_id]);
    expect(await found('WIRE-99999')).toEqual([]);
    expect(await found(`INV-${'9'.repeat(12)}`)).not.toContain(other);
  });

  it("keeps the caller's scope: a rep of another team finds nothing by the invoice number", async () => {
    expect(await found(invoice.number, 'rep')).toEqual([invoice.journey_id]);
    expect(await found(invoice.number, 'otherRep')).toEqual([]);
  });

  it('treats LIKE wildcards as text', async () => {
    expect(await found('%')).toEqual([]);
    expect(await found('INV_')).toEqual([]);
  });
});
