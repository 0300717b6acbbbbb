// Billing and shipping addresses on the real stack: captured with the lead or set on the journey,
// refused with the field named when wrong, kept by the order from its confirmation on (a later edit
// does not move a confirmed or shipped order), and printed on the invoice PDF as they were at issue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/pdfText';
import { createHarness, journeyAtOpportunity, newLead, settledIn, type Harness } from './harness';

const billing = { line1: 'Friedrichstrasse 123', line2: 'Aufgang B', postalCode: '10117', city: 'Berlin', country: 'DE' };
const shipping = { line1: 'Hafenweg 7', postalCode: '20457', city: 'Hamburg', region: 'Hamburg', country: 'DE' };
const moved = { line1: 'Rue de Rivoli 10', postalCode: '75001', city: 'Paris', country: 'FR' };

describe('customer addresses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const journey = async (id: string) => {
    const response = await h.call('rep', 'GET', `/v1/journeys/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const patch = (id: string, body: unknown) => h.call('rep', 'PATCH', `/v1/journeys/${id}/addresses`, body);
  const issuePaths = (response: { json: () => { error: { details: { issues: { path: string }[] } } } }) =>
    response.json().error.details.issues.map((i) => i.path);

  it('refuses a wrong address with 400 naming each field, at capture and on the journey', async () => {
    const atCapture = await h.call('rep', 'POST', '/v1/leads', { ...newLead(), billingAddress: { ...billing, city: ' ', country: 'Germany' } });
    expect(atCapture.statusCode).toBe(400);
    expect(issuePaths(atCapture)).toEqual(expect.arrayContaining(['body.billingAddress.city', 'body.billingAddress.country']));

    const id = await journeyAtOpportunity(h);
    const wrong = await patch(id, {
      billingAddress: { ...billing, country: 'de' },
      shippingAddress: { line1: 'Hafenweg 7', city: 'Hamburg', country: 'DE', floor: 3 },
    });
    expect(wrong.statusCode).toBe(400);
    expect(issuePaths(wrong)).toEqual(expect.arrayContaining(['body.billingAddress.country', 'body.shippingAddress.postalCode', 'body.shippingAddress.floor']));
    const tooLong = await patch(id, { billingAddress: { ...billing, postalCode: '1'.repeat(17) } });
    expect(tooLong.statusCode).toBe(400);
    expect(issuePaths(tooLong)).toEqual(['body.billingAddress.postalCode']);
    // Nothing was stored by the refusals.
    expect((await journey(id)).addresses).toMatchObject({ billing: null, shipping: null });

    expect((await h.call('warehouse', 'PATCH', `/v1/journeys/${id}/addresses`, { billingAddress: billing })).statusCode).toBe(403);
    expect((await h.call('otherRep', 'PATCH', `/v1/journeys/${id}/addresses`, { billingAddress: billing })).statusCode).toBe(404);
  });

  it('keeps the ship-to of a confirmed order and the bill-to of an issued invoice when the addresses change later', async () => {
    const id = await journeyAtOpportunity(h, newLead({ billingAddress: billing }));
    expect((await journey(id)).addresses).toMatchObject({ billing, shipping: null });
    // Completed at the opportunity.
    const set = await patch(id, { shippingAddress: shipping });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ billing, shipping });

    const event = (as: 'rep' | 'warehouse', body: unknown) => h.call(as, 'POST', `/v1/journeys/${id}/events`, body);
    await event('rep', { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
    await settledIn(h, id, ['quote_sent']);
    await event('rep', { type: 'ACCEPT' });
    await settledIn(h, id, ['ordering']);
    await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(h, id, ['fulfilment']);
    expect((await journey(id)).documents.order.shipTo).toEqual(shipping);

    // The customer moves after the order was confirmed: the order still goes where it was confirmed to.
    expect((await patch(id, { shippingAddress: moved })).statusCode).toBe(200);
    for (const type of ['PICKED', 'PACKED']) await event('warehouse', { type });
    await event('warehouse', { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1Z999' } });
    await settledIn(h, id, ['awaiting_payment']);
    const shipped = await journey(id);
    expect(shipped.addresses.shipping).toEqual(moved);
    expect(shipped.documents.order.shipTo).toEqual(shipping);
    expect(shipped.documents.shipments.map((s: { shipTo: unknown }) => s.shipTo)).toEqual([shipping]);
    const order = await h.deps.db('sales_orders').where({ journey_id: id }).first('ship_to');
    expect(order.ship_to).toEqual(shipping);

    const [invoice] = shipped.documents.invoices as { id: string; number: string; billTo: unknown }[];
    expect(invoice?.billTo).toEqual(billing);
    // A new billing address afterwards does not rewrite the issued invoice.
    expect((await patch(id, { billingAddress: moved })).statusCode).toBe(200);
    const pdf = await h.call('rep', 'GET', `/v1/documents/invoices/${invoice?.id}.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain(`Invoice ${invoice?.number}`);
    for (const line of ['Friedrichstrasse 123', 'Aufgang B', '10117 Berlin']) expect(text).toContain(line);
    expect(text).not.toContain('Rivoli');

    // null removes an address; a field left out stays.
    const cleared = await patch(id, { shippingAddress: null });
    expect(cleared.json()).toMatchObject({ billing: moved, shipping: null });
  });

  it('keeps the addresses an account already has when another lead of the company names others', async () => {
    const first = newLead({ billingAddress: billing });
    const id = await journeyAtOpportunity(h, first);
    const again = await h.call('rep', 'POST', '/v1/leads', { ...first, source: 'phone', billingAddress: moved, shippingAddress: shipping });
    expect([201, 202]).toContain(again.statusCode);
    const secondId = again.json<{ journeyId: string }>().journeyId;
    await settledIn(h, secondId, ['lead', 'qualification', 'opportunity']);
    // The same account: its billing address stays, the missing shipping address is filled.
    const addresses = (await journey(secondId)).addresses;
    expect(addresses).toMatchObject({ accountId: (await journey(id)).addresses.accountId, billing, shipping });
  });
});
