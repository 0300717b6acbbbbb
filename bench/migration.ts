// `npm run bench -- migration`: 1,000 parked journeys (quick 200) moved to a new version of their
// process through the API, as ops would: the plan, the dry run (a live query per journey), then the
// apply, which runs as its own workflow in batches of 10. Reports journeys per second for the dry
// run and the apply, and each batch's time (first move scheduled to last move done) from the
// migration workflow's history. The worker runs in its own process, as in production.
import { Client, Connection, WorkflowIdConflictPolicy } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { buildApp } from '../api/app';
import { newToken, setUserToken } from '../db/queries/users';
import { defaultProcess, type LeadInput, type ProcessDefinition } from '../machines/index';
import { prepareDatabase } from './inProcessWorker';
import type { BenchOptions } from './run';
import { forkWorker } from './workerProcess';
import { percentile, report } from './report';

const KEY = 'bench-migration';

/** The default process with a bare lead stage: journeys rest at its checkpoint without activities. */
function parkingProcess(description: string): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  def.key = KEY;
  const lead = def.stages.lead!;
  delete lead.entry;
  delete lead.checkpoint.auto;
  lead.description = description;
  return def;
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
  const journeys = options.quick ? 200 : 1_000;
  const { db, url } = await prepareDatabase(stack.databaseUrl, 'bench_migration');
  const token = newToken();
  await setUserToken(db, 'usr-ops', token);
  const taskQueue = `bench-migration-${randomUUID().slice(0, 8)}`;
  const worker = await forkWorker('./apiWorker.ts', {
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporalNamespace,
    SMTP_URL: stack.smtpUrl,
    L2C_TASK_QUEUE: taskQueue,
  });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection, namespace: stack.temporalNamespace });
  const app = await buildApp({ db, temporal, taskQueue, temporalUiUrl: null, mailboxUrl: null }, { rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${path} answered ${response.statusCode}: ${response.body}`);
    return response.json<T>();
  };
  /** Drafts and publishes a version of the bench's process; returns it as published. */
  const publish = async (definition: ProcessDefinition): Promise<ProcessDefinition> => {
    const { version } = await call<{ version: number }>('POST', '/v1/process-definitions', { definition });
    await call('POST', `/v1/process-definitions/${KEY}/versions/${version}/publish`);
    return { ...definition, version };
  };

  try {
    const from = await publish(parkingProcess('Parked at the lead checkpoint.'));
    const to = await publish(parkingProcess('Parked at the lead checkpoint (version 2).'));
    const prefix = `bench-mig-${Date.now()}`;
    await pool(journeys, 50, async (i) => {
      const journeyId = `${prefix}-${i}`;
      const lead: LeadInput = { source: 'web_form', name: `Mig ${i}`, email: `mig.${i}@bench-migration.example`, company: `Mig ${i} GmbH`, country: 'DE' };
      await temporal.workflow.start('journeyWorkflow', {
        taskQueue,
        workflowId: `journey-${journeyId}`,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        args: [{ journeyId, definition: from, lead }],
      });
    });
    await until(async () => {
      const [row] = await db('journeys').where({ definition_key: KEY, stage: 'lead', status: 'awaiting_confirmation' }).count('* as n');
      return Number(row?.n ?? 0) >= journeys;
    }, 30 * 60_000);
    process.stderr.write(`${journeys} journeys parked on version ${from.version}\n`);

    const plan = await call<{ id: string }>('POST', '/v1/migrations', { key: KEY, fromVersion: from.version, toVersion: to.version });
    const dryStarted = performance.now();
    const judged = await call<{ items: { verdict: string }[] }>('POST', `/v1/migrations/${plan.id}/dry-run`);
    const drySeconds = (performance.now() - dryStarted) / 1000;
    const ready = judged.items.filter((i) => i.verdict === 'ready').length;
    if (ready !== journeys) throw new Error(`the dry run found ${ready} of ${journeys} journeys ready`);

    const applyStarted = performance.now();
    await call('POST', `/v1/migrations/${plan.id}/apply`);
    await until(async () => (await call<{ status: string }>('GET', `/v1/migrations/${plan.id}`)).status === 'done', 30 * 60_000);
    const applySeconds = (performance.now() - applyStarted) / 1000;
    const moved = await call<{ items: { result: string | null }[] }>('GET', `/v1/migrations/${plan.id}`);
    const migrated = moved.items.filter((i) => i.result === 'migrated').length;
    if (migrated !== journeys) throw new Error(`${migrated} of ${journeys} journeys migrated`);

    const batches = await batchSeconds(temporal, `migration-${plan.id}`);
    report({ bench: 'migration', metric: `dry run of ${journeys} parked journeys`, value: journeys / drySeconds, unit: 'journeys/s' });
    report({ bench: 'migration', metric: `apply of ${journeys} journeys (batches of 10)`, value: journeys / applySeconds, unit: 'journeys/s' });
    report({ bench: 'migration', metric: `batch time p50 (${batches.length} batches)`, value: percentile(batches, 50), unit: 's' });
    report({ bench: 'migration', metric: 'slowest batch', value: Math.max(...batches), unit: 's' });
  } finally {
    await app.close();
    worker.kill('SIGTERM');
    if (worker.exitCode === null) await once(worker, 'exit');
    await connection.close();
    await db.destroy();
  }
}

/** Each batch's seconds from its first move scheduled to its last move done, from the workflow's history. */
async function batchSeconds(temporal: Client, workflowId: string): Promise<number[]> {
  const events = (await temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const millis = (e: (typeof events)[number]) => Number(e.eventTime!.seconds) * 1000 + Math.round((e.eventTime!.nanos ?? 0) / 1e6);
  const scheduled = new Map<string, { batch: string; at: number }>();
  const batches = new Map<string, { first: number; last: number }>();
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name === 'migrateJourney') {
      const batch = String(s.workflowTaskCompletedEventId);
      scheduled.set(String(e.eventId), { batch, at: millis(e) });
      const b = batches.get(batch);
      batches.set(batch, { first: Math.min(b?.first ?? Infinity, millis(e)), last: b?.last ?? 0 });
    }
    const done = e.activityTaskCompletedEventAttributes;
    const move = done && scheduled.get(String(done.scheduledEventId));
    if (move) batches.get(move.batch)!.last = Math.max(batches.get(move.batch)!.last, millis(e));
  }
  return [...batches.values()].map((b) => (b.last - b.first) / 1000);
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the benchmark waited too long');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
