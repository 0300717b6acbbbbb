// The journey workflow on the real dev server, with real activities over PostgreSQL and SMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUpdateId } from '../../api/journeyClient';
import { seedDemo } from '../../db/seed/demo';
import { reassignUpdate, REFUSAL, transitionUpdate } from '../../workflows/messages';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import {
  actors,
  confirm,
  eventually,
  refusalOf,
  send,
  startJourney,
  state,
  uniqueLead,
  waitForStage,
  waitForState,
  type JourneyHandle,
} from '../helpers/journeys';
import { connectClient } from '../helpers/temporal';
import { demoLines, variant, walk } from '../helpers/walk';
import { startTestWorker, type TestWorker } from '../helpers/worker';
import { keepHistory } from '../helpers/histories';
import { defaultProcess } from '../../machines/index';

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

/** The history length once the journey has stopped adding events (its last activity recorded). */
async function quietHistoryLength(handle: JourneyHandle): Promise<number> {
  let last = -1;
  for (;;) {
    const length = (await handle.fetchHistory()).events?.length ?? 0;
    if (length === last) return length;
    last = length;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function countRows(table: string, where: Record<string, unknown>): Promise<number> {
  const [row] = await t.db(table).where(where).count<{ count: string }[]>('* as count');
  return Number(row?.count ?? 0);
}

describe('a journey from lead to cash', () => {
  it('walks the default process to closed with people confirming, and records it all', async () => {
    const lead = uniqueLead();
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, lead);
    const final = await walk(handle);
    expect(final.stage).toBe('closed');
    expect(await handle.result()).toMatchObject({ stage: 'closed' });
    await keepHistory(handle, 'happy-path');

    const journeyId = final.journeyId;
    const projection = await eventually(
      () => t.db('journeys').where({ id: journeyId }).first(),
      (r) => r?.stage === 'closed',
    );
    expect(projection).toMatchObject({ stage: 'closed', status: 'done', definition_version: 1, lead_email: lead.email });
    const invoices = await t.db('invoices').where({ journey_id: journeyId });
    expect(invoices).toHaveLength(1);
    expect(invoices[0].status).toBe('paid');

    const audit = await t.db('journey_audit').where({ journey_id: journeyId }).orderBy('seq');
    const stages = audit.filter((a) => a.type === 'transition').map((a) => a.stage);
    expect(stages).toEqual([
      'qualification',
      'opportunity',
      'quoting',
      'quote_sent',
      'ordering',
      'fulfilment',
      'invoicing',
      'awaiting_payment',
      'paid',
      'closed',
    ]);
    const seqs = audit.map((a) => a.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Who confirmed what: people by id, policies as the system.
    const shipped = audit.find((a) => a.event === 'SHIPPED');
    expect(shipped?.actor_id).toBe(actors.warehouse.id);
    const autoClose = audit.find((a) => a.type === 'confirmation' && a.stage === 'paid');
    expect(autoClose).toMatchObject({ actor_id: 'system' });
    expect(autoClose.detail).toMatchObject({ auto: true, decision: 'approve' });
  });

  it('auto-confirms every checkpoint an ops policy covers, recording the system as the confirmer', async () => {
    const def = variant((d) => {
      d.stages.lead!.checkpoint = { ...d.stages.lead!.checkpoint!, auto: true };
      d.stages.qualification!.checkpoint = { ...d.stages.qualification!.checkpoint!, auto: true };
      d.stages.ordering!.checkpoint = { ...d.stages.ordering!.checkpoint!, auto: true };
    });
    const handle = await startJourney(temporal.client, worker.taskQueue, def, uniqueLead());
    const atOpportunity = await waitForStage(handle, 'opportunity');
    const autos = (atOpportunity.context.confirmations as { stage: string; auto: boolean; actor: { id: string } }[]).filter((c) => c.auto);
    expect(autos.map((c) => c.stage)).toEqual(['lead', 'qualification']);
    expect(autos.every((c) => c.actor.id === 'system')).toBe(true);

    const afterProposal = await send(handle, actors.rep, 'PROPOSE', { lines: demoLines });
    expect(afterProposal.stage).toBe('quote_sent');
    const ordered = await send(handle, actors.rep, 'ACCEPT');
    const fulfilment = ordered.stage === 'fulfilment' ? ordered : await waitForStage(handle, 'fulfilment');
    expect(fulfilment.stage).toBe('fulfilment');
    expect(await walk(handle)).toMatchObject({ stage: 'closed' });
  });
});

describe('refusals', () => {
  it('refuses a wrong event and a wrong role with the allowed events, leaving no trace in history', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead());
    await walk(handle, 'opportunity');
    const before = await quietHistoryLength(handle);

    const wrongEvent = await refusalOf(send(handle, actors.rep, 'ACCEPT'));
    expect(wrongEvent.type).toBe(REFUSAL.notAllowed);
    expect(wrongEvent.details.allowedEvents).toEqual(expect.arrayContaining(['PROPOSE', 'LOSE']));
    expect(wrongEvent.details.allowedEvents).not.toContain('ACCEPT');

    const wrongRole = await refusalOf(send(handle, actors.warehouse, 'PROPOSE', { lines: demoLines }));
    expect(wrongRole.type).toBe(REFUSAL.forbidden);
    expect(wrongRole.details.allowedEvents).not.toContain('PROPOSE');
    // Who could send it, so the API explains the 403 without asking again.
    expect(wrongRole.details).toMatchObject({ stage: 'opportunity', requiredRoles: ['sales_rep', 'sales_manager'] });
    expect(wrongEvent.details.requiredRoles).toBeUndefined();

    const after = (await handle.fetchHistory()).events?.length ?? 0;
    expect(after).toBe(before);
    expect((await state(handle)).stage).toBe('opportunity');
  });

  it('refuses the quote author approving a discount over the limit, and accepts another manager', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead());
    await walk(handle, 'opportunity');
    const quoting = await send(handle, actors.manager, 'PROPOSE', { lines: [{ sku: 'CAM-200', quantity: 1, discountPct: 30 }] });
    expect(quoting).toMatchObject({ stage: 'quoting', status: 'awaiting_confirmation' });
    expect(quoting.pendingCheckpoint?.role).toBe('sales_manager');

    const ownApproval = await refusalOf(confirm(handle, actors.manager, 'quoting'));
    expect(ownApproval.type).toBe(REFUSAL.forbidden);
    expect(ownApproval.details).toMatchObject({ stage: 'quoting', requiredRoles: ['sales_manager'] });
    const byRep = await refusalOf(confirm(handle, actors.rep, 'quoting'));
    expect(byRep.type).toBe(REFUSAL.forbidden);

    const approved = await confirm(handle, { id: 'u-mgr-2', roles: ['sales_manager'] }, 'quoting', 'approve', 'strategic account');
    expect(approved.stage).toBe('quote_sent');

    // The audit keeps who confirmed, in which role, manual or automatic, and the note.
    const audit = await eventually(
      () => t.db('journey_audit').where({ journey_id: approved.journeyId, type: 'confirmation' }).orderBy('seq'),
      (rows) => rows.some((r: { stage: string }) => r.stage === 'quoting'),
    );
    expect(audit.find((r: { stage: string }) => r.stage === 'quoting')).toMatchObject({
      actor_id: 'u-mgr-2',
      actor_role: 'sales_manager',
      detail: { decision: 'approve', auto: false, note: 'strategic account' },
    });
    expect(audit.find((r: { stage: string }) => r.stage === 'lead')).toMatchObject({
      actor_id: 'system',
      actor_role: 'system',
      detail: { decision: 'approve', auto: true },
    });
  });

  it('refuses a confirmation naming a stage whose checkpoint no longer waits, and an event for a stage left', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead());
    await walk(handle, 'opportunity');
    await send(handle, actors.rep, 'PROPOSE', { lines: [{ sku: 'CAM-200', quantity: 1, discountPct: 30 }] });
    const manager = { id: 'u-mgr-3', roles: ['sales_manager'] };

    const wrongStage = await refusalOf(confirm(handle, manager, 'lead'));
    expect(wrongStage.type).toBe(REFUSAL.staleCheckpoint);
    expect(wrongStage.details.pendingCheckpoint).toMatchObject({ stage: 'quoting', role: 'sales_manager' });

    expect((await confirm(handle, manager, 'quoting')).stage).toBe('quote_sent');
    // A retried approval (same stage, new update id) does not approve anything in quote_sent.
    const retried = await refusalOf(confirm(handle, manager, 'quoting'));
    expect(retried.type).toBe(REFUSAL.staleCheckpoint);
    expect(retried.details).toMatchObject({ stage: 'quote_sent', pendingCheckpoint: { stage: 'quote_sent', approveEvent: 'ACCEPT' } });

    const stale = await refusalOf(handle.executeUpdate(transitionUpdate, { args: [{ type: 'ACCEPT', actor: actors.rep, expectedStage: 'quoting' }] }));
    expect(stale.type).toBe(REFUSAL.staleStage);
    expect(stale.details).toMatchObject({ stage: 'quote_sent', allowedEvents: expect.arrayContaining(['ACCEPT']) });
    expect((await state(handle)).stage).toBe('quote_sent');
    const accepted = await handle.executeUpdate(transitionUpdate, { args: [{ type: 'ACCEPT', actor: actors.rep, expectedStage: 'quote_sent' }] });
    expect(accepted.stage).toBe('ordering');
  });
  it('refuses a confirmation while no checkpoint waits (a parked stage), naming where the journey is', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead());
    await walk(handle, 'opportunity');
    const parked = await send(handle, actors.rep, 'PROPOSE', { lines: [{ sku: `NONE-${Date.now()}`, quantity: 1 }] });
    expect(parked).toMatchObject({ stage: 'quoting', status: 'parked', pendingCheckpoint: null });
    const before = await quietHistoryLength(handle);

    const manager = { id: 'u-mgr-4', roles: ['sales_manager'] };
    const refused = await refusalOf(confirm(handle, manager, 'quoting'));
    expect(refused.type).toBe(REFUSAL.staleCheckpoint);
    expect(refused.details).toEqual({
      stage: 'quoting',
      pendingCheckpoint: null,
      allowedEvents: (await state(handle, manager.roles)).allowedEvents,
      reason: 'no checkpoint of stage quoting waits: no checkpoint waits (stage quoting)',
    });
    expect((await handle.fetchHistory()).events?.length ?? 0).toBe(before);
  });
});

describe('dunning', () => {
  const fast = variant((d) => {
    d.policies.paymentTerms = 'PT1S';
    d.policies.dunning = [
      { level: 1, offset: 'PT2S', fee: null, template: 'dunning-reminder' },
      { level: 2, offset: 'PT4S', fee: { amount: '15.00', currency: 'EUR' }, template: 'dunning-second-notice' },
      { level: 3, offset: 'PT6S', fee: null, template: 'dunning-final-notice' },
    ];
  });

  it('sends levels in order, then hands over to collections, where finance writes it off', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, fast, uniqueLead());
    await walk(handle, 'awaiting_payment');
    const collections = await waitForStage(handle, 'collections', 30_000);
    const notices = await t.db('dunning_notices').where({ journey_id: collections.journeyId }).orderBy('level');
    expect(notices.map((n) => n.level)).toEqual([1, 2, 3]);
    const written = await send(handle, actors.finance, 'WRITE_OFF');
    expect(written.stage).toBe('written_off');
    await handle.result();
    await keepHistory(handle, 'dunning-to-write-off');
  });

  it('keeps its pending dunning timers across continue-as-new and still reaches collections', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, fast, uniqueLead(), { continueAsNewAfterEvents: 20 });
    const due = await walk(handle, 'awaiting_payment');
    const runAtDue = (await handle.describe()).runId;
    const collections = await waitForStage(handle, 'collections', 30_000);
    const notices = await t.db('dunning_notices').where({ journey_id: due.journeyId }).orderBy('level');
    expect(notices.map((n) => n.level)).toEqual([1, 2, 3]);
    expect(collections.stage).toBe('collections');
    // The dunning levels' timers were pending when the run continued as new.
    expect((await handle.describe()).runId).not.toBe(runAtDue);
    const written = await send(handle, actors.finance, 'WRITE_OFF');
    expect(written.stage).toBe('written_off');
    await handle.result();
    // The last run: timers carried over, projection writes as local activities.
    await keepHistory(handle, 'dunning-timers-across-runs');
  });

  it('stops dunning at payment', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, fast, uniqueLead());
    await walk(handle, 'awaiting_payment');
    const first = await waitForState(handle, (s) => (s.context.notices as unknown[]).length === 1, 20_000);
    const paid = await send(handle, actors.finance, 'PAYMENT_RECEIVED', { ...first.amount!, reference: 'PAY-DUN' });
    expect(['paid', 'closed']).toContain(paid.stage);
    expect(await handle.result()).toMatchObject({ stage: 'closed' });
    const notices = await t.db('dunning_notices').where({ journey_id: first.journeyId });
    expect(notices.map((n) => n.level)).toEqual([1]);
  });
});

describe('parking', () => {
  it('parks a stage whose activity fails, and resumes on RETRY once the cause is fixed, running nothing twice', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead());
    await walk(handle, 'opportunity');
    const sku = `NEW-${Date.now()}`;
    const parked = await send(handle, actors.rep, 'PROPOSE', { lines: [{ sku, quantity: 1 }] });
    expect(parked.status).toBe('parked');
    expect(parked.parked).toMatchObject({ activity: 'priceQuote' });
    expect(parked.parked?.error.type).toBe('UnknownSku');
    // The rep who proposed may not recover it; finance may.
    expect(parked.allowedEvents).toEqual([]);
    expect((await state(handle, ['finance'])).allowedEvents).toEqual(expect.arrayContaining(['RETRY', 'SKIP']));
    const row = await eventually(
      () => t.db('journeys').where({ id: parked.journeyId }).first(),
      (r) => r?.status === 'parked',
    );
    expect(row).toMatchObject({ status: 'parked', parked_activity: 'priceQuote' });
    expect(row.last_error).toMatch(new RegExp(sku));

    await t.db('products').insert({ sku, name: 'New camera', category: 'cameras', active: true });
    await t.db('price_book').insert({ sku, currency: 'EUR', unit_price: '99.00' });
    const resumed = await send(handle, actors.finance, 'RETRY');
    expect(resumed.stage).toBe('quote_sent');
    expect(await countRows('quotes', { journey_id: parked.journeyId })).toBe(1);
    await keepHistory(handle, 'parked-then-retried');
    const quoteEmails = await t.db('email_outbox').where({ journey_id: parked.journeyId }).where({ kind: 'quote' });
    expect(quoteEmails).toHaveLength(1);
  });
});

describe('continue-as-new', () => {
  it('applies an update once when its id is sent again after the workflow continued as new', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead(), { continueAsNewAfterEvents: 40 });
    const due = await walk(handle, 'awaiting_payment');
    const payment = { amount: '1.00', currency: due.amount?.currency ?? 'EUR', reference: `PART-${due.journeyId}` };
    const updateId = `pay-once-${due.journeyId}`;
    const pay = () =>
      withUpdateId(updateId, (id) =>
        handle.executeUpdate(transitionUpdate, { args: [{ type: 'PAYMENT_RECEIVED', actor: actors.finance, data: payment }], updateId: id }),
      );
    const first = await pay();
    const runOfFirst = (await handle.describe()).runId;

    // Reassigning to the same owner changes nothing but grows the history: the run continues as new.
    for (let i = 0; i < 20 && (await handle.describe()).runId === runOfFirst; i++) {
      await withUpdateId(undefined, (id) =>
        handle.executeUpdate(reassignUpdate, { args: [{ ownerId: first.ownerId ?? 'usr-dach-1', actor: actors.ops }], updateId: id }),
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await handle.describe()).runId).not.toBe(runOfFirst);

    const again = await pay();
    expect(again.stage).toBe('awaiting_payment');
    expect(again.amount).toEqual(first.amount);
    expect(await countRows('payments', { journey_id: due.journeyId, reference: payment.reference })).toBe(1);
  });

  it("keeps the journey state across runs and bounds each run's history", async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead(), { continueAsNewAfterEvents: 60 });
    const final = await walk(handle);
    expect(final.stage).toBe('closed');
    const result = await handle.result();
    expect(result.runs).toBeGreaterThan(1);
    await keepHistory(handle, 'continued-as-new');
    // Every run stayed near the threshold (a run ends at the first quiet moment past it).
    let runId: string | undefined = (await handle.describe()).runId;
    const lengths: number[] = [];
    const audit = await t.db('journey_audit').where({ journey_id: final.journeyId }).orderBy('seq');
    expect(audit.map((a) => a.seq)).toEqual(audit.map((_, i) => i + 1));
    while (runId) {
      const history = await temporal.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      lengths.push(history.events?.length ?? 0);
      const previous: string | null | undefined = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      runId = previous || undefined;
    }
    expect(lengths.length).toBe(result.runs);
    expect(Math.max(...lengths), JSON.stringify(lengths)).toBeLessThan(140);
  });
});
