// SLAs that act (DESIGN.md section 7.2), on the real dev server with SLAs of seconds: a breach is
// recorded once on the timeline and emails the owner once; a checkpoint's SLA counts from when it
// began to wait; a timer ends with its stage; after a breach the checkpoint's escalateTo role may
// decide it; the deadline holds across continue-as-new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/demo';
import { addDuration, type ProcessDefinition } from '../../machines/index';
import { REFUSAL } from '../../workflows/messages';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { keepHistory } from '../helpers/histories';
import { actors, confirm, eventually, refusalOf, send, startJourney, state, uniqueLead, waitForStage, type JourneyHandle } from '../helpers/journeys';
import { connectClient } from '../helpers/temporal';
import { demoLines, variant, walk } from '../helpers/walk';
import { startTestWorker, type TestWorker } from '../helpers/worker';

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

interface AuditRow {
  at: Date;
  type: string;
  stage: string;
  event: string | null;
  actor_role: string | null;
  detail: Record<string, unknown>;
}

const breaches = async (journeyId: string) => (await t.db('journey_audit').where({ journey_id: journeyId, type: 'sla_breached' }).orderBy('seq')) as AuditRow[];
const slaEmails = (journeyId: string) => t.db('email_outbox').where({ journey_id: journeyId, kind: 'sla_breach' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const plus = (iso: string, duration: string) => addDuration(Date.parse(iso), duration).toISOString();

/** The default process with `sla` on a stage or its checkpoint. */
function withSla(stage: string, where: 'stage' | 'checkpoint', sla: string, edit?: (def: ProcessDefinition) => void): ProcessDefinition {
  return variant((def) => {
    const spec = def.stages[stage]!;
    if (where === 'stage') spec.sla = sla;
    else spec.checkpoint = { ...spec.checkpoint, sla };
    edit?.(def);
  });
}

async function timerEvents(handle: JourneyHandle): Promise<{ started: number; fired: number; cancelled: number }> {
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    started: events.filter((e) => e.timerStartedEventAttributes).length,
    fired: events.filter((e) => e.timerFiredEventAttributes).length,
    cancelled: events.filter((e) => e.timerCanceledEventAttributes).length,
  };
}

describe('SLA breaches', () => {
  it("records a stage's breach once on the timeline and emails the owner once", async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, withSla('opportunity', 'stage', 'PT2S'), uniqueLead());
    const atOpportunity = await walk(handle, 'opportunity');
    const [breach] = await eventually(
      () => breaches(atOpportunity.journeyId),
      (rows) => rows.length > 0,
    );
    expect(breach).toMatchObject({
      stage: 'opportunity',
      event: 'SLA_BREACHED',
      detail: { scope: 'stage', sla: 'PT2S', since: atOpportunity.stageEnteredAt, deadline: plus(atOpportunity.stageEnteredAt, 'PT2S') },
    });
    expect(breach!.at.getTime()).toBeGreaterThanOrEqual(Date.parse(plus(atOpportunity.stageEnteredAt, 'PT2S')));

    const owner = await t.db('users').where({ id: atOpportunity.ownerId }).first();
    const emails = await eventually(
      () => slaEmails(atOpportunity.journeyId),
      (rows) => rows.length > 0 && rows.every((r) => r.sent_at !== null),
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to_address: owner.email, step: 'opportunity#1:sla:notifySlaBreach' });
    expect(emails[0].subject).toContain('opportunity');
    expect(emails[0].text_body).toContain('PT2S');

    // Once per stage visit: nothing more while the journey stays.
    await pause(2_500);
    expect(await breaches(atOpportunity.journeyId)).toHaveLength(1);
    expect(await slaEmails(atOpportunity.journeyId)).toHaveLength(1);
    expect((await state(handle)).stage).toBe('opportunity');
  });

  it("counts a checkpoint's SLA from when it began to wait, not from stage entry", async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, withSla('quoting', 'checkpoint', 'PT3S'), uniqueLead());
    await walk(handle, 'opportunity');
    // An unknown product parks quoting's pricing: no checkpoint waits while it is parked.
    const sku = `SLA-${Date.now()}`;
    const parked = await send(handle, actors.rep, 'PROPOSE', { lines: [{ sku, quantity: 1, discountPct: 30 }] });
    expect(parked).toMatchObject({ stage: 'quoting', status: 'parked' });
    await pause(4_000);
    expect(await breaches(parked.journeyId)).toEqual([]);

    await t.db('products').insert({ sku, name: 'SLA camera', category: 'cameras', active: true });
    await t.db('price_book').insert({ sku, currency: 'EUR', unit_price: '99.00' });
    const waiting = await send(handle, actors.finance, 'RETRY');
    expect(waiting).toMatchObject({ stage: 'quoting', status: 'awaiting_confirmation' });
    const since = waiting.pendingCheckpoint!.since;
    expect(Date.parse(since) - Date.parse(waiting.stageEnteredAt)).toBeGreaterThan(3_000);
    expect(await breaches(waiting.journeyId)).toEqual([]);

    const [breach] = await eventually(
      () => breaches(waiting.journeyId),
      (rows) => rows.length > 0,
    );
    expect(breach).toMatchObject({ stage: 'quoting', detail: { scope: 'checkpoint', sla: 'PT3S', since, deadline: plus(since, 'PT3S') } });
    expect(breach!.at.getTime()).toBeGreaterThanOrEqual(Date.parse(plus(since, 'PT3S')));
    const row = await t.db('journeys').where({ id: waiting.journeyId }).first();
    expect(row.sla_due_at.toISOString()).toBe(plus(since, 'PT3S'));
  });

  it('cancels the timer when the stage is left before its SLA', async () => {
    const handle = await startJourney(temporal.client, worker.taskQueue, withSla('opportunity', 'stage', 'PT5S'), uniqueLead());
    const atOpportunity = await walk(handle, 'opportunity');
    const left = await send(handle, actors.rep, 'PROPOSE', { lines: demoLines });
    expect(left.stage).toBe('quote_sent');
    // Left before the deadline (quote_sent was entered on leaving).
    expect(Date.parse(left.stageEnteredAt)).toBeLessThan(Date.parse(plus(atOpportunity.stageEnteredAt, 'PT5S')));
    await pause(6_000);
    expect(await breaches(left.journeyId)).toEqual([]);
    expect(await slaEmails(left.journeyId)).toEqual([]);
    // Every SLA timer (the checkpoints' on the way, the stage's) was cancelled, none fired; only
    // quote_sent's expiry still runs.
    const timers = await timerEvents(handle);
    expect(timers.fired).toBe(0);
    expect(timers.cancelled).toBe(timers.started - 1);
  });

  it('keeps the deadline across continue-as-new and still breaches once', async () => {
    const def = withSla('opportunity', 'stage', 'PT4S');
    const handle = await startJourney(temporal.client, worker.taskQueue, def, uniqueLead(), { continueAsNewAfterEvents: 20 });
    const firstRun = (await handle.describe()).runId;
    const atOpportunity = await walk(handle, 'opportunity');
    const [breach] = await eventually(
      () => breaches(atOpportunity.journeyId),
      (rows) => rows.length > 0,
    );
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(breach!.detail).toMatchObject({ deadline: plus(atOpportunity.stageEnteredAt, 'PT4S') });
    await pause(1_500);
    expect(await breaches(atOpportunity.journeyId)).toHaveLength(1);
    await eventually(
      () => slaEmails(atOpportunity.journeyId),
      (rows) => rows.length === 1,
    );
  });
});

describe('escalation', () => {
  it('refuses the escalateTo role before the breach, naming the roles, and takes its confirmation after', async () => {
    // The default process escalates ordering to a sales manager.
    const handle = await startJourney(temporal.client, worker.taskQueue, withSla('ordering', 'checkpoint', 'PT5S'), uniqueLead());
    const atOrdering = await walk(handle, 'ordering');
    expect(atOrdering.status).toBe('awaiting_confirmation');

    const early = await refusalOf(confirm(handle, actors.manager, 'ordering'));
    expect(early.type).toBe(REFUSAL.forbidden);
    expect(early.details).toMatchObject({ stage: 'ordering', requiredRoles: ['sales_rep'] });
    expect((await state(handle, actors.manager.roles)).allowedEvents).not.toContain('CONFIRM');

    // After the breach the manager's events include the checkpoint's.
    const managerView = await eventually(
      () => state(handle, actors.manager.roles),
      (s) => s.allowedEvents.includes('CONFIRM'),
    );
    expect(managerView.stage).toBe('ordering');
    expect(await breaches(atOrdering.journeyId)).toHaveLength(1);
    // The refusal of another role now names both.
    const warehouse = await refusalOf(confirm(handle, actors.warehouse, 'ordering'));
    expect(warehouse.details.requiredRoles).toEqual(['sales_rep', 'sales_manager']);

    const confirmed = await confirm(handle, actors.manager, 'ordering', 'approve', 'the rep is away');
    const fulfilment = confirmed.stage === 'fulfilment' ? confirmed : await waitForStage(handle, 'fulfilment');
    expect(fulfilment.stage).toBe('fulfilment');
    const confirmation = await eventually(
      () => t.db('journey_audit').where({ journey_id: atOrdering.journeyId, type: 'confirmation', stage: 'ordering' }).first(),
      (row) => row !== undefined,
    );
    expect(confirmation).toMatchObject({ actor_id: actors.manager.id, actor_role: 'sales_manager' });
    // The breach email tells the owner who may now decide.
    const [email] = await eventually(
      () => slaEmails(atOrdering.journeyId),
      (rows) => rows.length === 1,
    );
    expect(email.text_body).toContain('sales_manager');
    await keepHistory(handle, 'sla-breached-then-escalated');
  });
});
