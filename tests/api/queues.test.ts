// The work queues on the real stack: journeys walked through the API land in the queue of the role
// that must act, scoped like the journey list, each with why it waits in business terms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyAwaitingPayment } from './cashJourneys';
import { insertJourney, hoursAgo } from './fixtures';
import { createHarness, eventually, journeyAtOpportunity, settledIn, type Harness, type Persona } from './harness';

interface WaitReason {
  kind: string;
  text: string;
  next: string | null;
  nextAt: string | null;
}
interface QueueItem {
  journeyId: string;
  stage: string;
  waitReason: WaitReason;
  order: {
    number: string;
    lines: { sku: string; quantity: number }[];
    picked: boolean;
    packed: boolean;
    shortages: { sku: string; quantity: number; purchaseOrder: string }[];
  } | null;
  invoice: { number: string; daysOverdue: number; amountDue: { amount: string }; lastReminder: { level: number } | null } | null;
}

const DAY = 86_400_000;
let h: Harness;
// The API's clock, moved forward to see invoices fall due; the worker keeps real time.
let shiftMs = 0;
beforeAll(async () => {
  h = await createHarness({ worker: true, now: () => new Date(Date.now() + shiftMs) });
});
afterAll(async () => {
  await h.close();
});

async function queue(as: Persona, name: string, query = ''): Promise<QueueItem[]> {
  const response = await h.call(as, 'GET', `/v1/queues/${name}${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: QueueItem[] }>().items;
}

async function inFulfilment(sku: string, quantity: number): Promise<string> {
  const id = await journeyAtOpportunity(h);
  expect([200, 202]).toContain(
    (await h.call('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: [{ sku, quantity }] } })).statusCode,
  );
  await settledIn(h, id, ['quote_sent']);
  expect([200, 202]).toContain((await h.call('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'ACCEPT' })).statusCode);
  await settledIn(h, id, ['ordering']);
  expect([200, 202]).toContain((await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' })).statusCode);
  await settledIn(h, id, ['fulfilment']);
  return id;
}

let products = 0;
async function product(onHand: number): Promise<string> {
  const sku = `TST-Q-${Date.now().toString(36)}-${products++}`;
  await h.deps.db('products').insert({ sku, name: `Queue part ${sku}`, category: 'test', supplier: 'Test Supplies' });
  await h.deps.db('price_book').insert({ sku, currency: 'EUR', unit_price: '10.00' });
  await h.deps.db('stock').insert({ sku, on_hand: onHand });
  return sku;
}

describe('approvals', () => {
  it("lists a quote over the discount limit for the author's manager, with the policy in business terms", async () => {
    const id = await journeyAtOpportunity(h);
    await h.call('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1, discountPct: 25 }] } });
    await settledIn(h, id, ['quoting']);
    const quote = (await h.deps.db('quotes').where({ journey_id: id }).first('number')) as { number: string };

    const item = await eventually(async () => {
      const found = (await queue('manager', 'approvals')).find((i) => i.journeyId === id);
      expect(found).toBeDefined();
      return found as QueueItem;
    });
    expect(item.waitReason.kind).toBe('approval');
    expect(item.waitReason.text).toContain(`25% discount > 15% limit on quote ${quote.number}`);
    expect(item.waitReason.nextAt).not.toBeNull();
    // The journey page says the same.
    const detail = (await h.call('rep', 'GET', `/v1/journeys/${id}`)).json<{ waitReason: WaitReason }>();
    expect(detail.waitReason.text).toBe(item.waitReason.text);
    // A manager without that rep among their reports does not see it; a rep has no approvals queue.
    expect((await queue('otherManager', 'approvals')).map((i) => i.journeyId)).not.toContain(id);
    expect((await h.call('rep', 'GET', '/v1/queues/approvals')).statusCode).toBe(403);
    const counts = (await h.call('manager', 'GET', '/v1/queues')).json<{ items: { queue: string; count: number }[] }>().items;
    expect(counts.map((c) => c.queue)).toEqual(['approvals', 'mine', 'team']);
    expect(counts.find((c) => c.queue === 'approvals')?.count).toBeGreaterThanOrEqual(1);
  });

  it('leaves out a quote the manager wrote, which another manager must approve', async () => {
    const id = await journeyAtOpportunity(h);
    await h.call('manager', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1, discountPct: 30 }] } });
    await settledIn(h, id, ['quoting']);
    await eventually(async () => expect((await queue('admin', 'approvals')).map((i) => i.journeyId)).toContain(id));
    expect((await queue('manager', 'approvals')).map((i) => i.journeyId)).not.toContain(id);
  });
});

describe('mine', () => {
  it("lists a rep's own journey waiting on them, and no other rep's", async () => {
    const id = await journeyAtOpportunity(h);
    const mine = await eventually(async () => {
      const found = (await queue('rep', 'mine')).find((i) => i.journeyId === id);
      expect(found).toBeDefined();
      return found as QueueItem;
    });
    expect(mine.waitReason).toMatchObject({ kind: 'confirmation' });
    expect(mine.waitReason.text).toContain('the sales rep');
    expect((await queue('otherRep', 'mine')).map((i) => i.journeyId)).not.toContain(id);
    expect((await h.call('warehouse', 'GET', '/v1/queues/mine')).statusCode).toBe(403);
  });
});

describe('warehouse', () => {
  it('lists orders to ship with their lines, picked and packed state, and each shortage with its purchase order', async () => {
    const shortSku = await product(0);
    const short = await inFulfilment(shortSku, 5);
    const po = await eventually(async () => {
      const row = (await h.deps
        .db('purchase_orders as po')
        .join('sales_orders as o', 'o.id', 'po.order_id')
        .where('o.journey_id', short)
        .first('po.number', 'po.quantity')) as { number: string; quantity: number } | undefined;
      expect(row).toBeDefined();
      return row as { number: string; quantity: number };
    });
    const stocked = await inFulfilment(await product(10), 2);
    expect([200, 202]).toContain((await h.call('warehouse', 'POST', `/v1/journeys/${stocked}/events`, { type: 'PICKED' })).statusCode);

    await eventually(async () => {
      const items = await queue('warehouse', 'warehouse');
      const waiting = items.find((i) => i.journeyId === short);
      expect(waiting?.order?.lines).toEqual([expect.objectContaining({ sku: shortSku, quantity: 5 })]);
      expect(waiting?.order?.shortages).toEqual([{ sku: shortSku, quantity: po.quantity, purchaseOrder: po.number }]);
      expect(waiting?.waitReason.kind).toBe('shortage');
      expect(waiting?.waitReason.text).toBe(`${po.quantity} × ${shortSku} short, ${po.number} raised`);
      const picked = items.find((i) => i.journeyId === stocked);
      expect(picked?.order).toMatchObject({ picked: true, packed: false, shortages: [] });
    });
    expect((await h.call('finance', 'GET', '/v1/queues/warehouse')).statusCode).toBe(403);
  });
});

describe('invoices', () => {
  it('lists an invoice once it falls due, with days overdue, the amount and the last reminder', async () => {
    const invoice = await journeyAwaitingPayment(h);
    expect((await queue('finance', 'invoices')).map((i) => i.journeyId)).not.toContain(invoice.journey_id);
    // Due within 31 days: listed before it is due.
    const soon = (await queue('finance', 'invoices', '?dueWithinDays=31')).find((i) => i.journeyId === invoice.journey_id);
    expect(soon?.invoice?.daysOverdue).toBeLessThan(0);

    const due = (await h.deps.db('invoices').where({ id: invoice.id }).first('due_at')) as { due_at: Date };
    shiftMs = due.due_at.getTime() + 10 * DAY + 3_600_000 - Date.now();
    await h.deps.db('dunning_notices').insert({
      id: `dun-${invoice.id}`,
      invoice_id: invoice.id,
      journey_id: invoice.journey_id,
      level: 1,
      template: 'dunning-reminder',
      currency: 'EUR',
      amount_due: invoice.amount_due,
      email_id: `eml-${invoice.id}`,
      created_at: new Date(due.due_at.getTime() + 7 * DAY),
    });
    try {
      const item = (await queue('finance', 'invoices')).find((i) => i.journeyId === invoice.journey_id);
      expect(item?.invoice).toMatchObject({ number: invoice.number, daysOverdue: 10, amountDue: { amount: invoice.amount_due }, lastReminder: { level: 1 } });
      expect(item?.waitReason.text).toBe(`Invoice ${invoice.number}: ${invoice.amount_due} EUR 10 days overdue`);
      // The next dunning level of the default policy: level 2 at due + 21 days, with its fee.
      expect(item?.waitReason.next).toContain('reminder 2 with a 15.00 EUR fee');
      expect(item?.waitReason.nextAt).toBe(new Date(due.due_at.getTime() + 21 * DAY).toISOString());
    } finally {
      shiftMs = 0;
    }
    expect((await h.call('rep', 'GET', '/v1/queues/invoices')).statusCode).toBe(403);
  });
});

describe('team', () => {
  it("lists the stuck journeys of a manager's reports with the reason, and not those of others", async () => {
    // A checkpoint past its SLA (stuck), and one whose SLA is still ahead (not stuck).
    const stuck = await insertJourney(h.deps.db, { stage: 'opportunity', pendingRole: 'sales_rep', pendingSince: hoursAgo(400), slaDueAt: hoursAgo(64) });
    const fine = await insertJourney(h.deps.db, {
      stage: 'opportunity',
      pendingRole: 'sales_rep',
      pendingSince: hoursAgo(1),
      slaDueAt: new Date(Date.now() + 3_600_000),
    });
    const items = await queue('manager', 'team');
    expect(items.find((i) => i.journeyId === stuck)).toMatchObject({ stuck: { reason: 'awaiting_confirmation' } });
    expect(items.map((i) => i.journeyId)).not.toContain(fine);
    expect((await queue('otherManager', 'team')).map((i) => i.journeyId)).not.toContain(stuck);
  });
});

describe('bad parameters', () => {
  it.each([
    ['/v1/queues/everything', 'params.queue'],
    ['/v1/queues/mine?limit=0', 'querystring.limit'],
    ['/v1/queues/invoices?dueWithinDays=soon', 'querystring.dueWithinDays'],
    ['/v1/queues/mine?colour=red', 'querystring.colour'],
  ])('%s answers 400 naming %s', async (url, path) => {
    const response = await h.call('admin', 'GET', url);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { details: { issues: { path: string }[] } } }>().error.details.issues.map((i) => i.path)).toContain(path);
  });
});
