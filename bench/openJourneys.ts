// `open-journeys`: many journeys parked at a checkpoint on one worker process (10,000; quick 1,000).
// Reports the worker's resident memory (VmRSS of its process) and the latency of an update (CANCEL
// as ops, one at a time) at that scale, against the same update on the same worker while it held
// only a handful of journeys. Journeys park cheaply: a variant of the default process whose lead
// stage runs no activities and waits for a sales rep's confirmation.
import { Client, Connection, WorkflowIdConflictPolicy } from '@temporalio/client';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { defaultProcess, type LeadInput, type ProcessDefinition } from '../machines/index';
import { DEFAULT_WORKFLOW_CACHE } from '../worker/createWorker';
import { transitionUpdate, type Actor } from '../workflows/messages';
import { prepareDatabase } from './inProcessWorker';
import type { BenchOptions } from './run';
import { forkWorker } from './workerProcess';
import { percentile, report } from './report';

const ops: Actor = { id: 'usr-ops', roles: ['ops'] };
const HANDFUL = 50;

/** The default process with a bare lead stage: no entry activities, no auto policy. */
function parkingProcess(): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  def.version = 3;
  const lead = def.stages.lead!;
  delete lead.entry;
  delete lead.checkpoint.auto;
  return def;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export async function run(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const open = options.quick ? 1_000 : 10_000;
  const samples = options.quick ? 100 : 200;
  const { db, url } = await prepareDatabase(stack.databaseUrl, 'bench_open');
  const taskQueue = `bench-open-${Date.now()}`;
  const worker = await forkWorker('./apiWorker.ts', {
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporalNamespace,
    SMTP_URL: stack.smtpUrl,
    L2C_TASK_QUEUE: taskQueue,
  });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.temporalNamespace });
  const definition = parkingProcess();
  const prefix = `bench-open-${Date.now()}`;

  const start = async (i: number) => {
    const journeyId = `${prefix}-${i}`;
    const lead: LeadInput = {
      source: 'web_form',
      name: `Open ${i}`,
      email: `open.${i}@bench-open.example`,
      company: `Open ${i} GmbH`,
      companySize: 50,
      country: 'DE',
    };
    await client.workflow.start('journeyWorkflow', {
      taskQueue,
      workflowId: `journey-${journeyId}`,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ journeyId, definition, lead }],
    });
  };
  /**
   * Waits until `count` journeys of this run rest at the lead checkpoint in the projection; with
   * `sample`, takes it each time another tenth of them has parked.
   */
  const parked = async (count: number, sample?: () => number) => {
    const deadline = Date.now() + 30 * 60_000;
    const samples = new Map<number, number>();
    for (;;) {
      const n = Number(
        (await db('journeys').where('id', 'like', `${prefix}-%`).where({ stage: 'lead', status: 'awaiting_confirmation' }).count('* as n'))[0]?.n ?? 0,
      );
      const reached = (Math.floor((Math.min(n, count) * 10) / count) * count) / 10; // the last tenth reached
      if (sample && reached > 0 && !samples.has(reached)) samples.set(reached, sample());
      if (n >= count) return samples;
      if (Date.now() > deadline) throw new Error(`only ${n} of ${count} journeys parked in 30 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const cancelTimed = async (ids: number[]) => {
    const latencies: number[] = [];
    for (const i of ids) {
      const started = performance.now();
      await client.workflow.getHandle(`journey-${prefix}-${i}`).executeUpdate(transitionUpdate, { args: [{ type: 'CANCEL', actor: ops }] });
      latencies.push(performance.now() - started);
    }
    return latencies;
  };

  try {
    // Idle: a handful of journeys; the first few updates warm the worker up and are not counted.
    await pool(HANDFUL, 10, start);
    await parked(HANDFUL);
    const idleRss = rssMiB(worker.pid!);
    await cancelTimed([0, 1, 2, 3, 4]);
    const idle = await cancelTimed(Array.from({ length: HANDFUL - 5 }, (_, k) => k + 5));

    const started = performance.now();
    // The worker's RSS as the journeys park: flat once the cache is full means the evicted journeys
    // are given back; still climbing means each journey that passed leaves memory behind.
    const parking = parked(open, () => rssMiB(worker.pid!)); // the handful above are cancelled by now
    await pool(open, 50, (i) => start(HANDFUL + i));
    const growth = await parking;
    const startSeconds = (performance.now() - started) / 1000;
    for (const [count, rss] of growth) report({ bench: 'open-journeys', metric: `worker RSS once ${count} journeys parked`, value: rss, unit: 'MiB' });
    process.stderr.write(`${open} journeys parked in ${startSeconds.toFixed(1)} s\n`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const busyRss = rssMiB(worker.pid!);
    // Spread the samples over the whole population: most of them are no longer in the worker's cache.
    const step = Math.floor(open / samples);
    const loaded = await cancelTimed(Array.from({ length: samples }, (_, k) => HANDFUL + k * step));

    report({
      bench: 'open-journeys',
      metric: `worker RSS with ${open} parked journeys`,
      value: busyRss,
      unit: 'MiB',
      baseline: idleRss,
      ratio: busyRss / idleRss,
    });
    const cache = Number(process.env.L2C_WORKFLOW_CACHE ?? DEFAULT_WORKFLOW_CACHE);
    report({
      bench: 'open-journeys',
      metric: `RSS growth per cached journey (workflow cache ${cache})`,
      value: (busyRss - idleRss) / Math.min(open, cache),
      unit: 'MiB',
    });
    report({ bench: 'open-journeys', metric: `parking rate (start to projection, concurrency 50)`, value: open / startSeconds, unit: 'journeys/s' });
    for (const p of [50, 99]) {
      const value = percentile(loaded, p);
      const base = percentile(idle, p);
      report({ bench: 'open-journeys', metric: `update latency p${p} (${open} open vs ${HANDFUL})`, value, unit: 'ms', baseline: base, ratio: value / base });
    }
  } finally {
    worker.kill('SIGTERM');
    if (worker.exitCode === null) await once(worker, 'exit');
    await connection.close();
    await db.destroy();
  }
}
