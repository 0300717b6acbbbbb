// `journeys`: N journeys through the whole default process (auto policies, a scripted customer)
// against the hand-written baseline workflow with the same activities and no xstate, on the same
// server in the same run. Prints completed journeys/s for both, their ratio, and update latency.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { fileURLToPath } from 'node:url';
import { defaultProcess, type LeadInput, type ProcessDefinition } from '../machines/index';
import { settledUpdate, transitionUpdate, type Actor, type JourneyState } from '../workflows/messages';
import { startInProcessWorker } from './inProcessWorker';
import { baselineEvent } from './workflows/baseline';
import type { BenchOptions } from './run';
import { percentile, report } from './report';

const rep: Actor = { id: 'usr-dach-1', roles: ['sales_rep'] };
const warehouse: Actor = { id: 'usr-warehouse', roles: ['warehouse'] };
const finance: Actor = { id: 'usr-finance', roles: ['finance'] };
const lines = [{ sku: 'SEN-5', quantity: 1 }];

/** Ops' "auto" flavour of the default process: every checkpoint a policy may take is automatic. */
function autoProcess(): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  def.version = 2;
  for (const name of ['lead', 'qualification', 'ordering'] as const) def.stages[name]!.checkpoint = { ...def.stages[name]!.checkpoint!, auto: true };
  return def;
}

function leadFor(i: number, kind: string): LeadInput {
  return { source: 'web_form', name: `Bench ${kind} ${i}`, email: `bench.${kind}.${i}.${Date.now()}@bench-${kind}-${i}.example`, company: `Bench ${kind} ${i} GmbH`, companySize: 50, country: 'DE' };
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  }));
  return results;
}

export async function run(options: BenchOptions): Promise<void> {
  const count = options.quick ? 20 : 200;
  const concurrency = options.quick ? 10 : 40;
  const { db, client, taskQueue, close } = await startInProcessWorker(options.stack, 'journeys', fileURLToPath(new URL('./workflows/index.ts', import.meta.url)));
  const definition = autoProcess();
  const finished: { engine?: string; baseline?: string } = {};

  async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await call();
    samples.push(performance.now() - started);
    return result;
  }

  async function engineJourney(i: number, samples: number[]): Promise<void> {
    const journeyId = `bench-engine-${Date.now()}-${i}`;
    const handle = await client.workflow.start('journeyWorkflow', {
      taskQueue, workflowId: `journey-${journeyId}`, workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ journeyId, definition, lead: leadFor(i, 'engine') }],
    });
    const settle = () => handle.executeUpdate(settledUpdate.name, { args: [null] }) as Promise<JourneyState>;
    // Under load `settled` gives up after 10 s and answers `running`: ask again until the stage's
    // activities are done, or the next event would be refused (or the amount still missing).
    const untilSettled = async (state: JourneyState): Promise<JourneyState> => {
      while (state.status === 'running') state = await settle();
      return state;
    };
    let s = await untilSettled(await settle());
    while (s.stage !== 'opportunity') s = await untilSettled(await settle());
    // Timed until the journey has settled: what a caller waits for before its next event.
    const send = (actor: Actor, type: string, data?: unknown) =>
      timed(samples, async () => untilSettled(await handle.executeUpdate(transitionUpdate, { args: [{ type, actor, ...(data ? { data } : {}) }] })));
    await send(rep, 'PROPOSE', { lines });
    await send(rep, 'ACCEPT');
    await send(warehouse, 'PICKED');
    await send(warehouse, 'PACKED');
    s = await send(warehouse, 'SHIPPED', { carrier: 'DHL', trackingNumber: `T-${i}` });
    await send(finance, 'PAYMENT_RECEIVED', { ...s.amount!, reference: `P-${i}` });
    const result = (await handle.result()) as { stage: string };
    if (result.stage !== 'closed') throw new Error(`engine journey ${i} ended in ${result.stage}`);
    finished.engine = handle.workflowId;
  }

  async function baselineJourney(i: number, samples: number[]): Promise<void> {
    const journeyId = `bench-baseline-${Date.now()}-${i}`;
    const handle = await client.workflow.start('baselineJourneyWorkflow', { taskQueue, workflowId: `baseline-${journeyId}`, args: [{ journeyId, lead: leadFor(i, 'baseline') }] });
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
    const started = performance.now();
    await pool(count, concurrency, (i) => journey(i, samples));
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: count / seconds, samples, kind };
  }

  try {
    await measure('warm-up', (i, s) => engineJourney(10_000 + i, s)).catch(() => undefined);
    const baseline = await measure('baseline', baselineJourney);
    const engine = await measure('engine', engineJourney);
    report({ bench: 'journeys', metric: `completed journeys/s (n=${count}, concurrency ${concurrency})`, value: engine.perSecond, unit: 'journeys/s', baseline: baseline.perSecond, ratio: engine.perSecond / baseline.perSecond });
    for (const p of [50, 99]) {
      const e = percentile(engine.samples, p);
      const b = percentile(baseline.samples, p);
      report({ bench: 'journeys', metric: `update latency p${p}`, value: e, unit: 'ms', baseline: b, ratio: e / b });
    }
    const [e, b] = [await historyLength(finished.engine), await historyLength(finished.baseline)];
    report({ bench: 'journeys', metric: 'history events per journey', value: e, unit: 'events', baseline: b, ratio: e / b });
  } finally {
    await close();
  }
}
