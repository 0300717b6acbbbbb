// Numbers that agree: the quote, the order and the invoice of one journey show the same net, tax
// per VAT rate and gross, each adding up to the document's total; and the journey names the
// currency and rate a new quote is priced with, so an estimate made before pricing matches too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, journeyAtOpportunity, settledIn, type Harness } from './harness';

interface Money {
  amount: string;
  currency: string;
}
interface Totals {
  net: Money;
  taxes: { ratePct: string; net: Money; tax: Money }[];
  gross: Money;
}
interface Detail {
  pricing: { currency: string; taxCountry: string; taxRatePct: string | null } | null;
  documents: {
    quotes: { total: Money; totals: Totals; lines: { net: Money; taxRatePct: string; total: Money }[] }[];
    order: { total: Money; totals: Totals } | null;
    invoices: { total: Money; totals: Totals }[];
  };
}

/** Cents of a decimal string with two places. */
const cents = (amount: string) => Math.round(Number(amount) * 100);
const LINES = [
  { sku: 'HUB-1', quantity: 3 },
  { sku: 'CAM-200', quantity: 7, discountPct: 12.5 },
];

describe('document totals', () => {
  let h: Harness;
  let journeyId: string;
  let detail: Detail;

  beforeAll(async () => {
    h = await createHarness({ worker: true });
    journeyId = await journeyAtOpportunity(h);
    const before = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json<Detail>();
    expect(before.pricing).toEqual({ currency: 'EUR', taxCountry: 'DE', taxRatePct: '19' });
    const event = (as: 'rep' | 'warehouse', body: unknown) => h.call(as, 'POST', `/v1/journeys/${journeyId}/events`, body);
    await event('rep', { type: 'PROPOSE', data: { lines: LINES } });
    await settledIn(h, journeyId, ['quote_sent']);
    await event('rep', { type: 'ACCEPT' });
    await settledIn(h, journeyId, ['ordering']);
    await h.call('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(h, journeyId, ['fulfilment']);
    for (const type of ['PICKED', 'PACKED']) await event('warehouse', { type });
    await event('warehouse', { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1Z1' } });
    await settledIn(h, journeyId, ['awaiting_payment']);
    detail = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json<Detail>();
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  it('prices the quote as an estimate from the price book would: net per line, 19 % VAT on it, rounded per line', async () => {
    const prices = (await h.deps.db('price_book').whereIn('sku', ['HUB-1', 'CAM-200']).where({ currency: 'EUR' })) as { sku: string; unit_price: string }[];
    const unit = (sku: string) => cents(prices.find((p) => p.sku === sku)?.unit_price ?? 'NaN');
    // Half-up rounding to the cent, per line, done here independently of the server's code.
    const nets = LINES.map((l) => {
      const list = unit(l.sku) * l.quantity;
      return list - Math.round((list * (l.discountPct ?? 0)) / 100);
    });
    const taxes = nets.map((n) => Math.round((n * 19) / 100));
    const net = nets.reduce((a, b) => a + b, 0);
    const tax = taxes.reduce((a, b) => a + b, 0);
    const [quote] = detail.documents.quotes;
    expect(quote?.lines.map((l) => cents(l.net.amount))).toEqual(nets);
    expect(quote?.lines.map((l) => l.taxRatePct)).toEqual(['19', '19']);
    expect(cents(quote?.totals.net.amount ?? '')).toBe(net);
    expect(quote?.totals.taxes.map((t) => [t.ratePct, cents(t.net.amount), cents(t.tax.amount)])).toEqual([['19', net, tax]]);
    expect(cents(quote?.totals.gross.amount ?? '')).toBe(net + tax);
    expect(quote?.totals.gross).toEqual(quote?.total);
  });

  it('shows the same net, tax per rate and gross on the quote, the order and the invoice', () => {
    const [quote] = detail.documents.quotes;
    const [invoice] = detail.documents.invoices;
    expect(detail.documents.order?.totals).toEqual(quote?.totals);
    expect(invoice?.totals).toEqual(quote?.totals);
    expect(detail.documents.order?.total).toEqual(quote?.totals.gross);
    expect(invoice?.total).toEqual(quote?.totals.gross);
  });
});
