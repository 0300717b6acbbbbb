// One journey walked to cash through the engine, as the journeys benchmarks drive it: the "auto"
// flavour of the default process (policies take every checkpoint), a scripted customer, warehouse
// and finance. Shared by the engine-vs-baseline run and the run on the PostgreSQL-backed server.
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { defaultProcess, type LeadInput, type ProcessDefinition } from '../machines/index';
import { settledUpdate, transitionUpdate, type Actor, type JourneyState } from '../workflows/messages';

const rep: Actor = { id: 'usr-dach-1', roles: ['sales_rep'] };
const warehouse: Actor = { id: 'usr-warehouse', roles: ['warehouse'] };
const finance: Actor = { id: 'usr-finance', roles: ['finance'] };
export const lines = [{ sku: 'SEN-5', quantity: 1 }];
export const actors = { rep, warehouse, finance };

/** Ops' "auto" flavour of the default process: every checkpoint a policy may take is automatic. */
export function autoProcess(): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  def.version = 2;
  for (const name of ['lead', 'qualification', 'ordering'] as const) def.stages[name]!.checkpoint = { ...def.stages[name]!.checkpoint!, auto: true };
  return def;
}

export function leadFor(i: number, kind: string): LeadInput {
  return {
    source: 'web_form',
    name: `Bench ${kind} ${i}`,
    email: `bench.${kind}.${i}.${Date.now()}@bench-${kind}-${i}.example`,
    company: `Bench ${kind} ${i} GmbH`,
    companySize: 50,
    country: 'DE',
  };
}

/** Runs `task` for 0..count-1, at most `concurrency` at a time. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await call();
  samples.push(performance.now() - started);
  return result;
}

/**
 * Under load the `settled` update gives up after 10 s and answers `running`: ask again until the
 * stage's activities are done, or the next event is refused (or the amount is still missing).
 */
export async function untilSettled(state: JourneyState, settle: () => Promise<JourneyState>): Promise<JourneyState> {
  while (state.status === 'running') state = await settle();
  return state;
}

/** Walks journey `i` to cash; each event's latency (until the journey settled) goes to `samples`. Returns the workflow id. */
export async function engineJourney(client: Client, taskQueue: string, definition: ProcessDefinition, i: number, samples: number[]): Promise<string> {
  const journeyId = `bench-engine-${Date.now()}-${i}`;
  const handle = await client.workflow.start('journeyWorkflow', {
    taskQueue,
    workflowId: `journey-${journeyId}`,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ journeyId, definition, lead: leadFor(i, 'engine') }],
  });
  const settle = () => handle.executeUpdate(settledUpdate.name, { args: [null] }) as Promise<JourneyState>;
  let s = await untilSettled(await settle(), settle);
  while (s.stage !== 'opportunity') s = await untilSettled(await settle(), settle);
  // Timed until the journey has settled: what a caller waits for before its next event.
  const send = (actor: Actor, type: string, data?: unknown) =>
    timed(samples, async () => untilSettled(await handle.executeUpdate(transitionUpdate, { args: [{ type, actor, ...(data ? { data } : {}) }] }), settle));
  await send(rep, 'PROPOSE', { lines });
  await send(rep, 'ACCEPT');
  await send(warehouse, 'PICKED');
  await send(warehouse, 'PACKED');
  s = await send(warehouse, 'SHIPPED', { carrier: 'DHL', trackingNumber: `T-${i}` });
  await send(finance, 'PAYMENT_RECEIVED', { ...s.amount!, reference: `P-${i}` });
  const result = (await handle.result()) as { stage: string };
  if (result.stage !== 'closed') throw new Error(`engine journey ${i} ended in ${result.stage}`);
  return handle.workflowId;
}
