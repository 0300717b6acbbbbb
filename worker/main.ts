// The worker process: runs journeys and their activities until SIGTERM or SIGINT, then finishes
// the tasks in hand and exits. Also delivers any email left in the outbox by a crash.
import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities/index';
import { createMailer } from '../activities/mail/mailer';
import { createDb } from '../db/connection';
import { readSettings } from '../config/settings';
import { createJourneyWorker } from './createWorker';
import { ensureSearchAttributes } from './searchAttributes';

const settings = readSettings();
if (!settings.DATABASE_URL || !settings.TEMPORAL_ADDRESS || !settings.SMTP_URL) {
  process.stderr.write('The worker needs DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL (npm start sets them).\n');
  process.exit(1);
}
// The SDK's own metrics (task latency, failed activities, sticky cache) for Prometheus; must be
// installed before the first connection creates the runtime.
if (settings.L2C_WORKER_METRICS_PORT) {
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${settings.L2C_WORKER_METRICS_PORT}` } } } });
}
const db = createDb(settings.DATABASE_URL);
const mailer = createMailer(settings.SMTP_URL);

const client = await Connection.connect({ address: settings.TEMPORAL_ADDRESS });
await ensureSearchAttributes(client, settings.TEMPORAL_NAMESPACE);
await client.close();

const connection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
const worker = await createJourneyWorker({
  connection,
  namespace: settings.TEMPORAL_NAMESPACE,
  db,
  mailer,
  publicUrl: settings.L2C_PUBLIC_URL ?? `http://127.0.0.1:${settings.PORT}`,
  taskQueue: settings.L2C_TASK_QUEUE,
  maxCachedWorkflows: settings.L2C_WORKFLOW_CACHE,
  ...(process.env.L2C_WORKFLOW_BUNDLE ? { bundlePath: process.env.L2C_WORKFLOW_BUNDLE } : {}),
});

// Emails written but not sent before a crash leave here; each row is sent once (a claim with a lease).
const { deliverOutbox } = createActivities({ db, mailer });
const outbox = setInterval(() => {
  deliverOutbox().catch((error: Error) => process.stderr.write(`outbox: ${error.message}\n`));
}, 5_000);

process.stdout.write(`worker ready on task queue ${worker.options.taskQueue}\n`);
process.send?.({ ready: true });

// The SDK shuts the worker down gracefully on SIGTERM/SIGINT; run() resolves when it is done.
await worker.run();
clearInterval(outbox);
await connection.close();
await db.destroy();
