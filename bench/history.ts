// `history`: Temporal history events per run for a journey that lives a year: won, shipped and
// invoiced, then paid off in 12 monthly part-payments while dunning runs its course (reminder,
// second notice with a fee, final notice, collections). Time is compressed: one day of the
// definition is DAY_S seconds (quick 0.1 s: a year in ~37 s). Run twice side by side: once with the
// server deciding when to continue as new (as in production), once continuing as new after 150
// events, to show the hand-over between runs.
import { type Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { Db } from '../db/connection';
import { defaultProcess, type ProcessDefinition } from '../machines/index';
import { settledUpdate, transitionUpdate, type Actor, type JourneyState } from '../workflows/messages';
import { startInProcessWorker } from './inProcessWorker';
import type { BenchOptions } from './run';
import { report } from './report';

const rep: Actor = { id: 'usr-dach-1', roles: ['sales_rep'] };
const warehouse: Actor = { id: 'usr-warehouse', roles: ['warehouse'] };
const finance: Actor = { id: 'usr-finance', roles: ['finance'] };
const MONTHS = 12;

/** The automatic flavour of the default process with every duration in compressed days. */
function yearProcess(dayS: number): ProcessDefinition {
  const days = (n: number) => `PT${Number((n * dayS).toFixed(3))}S`;
  const def = structuredClone(defaultProcess);
  def.version = 4;
  for (const name of ['lead', 'qualification', 'ordering'] as const) def.stages[name]!.checkpoint = { ...def.stages[name]!.checkpoint!, auto: true };
  def.policies.paymentTerms = days(30);
  def.policies.dunning = def.policies.dunning.map((level) => ({ ...level, offset: days(durationDays(level.offset)) }));
  return def;
}

function durationDays(iso: string): number {
  const match = /^P(\d+)D$/.exec(iso);
  if (!match) throw new Error(`the default dunning offsets are whole days; got ${iso}`);
  return Number(match[1]);
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const money = (c: number) => (c / 100).toFixed(2);

async function events(client: Client, workflowId: string, firstRunId: string): Promise<number[]> {
  const perRun: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const list: { workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string | null } | null }[] = history.events ?? [];
    perRun.push(list.length);
    runId = list.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return perRun;
}

async function liveAYear(
  client: Client,
  db: Db,
  taskQueue: string,
  definition: ProcessDefinition,
  dayS: number,
  tag: string,
  continueAsNewAfterEvents?: number,
) {
  const journeyId = `bench-history-${tag}-${Date.now()}`;
  const handle = await client.workflow.start('journeyWorkflow', {
    taskQueue,
    workflowId: `journey-${journeyId}`,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [
      {
        journeyId,
        definition,
        lead: {
          source: 'web_form',
          name: `Year ${tag}`,
          email: `year.${tag}.${Date.now()}@bench-year.example`,
          company: `Year ${tag} GmbH`,
          companySize: 50,
          country: 'DE',
        },
        ...(continueAsNewAfterEvents ? { continueAsNewAfterEvents } : {}),
      },
    ],
  });
  const settled = () => handle.executeUpdate(settledUpdate.name, { args: [null] }) as Promise<JourneyState>;
  const send = (actor: Actor, type: string, data?: unknown) => handle.executeUpdate(transitionUpdate, { args: [{ type, actor, ...(data ? { data } : {}) }] });
  let s = await settled();
  while (s.stage !== 'opportunity') s = await settled();
  await send(rep, 'PROPOSE', { lines: [{ sku: 'SEN-5', quantity: 12 }] });
  await send(rep, 'ACCEPT');
  await send(warehouse, 'PICKED');
  await send(warehouse, 'PACKED');
  await send(warehouse, 'SHIPPED', { carrier: 'DHL', trackingNumber: `Y-${tag}` });
  s = await settled();
  while (s.stage !== 'awaiting_payment') s = await settled();
  const invoicedAt = Date.now();
  const invoice = (await db('invoices').where({ journey_id: journeyId }).first()) as { total: string; currency: string };
  const installment = Math.floor(cents(invoice.total) / MONTHS);

  for (let month = 1; month <= MONTHS; month++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, invoicedAt + month * 30 * dayS * 1000 - Date.now())));
    const { amount_due: due } = (await db('invoices').where({ journey_id: journeyId }).first()) as { amount_due: string };
    const amount = month === MONTHS ? cents(due) : Math.min(installment, cents(due));
    await send(finance, 'PAYMENT_RECEIVED', { amount: money(amount), currency: invoice.currency, reference: `Y-${tag}-${month}` });
  }
  const result = (await handle.result()) as { stage: string; runs: number };
  const notices = Number((await db('dunning_notices').where({ journey_id: journeyId }).count('* as n'))[0]?.n ?? 0);
  const perRun = await events(client, handle.workflowId, handle.firstExecutionRunId);
  return { result, perRun, notices };
}

export async function run(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const dayS = options.quick ? 0.1 : 0.25;
  const { db, client, taskQueue, close } = await startInProcessWorker(stack, 'history');
  const definition = yearProcess(dayS);

  try {
    process.stderr.write(`a year of payments and dunning at ${dayS} s per day…\n`);
    const [server, forced] = await Promise.all([
      liveAYear(client, db, taskQueue, definition, dayS, 'server'),
      liveAYear(client, db, taskQueue, definition, dayS, 'forced', 150),
    ]);
    for (const [label, r] of [
      ['continue-as-new when the server suggests it', server],
      ['continue-as-new after 150 events', forced],
    ] as const) {
      if (r.result.stage !== 'closed') throw new Error(`the year journey (${label}) ended in ${r.result.stage}`);
      const total = r.perRun.reduce((a, b) => a + b, 0);
      report({ bench: 'history', metric: `runs in a year (${label})`, value: r.perRun.length, unit: 'runs' });
      report({ bench: 'history', metric: `history events per run, largest (${label})`, value: Math.max(...r.perRun), unit: 'events' });
      report({
        bench: 'history',
        metric: `history events in the year, all runs (${label}; ${MONTHS} payments, ${r.notices} dunning notices)`,
        value: total,
        unit: 'events',
      });
    }
  } finally {
    await close();
  }
}
