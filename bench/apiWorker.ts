// The journey worker in a process of its own (bench/api.ts, bench/journeysOnServer.ts), so the
// process under measurement does not share its event loop with workflow and activity execution.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createMailer } from '../activities/mail/mailer';
import { createDb } from '../db/connection';
import { createJourneyWorker } from '../worker/createWorker';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`bench/apiWorker needs ${name}`);
  return value;
};

// Keep the benchmark's output readable: only the SDK's warnings and errors, as in bench/run.ts.
Runtime.install({ logger: new DefaultLogger('WARN') });
const db = createDb(env('DATABASE_URL'));
const mailer = createMailer(env('SMTP_URL'));
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const cache = process.env.L2C_WORKFLOW_CACHE ? { maxCachedWorkflows: Number(process.env.L2C_WORKFLOW_CACHE) } : {};
const worker = await createJourneyWorker({ connection, namespace: env('TEMPORAL_NAMESPACE'), db, mailer, taskQueue: env('L2C_TASK_QUEUE'), ...cache });
process.send?.({ ready: true });
await worker.run();
await connection.close();
mailer.close();
await db.destroy();
