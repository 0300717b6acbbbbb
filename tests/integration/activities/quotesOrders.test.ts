import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index';
import { countRows, createActivityTestbed, expectFailure, expectMailCount, journeyUpTo, type ActivityTestbed } from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

const lines = [
  { sku: 'HUB-1', quantity: 3, discountPct: 12.5 },
  { sku: 'SD-64', quantity: 7 },
];

describe('priceQuote', () => {
  it('prices from the price book with per-line discount and tax, rounded half-up per line', async () => {
    const j = await journeyUpTo(t.acts, 'opportunity', { lead: { country: 'DE' } });
    const call = { journeyId: j.journeyId, step: 'quoting.price.1', input: { opportunityId: j.opportunityId, lines, validity: 'P30D', author: 'usr-dach-2' } };
    const result = await t.acts.priceQuote(call);
    expect(result).toEqual({
      quoteId: expect.stringMatching(/^quo_/),
      version: 1,
      total: { amount: '443.78', currency: 'EUR' },
      maxDiscountPct: 12.5,
      validUntil: '2026-04-09T09:00:00.000Z',
      author: 'usr-dach-2',
    });
    const quote = await t.db('quotes').where({ id: result.quoteId }).first();
    expect(quote).toMatchObject({
      number: 'QUO-2026-000001',
      status: 'draft',
      tax_country: 'DE',
      list_total: '406.30',
      discount_total: '33.38',
      net_total: '372.92',
      tax_total: '70.86',
      total: '443.78',
      author_id: 'usr-dach-2',
    });
    const quoteLines = await t.db('quote_lines').where({ quote_id: result.quoteId }).orderBy('line_no');
    // 3 × 89.00 = 267.00; 12.5 % = 33.375 → 33.38; net 233.62; 19 % = 44.3878 → 44.39
    expect(quoteLines[0]).toMatchObject({
      sku: 'HUB-1',
      unit_price: '89.00',
      discount_pct: '12.5000',
      list_amount: '267.00',
      discount_amount: '33.38',
      net_amount: '233.62',
      tax_rate_pct: '19.0000',
      tax_amount: '44.39',
      total: '278.01',
    });
    expect(quoteLines[1]).toMatchObject({ sku: 'SD-64', list_amount: '139.30', discount_amount: '0.00', tax_amount: '26.47', total: '165.77' });

    expect(await t.acts.priceQuote(call)).toEqual(result);
    expect(await countRows(t.db, 'quotes', { opportunity_id: j.opportunityId })).toBe(1);
  });

  it('makes a new version on each new step and supersedes the old one', async () => {
    const j = await journeyUpTo(t.acts, 'quote');
    const v2 = await t.acts.priceQuote({
      journeyId: j.journeyId,
      step: 'quoting.price.2',
      input: { opportunityId: j.opportunityId, lines: [{ sku: 'HUB-1', quantity: 1 }], validity: 'P14D', author: 'usr-dach-1' },
    });
    expect(v2.version).toBe(2);
    const [v1Row, v2Row] = await t.db('quotes').where({ opportunity_id: j.opportunityId }).orderBy('version');
    expect(v1Row.status).toBe('superseded');
    expect(v2Row.status).toBe('draft');
    expect(v2Row.number).toBe(v1Row.number);
  });

  it('taxes by the account country', async () => {
    const fr = await journeyUpTo(t.acts, 'quote', { lead: { country: 'FR' }, lines: [{ sku: 'CAM-200', quantity: 1 }] });
    expect(await t.db('quotes').where({ id: fr.quoteId }).first()).toMatchObject({
      tax_country: 'FR',
      net_total: '199.00',
      tax_total: '39.80',
      total: '238.80',
    });
    const us = await journeyUpTo(t.acts, 'quote', { lead: { country: 'US' }, lines: [{ sku: 'CAM-200', quantity: 1 }] });
    expect(await t.db('quotes').where({ id: us.quoteId }).first()).toMatchObject({ tax_country: 'US', tax_total: '0.00', total: '199.00' });
  });

  it('refuses unknown products, missing prices or tax rates, unknown opportunities and bad input', async () => {
    const j = await journeyUpTo(t.acts, 'opportunity');
    const input = { opportunityId: j.opportunityId, lines: [{ sku: 'NOPE-1', quantity: 1 }], validity: 'P30D', author: 'usr-dach-1' };
    const unknown = await expectFailure(t.acts.priceQuote({ journeyId: j.journeyId, step: 'p1', input }), 'UnknownSku');
    expect(unknown.details).toEqual([{ skus: ['NOPE-1'] }]);
    await expectFailure(
      t.acts.priceQuote({ journeyId: j.journeyId, step: 'p2', input: { ...input, opportunityId: 'opp_nope', lines: [{ sku: 'HUB-1', quantity: 1 }] } }),
      'NotFound',
    );
    await expectFailure(t.acts.priceQuote({ journeyId: j.journeyId, step: 'p3', input: { ...input, lines: [] } }), 'InvalidInput');
    await expectFailure(
      t.acts.priceQuote({ journeyId: j.journeyId, step: 'p4', input: { ...input, lines: [{ sku: 'HUB-1', quantity: 1 }], validity: '30 days' } }),
      'InvalidInput',
    );
    await expectFailure(
      t.acts.priceQuote({ journeyId: j.journeyId, step: 'p5', input: { ...input, lines: [{ sku: 'HUB-1', quantity: 1, discountPct: 120 }] } }),
      'InvalidInput',
    );

    const zz = await journeyUpTo(t.acts, 'opportunity', { lead: { country: 'ZZ' } });
    await expectFailure(
      t.acts.priceQuote({ journeyId: zz.journeyId, step: 'p', input: { ...input, opportunityId: zz.opportunityId, lines: [{ sku: 'HUB-1', quantity: 1 }] } }),
      'TaxRateNotFound',
    );
    await t.db('accounts').where({ id: zz.accountId }).update({ currency: 'USD', country: 'US' });
    await expectFailure(
      t.acts.priceQuote({ journeyId: zz.journeyId, step: 'p2', input: { ...input, opportunityId: zz.opportunityId, lines: [{ sku: 'HUB-1', quantity: 1 }] } }),
      'PriceNotFound',
    );
    expect(await countRows(t.db, 'quotes', { opportunity_id: zz.opportunityId })).toBe(0);
  });
});

describe('sendQuote', () => {
  it('emails the quote once and marks it sent', async () => {
    const j = await journeyUpTo(t.acts, 'quote', { lines });
    const first = await t.acts.sendQuote({ journeyId: j.journeyId, step: 'quote_sent.email', input: { quoteId: j.quoteId! } });
    expect(await t.acts.sendQuote({ journeyId: j.journeyId, step: 'quote_sent.email', input: { quoteId: j.quoteId! } })).toEqual(first);
    const [mail] = await expectMailCount(j.email, 1);
    expect(mail!.subject).toMatch(/^Your quotation QUO-2026-\d{6} v1$/);
    expect(mail!.raw).toContain('443.78 EUR');
    expect(mail!.messageId).toBe((await t.db('email_outbox').where({ id: first.emailId }).first()).message_id);
    expect(await t.db('quotes').where({ id: j.quoteId }).first()).toMatchObject({ status: 'sent' });
  });

  it('refuses an old version and unknown quotes', async () => {
    const j = await journeyUpTo(t.acts, 'quote');
    await t.acts.priceQuote({
      journeyId: j.journeyId,
      step: 'quoting.price.2',
      input: { opportunityId: j.opportunityId, lines: [{ sku: 'HUB-1', quantity: 4 }], validity: 'P30D', author: 'usr-dach-1' },
    });
    await expectFailure(t.acts.sendQuote({ journeyId: j.journeyId, step: 's', input: { quoteId: j.quoteId! } }), 'QuoteSuperseded');
    await expectFailure(t.acts.sendQuote({ journeyId: j.journeyId, step: 's2', input: { quoteId: 'quo_nope' } }), 'NotFound');
    await expectFailure(t.acts.sendQuote({ journeyId: j.journeyId, step: 's3', input: { quoteId: 42 } as never }), 'InvalidInput');
    await expectMailCount(j.email, 0);
  });
});

describe('createOrder', () => {
  it('carries every field and line of the accepted quote over', async () => {
    const j = await journeyUpTo(t.acts, 'quote', { lines });
    const call = { journeyId: j.journeyId, step: 'ordering.order', input: { quoteId: j.quoteId! } };
    const order = await t.acts.createOrder(call);
    expect(order).toEqual({
      orderId: expect.stringMatching(/^ord_/),
      number: expect.stringMatching(/^SO-2026-\d{6}$/),
      total: { amount: '443.78', currency: 'EUR' },
    });
    expect(await t.acts.createOrder(call)).toEqual(order);
    // Another step for the same quote is the same order.
    expect(await t.acts.createOrder({ ...call, step: 'ordering.order.again' })).toEqual(order);
    expect(await countRows(t.db, 'sales_orders', { quote_id: j.quoteId })).toBe(1);

    const quote = await t.db('quotes').where({ id: j.quoteId }).first();
    const row = await t.db('sales_orders').where({ id: order.orderId }).first();
    for (const field of [
      'account_id',
      'contact_id',
      'opportunity_id',
      'author_id',
      'tax_country',
      'currency',
      'list_total',
      'discount_total',
      'net_total',
      'tax_total',
      'total',
      'max_discount_pct',
      'number',
    ]) {
      const orderField = field === 'number' ? 'quote_number' : field;
      expect(row[orderField], field).toEqual(quote[field]);
    }
    expect(row).toMatchObject({ quote_version: 1, owner_id: expect.any(String), status: 'open' });
    expect(new Date(row.quote_valid_until).getTime()).toBe(new Date(quote.valid_until).getTime());
    const strip = (l: Record<string, unknown>) => {
      const { quote_id: _q, order_id: _o, ...rest } = l;
      return rest;
    };
    expect((await t.db('sales_order_lines').where({ order_id: order.orderId }).orderBy('line_no')).map(strip)).toEqual(
      (await t.db('quote_lines').where({ quote_id: j.quoteId }).orderBy('line_no')).map(strip),
    );
    expect((await t.db('quotes').where({ id: j.quoteId }).first()).status).toBe('accepted');
    expect((await t.db('opportunities').where({ id: j.opportunityId }).first()).status).toBe('won');
  });

  it('refuses an expired or superseded quote', async () => {
    const j = await journeyUpTo(t.acts, 'quote');
    const later = createActivities({ db: t.db, mailer: t.mailer, now: () => new Date('2026-05-01T00:00:00Z') });
    await expectFailure(later.createOrder({ journeyId: j.journeyId, step: 'o', input: { quoteId: j.quoteId! } }), 'QuoteExpired');
    await t.acts.priceQuote({
      journeyId: j.journeyId,
      step: 'quoting.price.2',
      input: { opportunityId: j.opportunityId, lines: [{ sku: 'HUB-1', quantity: 4 }], validity: 'P30D', author: 'usr-dach-1' },
    });
    await expectFailure(t.acts.createOrder({ journeyId: j.journeyId, step: 'o2', input: { quoteId: j.quoteId! } }), 'QuoteSuperseded');
    await expectFailure(t.acts.createOrder({ journeyId: j.journeyId, step: 'o3', input: { quoteId: 'quo_nope' } }), 'NotFound');
    await expectFailure(t.acts.createOrder({ journeyId: j.journeyId, step: 'o4', input: {} as never }), 'InvalidInput');
  });
});

describe('checkCredit', () => {
  it('approves within the credit limit and holds above it', async () => {
    const small = await journeyUpTo(t.acts, 'order', { lead: { email: `buyer.${Date.now()}@globex.example`, company: 'Globex', country: undefined } });
    const approved = await t.acts.checkCredit({ journeyId: small.journeyId, step: 'credit', input: { orderId: small.orderId! } });
    expect(approved).toEqual({ approved: true, exposure: { amount: '213.60', currency: 'EUR' }, limit: { amount: '20000.00', currency: 'EUR' } });
    expect(await t.acts.checkCredit({ journeyId: small.journeyId, step: 'credit', input: { orderId: small.orderId! } })).toEqual(approved);

    const big = await journeyUpTo(t.acts, 'order', {
      lead: { email: `boss.${Date.now()}@globex.example`, company: 'Globex', country: undefined },
      lines: [{ sku: 'HUB-1', quantity: 200 }],
    });
    const held = await t.acts.checkCredit({ journeyId: big.journeyId, step: 'credit', input: { orderId: big.orderId! } });
    // Both open orders of the account count: 213.60 + 200 × 89.00 × 1.20 (FR VAT, country from the profile)
    expect(held).toEqual({ approved: false, exposure: { amount: '21573.60', currency: 'EUR' }, limit: { amount: '20000.00', currency: 'EUR' } });
    expect((await t.db('sales_orders').where({ id: big.orderId }).first()).credit_status).toBe('hold');
  });

  it('approves accounts without a limit; refuses unknown orders', async () => {
    const j = await journeyUpTo(t.acts, 'order');
    expect(await t.acts.checkCredit({ journeyId: j.journeyId, step: 'credit', input: { orderId: j.orderId! } })).toMatchObject({ approved: true, limit: null });
    await expectFailure(t.acts.checkCredit({ journeyId: j.journeyId, step: 'c2', input: { orderId: 'ord_nope' } }), 'NotFound');
    await expectFailure(t.acts.checkCredit({ journeyId: j.journeyId, step: 'c3', input: { order: 'x' } as never }), 'InvalidInput');
  });
});

describe('recommendAccessories', () => {
  it('suggests accessories not on the order and in-stock substitutes for short lines', async () => {
    const j = await journeyUpTo(t.acts, 'order', {
      lines: [
        { sku: 'CAM-100', quantity: 10 },
        { sku: 'SD-64', quantity: 10 },
      ],
    });
    const result = await t.acts.recommendAccessories({ journeyId: j.journeyId, step: 'recommend', input: { orderId: j.orderId! } });
    expect(result.suggestions).toEqual([
      { sku: 'MNT-10', reason: 'accessory', forSku: 'CAM-100' },
      { sku: 'CAM-200', reason: 'substitute', forSku: 'CAM-100' },
    ]);
    const hub = await journeyUpTo(t.acts, 'order', {
      lines: [
        { sku: 'HUB-1', quantity: 1 },
        { sku: 'PSU-12', quantity: 1 },
      ],
    });
    expect((await t.acts.recommendAccessories({ journeyId: hub.journeyId, step: 'recommend', input: { orderId: hub.orderId! } })).suggestions).toEqual([
      { sku: 'SEN-5', reason: 'accessory', forSku: 'HUB-1' },
    ]);
    await expectFailure(t.acts.recommendAccessories({ journeyId: j.journeyId, step: 'r2', input: { orderId: 'ord_nope' } }), 'NotFound');
    await expectFailure(t.acts.recommendAccessories({ journeyId: j.journeyId, step: 'r3', input: null as never }), 'InvalidInput');
  });
});
