// The worker is SIGKILLed between a bank line's allocation and the journey's update: the
// allocation (recorded first, its id the update's id) is sent again later, and the invoice is paid
// once. Once with the worker already dead when the statement arrives, once killed in flight.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyAwaitingPayment, type InvoiceRecord } from '../api/cashJourneys';
import { createHarness, settledIn, type Harness } from '../api/harness';
import { camt053 } from '../helpers/camt053';
import { killHard, spawnWorkerProcess } from '../helpers/worker';

let h: Harness;
let worker: ChildProcess | undefined;
const invoices: InvoiceRecord[] = [];

const startWorker = async () => {
  worker = await spawnWorkerProcess(h.database.url, h.deps.taskQueue);
};
const importStatement = (id: string, invoice: InvoiceRecord) =>
  h.call(
    'finance',
    'POST',
    '/v1/finance/bank-statements',
    camt053({
      version: '08',
      id,
      entries: [{ amount: invoice.amount_due, acctSvcrRef: `${id}-1`, details: [{ endToEndId: `E-${id}`, rf: invoice.payment_reference }] }],
    }),
    {
      'content-type': 'application/xml',
    },
  );
const allocationsOf = (invoice: InvoiceRecord) => h.deps.db('bank_allocations').where({ invoice_id: invoice.id });
const paymentsOf = async (invoice: InvoiceRecord) =>
  Number(((await h.deps.db('payments').where({ invoice_id: invoice.id }).count('* as n').first()) as { n: string }).n);

async function expectPaidOnce(invoice: InvoiceRecord): Promise<void> {
  await settledIn(h, invoice.journey_id, ['closed'], 180_000);
  // Whatever the worker took before it died, sending the pending allocations again changes nothing.
  expect(
    (
      await h.call('finance', 'POST', '/v1/finance/bank-statements', camt053({ version: '08', id: `EMPTY-${invoice.id}`, entries: [] }), {
        'content-type': 'application/xml',
      })
    ).statusCode,
  ).toBe(201);
  const [allocation, ...more] = (await allocationsOf(invoice)) as { id: string; applied_at: Date | null; cancelled_at: Date | null }[];
  expect(more).toHaveLength(0);
  expect(allocation).toMatchObject({ cancelled_at: null, applied_at: expect.any(Date) });
  expect(await paymentsOf(invoice)).toBe(1);
  const detail = (await h.call('finance', 'GET', `/v1/journeys/${invoice.journey_id}`)).json<{ timeline: { event?: string }[] }>();
  expect(detail.timeline.filter((e) => e.event === 'PAYMENT_RECEIVED')).toHaveLength(1);
}

beforeAll(async () => {
  h = await createHarness();
  await startWorker();
  for (let i = 0; i < 2; i++) invoices.push(await journeyAwaitingPayment(h, 120_000));
}, 600_000);

afterAll(async () => {
  if (worker) await killHard(worker);
  await h?.close();
});

describe('chaos: a worker SIGKILL between a bank allocation and the journey update', () => {
  it('keeps the allocation pending while no worker answers, then pays the invoice once', { timeout: 300_000 }, async () => {
    const [invoice] = invoices as [InvoiceRecord];
    if (worker) await killHard(worker);
    const answer = await importStatement('KILL-BEFORE', invoice);
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({ lines: 1, matched: 1 });
    const [pending] = (await allocationsOf(invoice)) as { applied_at: Date | null; last_error: string | null }[];
    expect(pending).toMatchObject({ applied_at: null, last_error: expect.stringContaining('worker') });
    expect(await paymentsOf(invoice)).toBe(0);

    await startWorker();
    await expectPaidOnce(invoice);
  });

  it('pays once when the worker dies while the update is in flight', { timeout: 300_000 }, async () => {
    const [, invoice] = invoices as [InvoiceRecord, InvoiceRecord];
    const answer = importStatement('KILL-DURING', invoice);
    // The allocation is committed before the update is sent: kill the worker the moment it exists.
    for (const deadline = Date.now() + 60_000; (await allocationsOf(invoice)).length === 0 && Date.now() < deadline;) await sleep(5);
    if (worker) await killHard(worker);
    expect((await answer).statusCode).toBe(201);
    await startWorker();
    await expectPaidOnce(invoice);
  });
});
