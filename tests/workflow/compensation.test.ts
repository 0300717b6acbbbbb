// The model test of compensation: every final stage, reached from every stage that can reach it,
// on the real dev server over PostgreSQL, leaves each document in the state its ending implies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/demo';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { keepHistory } from '../helpers/histories';
import { actors, confirm, eventually, send, startJourney, uniqueLead, waitForStage, type JourneyHandle } from '../helpers/journeys';
import { connectClient } from '../helpers/temporal';
import { variant, walk } from '../helpers/walk';
import { startTestWorker, type TestWorker } from '../helpers/worker';
import type { JourneyState } from '../../workflows/messages';

let t: TestDatabase;
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof connectClient>>;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  worker = await startTestWorker(t.db);
  temporal = await connectClient();
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await t?.drop();
});

// People confirm every checkpoint, so the journey can be stopped in every stage.
const model = variant((d) => {
  delete d.stages.lead!.checkpoint.auto;
  delete d.stages.qualification!.checkpoint.auto;
  d.policies.paymentTerms = 'PT1S';
  d.policies.dunning = [
    { level: 1, offset: 'PT1S', fee: null, template: 'dunning-reminder' },
    { level: 2, offset: 'PT2S', fee: null, template: 'dunning-second-notice' },
    { level: 3, offset: 'PT3S', fee: null, template: 'dunning-final-notice' },
  ];
});
// Without dunning timers that would move the journey on while the test acts in awaiting_payment.
const slowDunning = variant((d) => {
  delete d.stages.lead!.checkpoint.auto;
  delete d.stages.qualification!.checkpoint.auto;
});

type Ending = (handle: JourneyHandle, s: JourneyState) => Promise<JourneyState>;
const cancel: Ending = (h) => send(h, actors.manager, 'CANCEL');

interface Path {
  from: string;
  final: string;
  end: Ending;
  /** Walk to `from` with a short line (a reservation and a purchase order), or stop in awaiting_payment with a part payment. */
  short?: true;
  partPayment?: true;
}

const paths: Path[] = [
  { from: 'lead', final: 'disqualified', end: (h) => confirm(h, actors.rep, 'lead', 'reject') },
  { from: 'qualification', final: 'disqualified', end: (h) => send(h, actors.rep, 'DISQUALIFY') },
  { from: 'opportunity', final: 'lost', end: (h) => send(h, actors.rep, 'LOSE') },
  { from: 'quote_sent', final: 'lost', end: (h) => send(h, actors.rep, 'DECLINE') },
  ...['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment'].map((from) => ({ from, final: 'cancelled', end: cancel })),
  { from: 'fulfilment', final: 'cancelled', end: cancel, short: true },
  { from: 'awaiting_payment', final: 'written_off', end: (h) => send(h, actors.finance, 'WRITE_OFF'), partPayment: true },
  { from: 'collections', final: 'written_off', end: (h) => send(h, actors.finance, 'WRITE_OFF') },
  { from: 'awaiting_payment', final: 'closed', end: (h, s) => send(h, actors.finance, 'PAYMENT_RECEIVED', { ...s.amount, reference: `PAY-${s.journeyId}` }) },
];

async function documents(journeyId: string) {
  const order = await t.db('sales_orders').where({ journey_id: journeyId }).first();
  const reservations = order ? await t.db('reservations').where({ order_id: order.id }) : [];
  const purchaseOrders = order ? await t.db('purchase_orders').where({ order_id: order.id }) : [];
  const invoice = await t.db('invoices').where({ journey_id: journeyId }).first();
  const undos = (await t.db('journey_audit').where({ journey_id: journeyId, type: 'activity' }).orderBy('seq'))
    .map((a) => (a.detail as { activity: string }).activity)
    .filter((a) => ['writeOffInvoice', 'closePurchaseOrders', 'releaseReservation', 'cancelOrder'].includes(a));
  return { order, reservations, purchaseOrders, invoice, undos };
}

describe.concurrent('every ending leaves the records right', () => {
  it.each(paths)('%# $from → $final', async (path) => {
    const def = path.from === 'awaiting_payment' ? slowDunning : model;
    // Over the discount limit, so quoting waits for a manager.
    const lines = path.short ? [{ sku: 'CAM-100', quantity: 500 }] : [{ sku: 'CAM-200', quantity: 1, discountPct: 20 }];
    const handle = await startJourney(temporal.client, worker.taskQueue, def, uniqueLead());
    let s = await walkTo(handle, path.from, lines);
    expect(s.stage).toBe(path.from);
    if (path.partPayment && s.amount) {
      s = await send(handle, actors.finance, 'PAYMENT_RECEIVED', { amount: '10.00', currency: s.amount.currency, reference: `PART-${s.journeyId}` });
    }
    const ended = await path.end(handle, s);
    const final = ended.stage === path.final ? ended : await waitForStage(handle, path.final);
    expect(final.stage).toBe(path.final);
    await handle.result();
    // A history of the new shape (undos on exit) for the replay suite.
    if (path.from === 'fulfilment' && path.final === 'cancelled' && !path.short) await keepHistory(handle, 'cancelled-in-fulfilment-with-undos');

    const docs = await eventually(
      () => documents(final.journeyId),
      (d) => path.final === 'closed' || d.order === undefined || d.undos.length > 0,
    );
    const { order, reservations, purchaseOrders, invoice, undos } = docs;
    if (path.final === 'cancelled' && order) {
      expect(order.status).toBe('cancelled');
      expect(reservations.every((r) => r.status === 'released')).toBe(true);
      expect(purchaseOrders.every((p) => p.status === 'cancelled')).toBe(true);
      if (path.short) {
        expect(reservations.length).toBeGreaterThan(0);
        expect(purchaseOrders.length).toBeGreaterThan(0);
      }
      // Each undo once, newest effect first, on the timeline.
      expect(undos).toEqual(['closePurchaseOrders', 'releaseReservation', 'cancelOrder']);
    } else if (path.final === 'written_off') {
      expect(order.status).toBe('invoiced');
      expect(reservations.every((r) => r.status === 'shipped')).toBe(true);
      expect(invoice.status).toBe('written_off');
      expect(Number(invoice.amount_due)).toBe(0);
      const paid = Number(invoice.amount_paid);
      expect(paid).toBe(path.partPayment ? 10 : 0);
      // The written-off amount is kept for the ledger: what was due when finance gave up.
      expect(Number(invoice.written_off_amount)).toBeCloseTo(Number(invoice.total) + Number(invoice.fees_total) - paid, 2);
      expect(undos).toEqual(['writeOffInvoice', 'closePurchaseOrders', 'releaseReservation', 'cancelOrder']);
    } else if (path.final === 'closed') {
      expect(order.status).toBe('invoiced');
      expect(invoice.status).toBe('paid');
      expect(Number(invoice.written_off_amount)).toBe(0);
      expect(undos).toEqual([]);
    } else {
      // Ended before an order existed: nothing was changed, nothing is undone.
      expect(order).toBeUndefined();
      expect(invoice).toBeUndefined();
      expect(undos).toEqual([]);
    }
  });
});

describe('stock after every ending', () => {
  it('keeps reserved stock equal to the open reservations, and none is left open', async () => {
    const stock = await t.db('stock').select('sku', 'reserved');
    const open = await t.db('reservations').where({ status: 'reserved' });
    expect(open).toEqual([]);
    expect(stock.filter((row) => Number(row.reserved) !== 0)).toEqual([]);
  });
});

async function walkTo(handle: JourneyHandle, stage: string, lines: { sku: string; quantity: number }[]): Promise<JourneyState> {
  if (stage === 'collections') {
    await walk(handle, 'awaiting_payment');
    return waitForStage(handle, 'collections', 30_000);
  }
  if (stage === 'paid') return walk(handle, 'paid');
  const beforeQuote = ['lead', 'qualification', 'opportunity'];
  if (beforeQuote.includes(stage)) return walk(handle, stage);
  const opportunity = await walk(handle, 'opportunity');
  expect(opportunity.stage).toBe('opportunity');
  await send(handle, actors.rep, 'PROPOSE', { lines });
  return walk(handle, stage);
}
