// The worker process exports the SDK's runtime metrics for Prometheus on L2C_WORKER_METRICS_PORT:
// after a journey has run on it, the figures the README says to alert on are there.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/demo';
import { defaultProcess } from '../../machines/index';
import { freePort } from '../../scripts/stack/process';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startJourney, uniqueLead } from '../helpers/journeys';
import { connectClient, uniqueTaskQueue } from '../helpers/temporal';
import { walk } from '../helpers/walk';
import { killHard, spawnWorkerProcess } from '../helpers/worker';

let t: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectClient>>;
let worker: ChildProcess | undefined;
let port: number;
const taskQueue = uniqueTaskQueue('metrics');

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  temporal = await connectClient();
  port = await freePort();
  worker = await spawnWorkerProcess(t.url, taskQueue, { L2C_WORKER_METRICS_PORT: String(port) });
});

afterAll(async () => {
  if (worker) await killHard(worker);
  await temporal?.close();
  await t?.drop();
});

describe('worker metrics', () => {
  it('serves the SDK metrics named in the README once a journey has run', { timeout: 120_000 }, async () => {
    const handle = await startJourney(temporal.client, taskQueue, defaultProcess, uniqueLead());
    expect((await walk(handle, 'opportunity')).stage).toBe('opportunity');
    // The exporter renders what the runtime has recorded so far; give it a moment to catch up.
    let text = '';
    for (let i = 0; i < 50 && !text.includes('temporal_activity_execution_latency'); i++) {
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const metric of [
      'temporal_workflow_task_schedule_to_start_latency',
      'temporal_activity_schedule_to_start_latency',
      'temporal_activity_execution_latency',
      'temporal_sticky_cache_size',
    ]) {
      expect(text, metric).toContain(metric);
    }
    expect(text).toContain(`task_queue="${taskQueue}"`);
  });
});
