// 100 journeys in flight while the worker process is SIGKILLed five times at random moments:
// every journey still closes, and nothing is lost or doubled.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemo } from '../../db/seed/demo';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startJourney, uniqueLead, type JourneyHandle } from '../helpers/journeys';
import { connectClient, uniqueTaskQueue } from '../helpers/temporal';
import { variant, walk } from '../helpers/walk';
import { killHard, spawnWorkerProcess } from '../helpers/worker';
import { expectMoneyInvariants } from './invariants';

const JOURNEYS = 100;
const KILLS = 5;

let t: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectClient>>;
let worker: ChildProcess | undefined;
const taskQueue = uniqueTaskQueue('chaos-kill');

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  await t.db('stock').update({ on_hand: 1_000_000 });
  temporal = await connectClient();
  worker = await spawnWorkerProcess(t.url, taskQueue);
});

afterAll(async () => {
  if (worker) await killHard(worker);
  await temporal?.close();
  await t?.drop();
});

async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

describe('chaos: the worker is killed again and again', () => {
  it(`closes ${JOURNEYS} journeys through ${KILLS} SIGKILLs with every effect once`, { timeout: 600_000 }, async () => {
    // Ops' automatic flavour keeps the walk short; the customer and warehouse still act.
    const def = variant((d) => {
      for (const name of ['lead', 'qualification', 'ordering'] as const) d.stages[name]!.checkpoint = { ...d.stages[name]!.checkpoint!, auto: true };
    });
    const leads = Array.from({ length: JOURNEYS }, () => uniqueLead());
    const handles: JourneyHandle[] = [];
    for (const lead of leads) handles.push(await startJourney(temporal.client, taskQueue, def, lead));

    let walking = true;
    const killer = (async () => {
      for (let k = 0; k < KILLS && walking; k++) {
        await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 4_000));
        if (worker) await killHard(worker);
        worker = await spawnWorkerProcess(t.url, taskQueue);
      }
    })();
    const finals: string[] = [];
    await pool(handles, 25, async (h) => {
      // After a kill, in-flight activities wait out their 10 s timeout and their retries' backoff,
      // and the new worker replays every journey it picks up: on two cores a step may take minutes.
      finals.push((await walk(h, 'closed', 60, 240_000)).stage);
    });
    walking = false;
    await killer;

    expect(finals).toHaveLength(JOURNEYS);
    expect(finals.every((s) => s === 'closed')).toBe(true);
    const journeys = await Promise.all(handles.map(async (h, i) => ({ journeyId: (await h.result()).journeyId, email: leads[i]!.email })));
    await expectMoneyInvariants(t.db, journeys, inject('stack').mailboxUrl);
  });
});
