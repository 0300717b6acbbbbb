// A journey moved to another version of its process (DESIGN.md section 7.2) on the real dev server:
// with an activity in flight it moves after the activity's result; `keep` holds a timer's absolute
// deadline and `restart` counts it again from the target's duration; the target survives
// continue-as-new; the same move sent twice is applied once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUpdateId } from '../../api/journeyClient';
import { seedDemo } from '../../db/seed/demo';
import type { StageMap, TimerPolicy } from '../../machines/migrationPlan';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { migrateUpdate, type MigrateResult } from '../../workflows/messages';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { keepHistory } from '../helpers/histories';
import { actors, eventually, send, startJourney, state, uniqueLead, waitForState, waitForStage, type JourneyHandle } from '../helpers/journeys';
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const identity = (def: ProcessDefinition): StageMap => Object.fromEntries(Object.keys(def.stages).map((s) => [s, s]));

interface Move {
  to: ProcessDefinition;
  fromVersion: number;
  expectedStage: string;
  timers?: TimerPolicy;
  migrationId?: string;
  updateId?: string;
}

function migrate(handle: JourneyHandle, move: Move): Promise<MigrateResult> {
  const migrationId = move.migrationId ?? `mig_${Math.random().toString(36).slice(2, 10)}`;
  return withUpdateId(move.updateId ?? `migrate:${migrationId}:${handle.workflowId}`, (updateId) =>
    handle.executeUpdate(migrateUpdate, {
      args: [
        {
          migrationId,
          to: move.to,
          stageMap: identity(move.to),
          timers: move.timers ?? 'keep',
          fromVersion: move.fromVersion,
          expectedStage: move.expectedStage,
        },
      ],
      updateId,
    }),
  );
}

const migratedEntries = (journeyId: string) => t.db('journey_audit').where({ journey_id: journeyId, type: 'migrated' }).orderBy('seq');

describe('moving a running journey to another version', () => {
  it('waits for an activity in flight and moves after its result', async () => {
    const v1 = variant(() => {});
    const v2 = variant((def) => void (def.stages.quoting!.description = 'Price the quote (version 2).'));
    const handle = await startJourney(temporal.client, worker.taskQueue, v1, uniqueLead());
    const atOpportunity = await walk(handle, 'opportunity');

    // Pricing the quote blocks on a lock the test holds: the activity stays in flight.
    const lock = await t.db.transaction();
    let moved: Promise<MigrateResult> | undefined;
    try {
      await lock.raw('lock table quotes in access exclusive mode');
      // A discount over the limit: the quote then waits for a manager, a quiet point in quoting.
      void send(handle, actors.rep, 'PROPOSE', { lines: [{ ...demoLines[0]!, discountPct: 30 }] }).catch(() => undefined);
      const running = await waitForState(handle, (s) => s.stage === 'quoting' && s.status === 'running');
      expect(running.definition.version).toBe(v1.version);
      let settled = false;
      moved = migrate(handle, { to: v2, fromVersion: v1.version, expectedStage: 'quoting' });
      void moved.then(() => (settled = true)).catch(() => (settled = true));
      await pause(2_000);
      expect(settled).toBe(false);
      expect(await migratedEntries(atOpportunity.journeyId)).toEqual([]);
      expect((await state(handle)).definition.version).toBe(v1.version);
    } finally {
      await lock.commit();
    }
    const result = await moved!;
    expect(result).toMatchObject({ result: 'migrated', stage: 'quoting', version: v2.version });

    // The quote priced under version 1 is the journey's, now waiting for its checkpoint on version 2.
    const after = await waitForState(handle, (s) => s.status === 'awaiting_confirmation');
    expect(after).toMatchObject({ stage: 'quoting', definition: { version: v2.version }, pendingCheckpoint: { stage: 'quoting' } });
    expect((after.context.results as { priceQuote?: unknown }).priceQuote).toBeTruthy();
    expect(after.amount).not.toBeNull();
    const audit = await eventually(
      () => t.db('journey_audit').where({ journey_id: atOpportunity.journeyId }).orderBy('seq'),
      (rows) => rows.some((r: { type: string }) => r.type === 'migrated'),
    );
    const priced = audit.findIndex((r: { type: string; detail: { activity?: string } }) => r.type === 'activity' && r.detail.activity === 'priceQuote');
    const migratedAt = audit.findIndex((r: { type: string }) => r.type === 'migrated');
    expect(priced).toBeGreaterThanOrEqual(0);
    expect(priced).toBeLessThan(migratedAt);
    expect(audit[migratedAt]).toMatchObject({ stage: 'quoting', detail: { from: v1.version, to: v2.version, fromStage: 'quoting', toStage: 'quoting' } });
    const [row] = await t.db('journeys').where({ id: atOpportunity.journeyId }).select('definition_version');
    expect(row.definition_version).toBe(v2.version);
  });

  // Version 1's quote expires after seconds; version 2's after 30 days.
  const shortQuote = () => variant((def) => void (def.policies = { ...def.policies, quoteValidity: 'PT10S' }));
  const longQuote = () => variant((def) => void (def.policies = { ...def.policies, quoteValidity: 'P30D' }));

  it("keeps a timer's absolute deadline with `keep`", async () => {
    const v1 = shortQuote();
    const v2 = longQuote();
    const handle = await startJourney(temporal.client, worker.taskQueue, v1, uniqueLead());
    const sent = await walk(handle, 'quote_sent');
    const result = await migrate(handle, { to: v2, fromVersion: v1.version, expectedStage: 'quote_sent', timers: 'keep' });
    expect(result).toMatchObject({ result: 'migrated', stage: 'quote_sent', version: v2.version });

    // Version 1's deadline still holds: the quote expires ten seconds after it was sent.
    const expired = await waitForStage(handle, 'opportunity', 60_000);
    expect(expired.definition.version).toBe(v2.version);
    const marks = expired.context.marks as Record<string, string>;
    expect(Date.parse(marks['quote.expiredAt']!)).toBeGreaterThanOrEqual(Date.parse(sent.stageEnteredAt) + 10_000);
    expect(await migratedEntries(sent.journeyId)).toHaveLength(1);
    await keepHistory(handle, 'migrated-timer-kept');
  });

  it("starts a timer again from the target's duration with `restart`", async () => {
    const v1 = shortQuote();
    const v2 = longQuote();
    const handle = await startJourney(temporal.client, worker.taskQueue, v1, uniqueLead());
    const sent = await walk(handle, 'quote_sent');
    const result = await migrate(handle, { to: v2, fromVersion: v1.version, expectedStage: 'quote_sent', timers: 'restart' });
    expect(result).toMatchObject({ result: 'migrated', version: v2.version });

    // Past version 1's deadline the quote is still with the customer.
    const wait = Date.parse(sent.stageEnteredAt) + 13_000 - Date.now();
    if (wait > 0) await pause(wait);
    const still = await state(handle);
    expect(still).toMatchObject({ stage: 'quote_sent', definition: { version: v2.version } });
    expect((still.context.marks as Record<string, string> | undefined)?.['quote.expiredAt']).toBeUndefined();
    // The old expiry was cancelled and a new one started; none fired.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.timerFiredEventAttributes)).toHaveLength(0);
    expect(events.filter((e) => e.timerCanceledEventAttributes).length).toBeGreaterThanOrEqual(1);
    const started = events.filter((e) => e.timerStartedEventAttributes);
    const lastTimer = started.at(-1)!.timerStartedEventAttributes!;
    expect(Number(lastTimer.startToFireTimeout!.seconds)).toBeGreaterThan(29 * 24 * 3600);
  });

  it('goes on on the target version after continue-as-new', async () => {
    const v2 = variant(() => {});
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead(), { continueAsNewAfterEvents: 40 });
    const firstRun = (await handle.describe()).runId;
    const atOpportunity = await walk(handle, 'opportunity');
    expect(await migrate(handle, { to: v2, fromVersion: defaultProcess.version, expectedStage: 'opportunity' })).toMatchObject({ result: 'migrated' });

    const final = await walk(handle);
    expect(final).toMatchObject({ stage: 'closed', definition: { version: v2.version } });
    const { runs } = await handle.result();
    expect(runs).toBeGreaterThan(1);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    // Each later run started on version 2: its input carries the target.
    const started = (await temporal.client.workflow.getHandle(handle.workflowId).fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    expect(started.continuedExecutionRunId).toBeTruthy();
    const [journey] = await t.db('journeys').where({ id: atOpportunity.journeyId }).select('definition_version', 'stage');
    expect(journey).toEqual({ definition_version: v2.version, stage: 'closed' });
    expect(await migratedEntries(atOpportunity.journeyId)).toHaveLength(1);
  });

  it('applies the same move once, and refuses a second migration from the version it left', async () => {
    const v2 = variant(() => {});
    const handle = await startJourney(temporal.client, worker.taskQueue, defaultProcess, uniqueLead());
    const atOpportunity = await walk(handle, 'opportunity');
    const move: Move = { to: v2, fromVersion: defaultProcess.version, expectedStage: 'opportunity', migrationId: 'mig_twice' };
    const [first, second] = await Promise.all([migrate(handle, move), migrate(handle, move)]);
    expect(first).toMatchObject({ result: 'migrated', version: v2.version });
    expect(second).toMatchObject({ result: 'migrated', version: v2.version });
    expect(await migrate(handle, move)).toMatchObject({ result: 'migrated', version: v2.version });

    // Another migration planned from version 1 finds the journey on version 2.
    const error = await migrate(handle, { ...move, migrationId: 'mig_other' }).then(
      () => null,
      (e: Error & { cause?: Error }) => e,
    );
    expect(error?.cause?.message).toContain(`version ${v2.version}`);
    await pause(500);
    expect(await migratedEntries(atOpportunity.journeyId)).toHaveLength(1);
  });
});
