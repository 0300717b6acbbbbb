// The API process: connects to PostgreSQL and Temporal, then listens on PORT.
import { Client, Connection } from '@temporalio/client';
import { createDb } from '../db/connection';
import { readSettings } from '../config/settings';
import { buildApp } from './app';
import { startInboundMail } from './inboundEmail';
import { startRestockSweep } from './restocks';

const settings = readSettings();
if (!settings.DATABASE_URL || !settings.TEMPORAL_ADDRESS) {
  process.stderr.write('The API needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both).\n');
  process.exit(1);
}
const db = createDb(settings.DATABASE_URL);
const connection = await Connection.connect({ address: settings.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
const deps = {
  db,
  temporal,
  taskQueue: settings.L2C_TASK_QUEUE,
  temporalUiUrl: process.env.L2C_TEMPORAL_UI_URL ?? null,
  mailboxUrl: process.env.L2C_MAILBOX_URL ?? null,
  bootstrapToken: settings.L2C_BOOTSTRAP_TOKEN ?? null,
};
const app = await buildApp(deps, { logger: true });
// RESTOCKED notices a stopped API process left queued reach their journeys all the same.
const stopRestockSweep = startRestockSweep(deps, app.log);
// Mail to the inbound address becomes leads; see api/inboundEmail.ts for why it lives in this process.
const inbound = settings.L2C_INBOUND_SMTP_PORT
  ? await startInboundMail(deps, { port: settings.L2C_INBOUND_SMTP_PORT, host: process.env.L2C_HOST ?? '127.0.0.1', log: app.log })
  : null;
// L2C_HOST=0.0.0.0 in a container, so its published port reaches the API.
await app.listen({ port: settings.PORT, host: process.env.L2C_HOST ?? '127.0.0.1' });

async function shutdown(): Promise<void> {
  stopRestockSweep();
  await inbound?.close();
  await app.close();
  await db.destroy();
  await connection.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
