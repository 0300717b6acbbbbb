// `journeys`: N journeys through the whole default process (auto policies, a scripted customer)
// against the hand-written baseline workflow with the same activities and no xstate, on the same
// server in the same run. Prints completed journeys/s for both, their ratio, and update latency.
// With --temporal=server: the engine on the PostgreSQL-backed server instead (journeysOnServer.ts).
// Each side's CPU is sampled per process (the dev server, PostgreSQL, this process: worker and
// client), so what limits the engine is read from the figures, not guessed.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../workflows/messages';
import { baselineEvent } from './workflows/baseline';
import { actors, autoProcess, engineJourney, leadFor, lines, pool, timed } from './engineJourney';
import { sampleCpu, type CpuShares, type SampledProcess } from './cpuSampler';
import { startInProcessWorker } from './inProcessWorker';
import { postgresLabel, postmasterPid } from './postgresProcesses';
import { runOnServer } from './journeysOnServer';
import type { BenchOptions } from './run';
import { percentile, report } from './report';

const { rep, warehouse, finance } = actors;

export async function run(options: BenchOptions): Promise<void> {
  if (options.temporal === 'server') return runOnServer(options);
  const count = options.quick ? 20 : 200;
  const concurrency = options.quick ? 10 : 40;
  const { db, client, taskQueue, close } = await startInProcessWorker(
    options.stack,
    'journeys',
    fileURLToPath(new URL('./workflows/index.ts', import.meta.url)),
  );
  const definition = autoProcess();
  const processes: SampledProcess[] = [
    ...(options.stack.temporal?.child?.pid ? [{ pid: options.stack.temporal.child.pid, label: 'Temporal dev server', tree: true }] : []),
    { pid: await postmasterPid(options.stack.databaseUrl), label: postgresLabel, tree: true },
    { pid: process.pid, label: 'benchmark process (worker, client, SMTP sink)', tree: false },
  ];
  const finished: { engine?: string; baseline?: string } = {};

  async function engineRun(i: number, samples: number[]): Promise<void> {
    finished.engine = await engineJourney(client, taskQueue, definition, i, samples);
  }

  async function baselineJourney(i: number, samples: number[]): Promise<void> {
    const journeyId = `bench-baseline-${Date.now()}-${i}`;
    const handle = await client.workflow.start('baselineJourneyWorkflow', {
      taskQueue,
      workflowId: `baseline-${journeyId}`,
      args: [{ journeyId, lead: leadFor(i, 'baseline') }],
    });
    const send = (actor: Actor, type: string, data?: unknown) => handle.executeUpdate(baselineEvent, { args: [{ type, actor, ...(data ? { data } : {}) }] });
    await send(rep, 'PROPOSE', { lines }); // waits for the journey to reach the opportunity; not timed, as above
    const timedSend = (actor: Actor, type: string, data?: unknown) => timed(samples, () => send(actor, type, data));
    await timedSend(rep, 'ACCEPT');
    await timedSend(warehouse, 'PICKED');
    await timedSend(warehouse, 'PACKED');
    await timedSend(warehouse, 'SHIPPED', { carrier: 'DHL', trackingNumber: `T-${i}` });
    const invoice = await db('invoices').where({ journey_id: journeyId }).first();
    await timedSend(finance, 'PAYMENT_RECEIVED', { amount: invoice.amount_due ?? invoice.total, currency: invoice.currency, reference: `P-${i}` });
    const result = (await handle.result()) as { stage: string };
    if (result.stage !== 'closed') throw new Error(`baseline journey ${i} ended in ${result.stage}`);
    finished.baseline = handle.workflowId;
  }

  /** Events in the history of a finished journey: the server's work per journey, which bounds throughput. */
  async function historyLength(workflowId: string | undefined): Promise<number> {
    if (!workflowId) return Number.NaN;
    return (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? Number.NaN;
  }

  async function measure(kind: string, journey: (i: number, samples: number[]) => Promise<void>) {
    const samples: number[] = [];
    const cpu = sampleCpu(processes);
    const started = performance.now();
    await pool(count, concurrency, (i) => journey(i, samples));
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: count / seconds, samples, kind, cpu: cpu.stop() };
  }

  /** Cores each process held during one side's run, and its CPU seconds per journey. */
  function reportCpu(side: string, cpu: CpuShares) {
    const shares = [...cpu.byLabel].sort((a, b) => b[1] - a[1]);
    for (const [label, cores] of shares) {
      report({ bench: 'journeys', metric: `CPU, ${side}: ${label}`, value: cores, unit: 'cores' });
      report({ bench: 'journeys', metric: `CPU seconds per journey, ${side}: ${label}`, value: (cores * cpu.seconds) / count, unit: 's' });
    }
    const ours = shares.reduce((sum, [, cores]) => sum + cores, 0);
    report({ bench: 'journeys', metric: `CPU, ${side}: everyone else on the machine`, value: cpu.machineBusy - ours, unit: 'cores' });
  }

  try {
    await measure('warm-up', (i, s) => engineRun(10_000 + i, s)).catch(() => undefined);
    const baseline = await measure('baseline', baselineJourney);
    const engine = await measure('engine', engineRun);
    report({
      bench: 'journeys',
      metric: `completed journeys/s (n=${count}, concurrency ${concurrency})`,
      value: engine.perSecond,
      unit: 'journeys/s',
      baseline: baseline.perSecond,
      ratio: engine.perSecond / baseline.perSecond,
    });
    for (const p of [50, 99]) {
      const e = percentile(engine.samples, p);
      const b = percentile(baseline.samples, p);
      report({ bench: 'journeys', metric: `update latency p${p}`, value: e, unit: 'ms', baseline: b, ratio: e / b });
    }
    const [e, b] = [await historyLength(finished.engine), await historyLength(finished.baseline)];
    report({ bench: 'journeys', metric: 'history events per journey', value: e, unit: 'events', baseline: b, ratio: e / b });
    reportCpu('baseline', baseline.cpu);
    reportCpu('engine', engine.cpu);
    const load = loadavg();
    report({ bench: 'journeys', metric: `load average 1/5/15 min at the end: ${load.map((l) => l.toFixed(2)).join(' / ')}`, value: load[0]!, unit: 'load' });
  } finally {
    await close();
  }
}
