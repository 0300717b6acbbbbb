// The file-backed Temporal dev server and PostgreSQL each restarted while journeys are in
// flight: activities fail, retry and succeed; every journey closes with each effect once.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailer, type Mailer } from '../../activities/mail/mailer';
import { createDb, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { seedDemo } from '../../db/seed/demo';
import { readSettings } from '../../config/settings';
import { startStack, type Stack } from '../../scripts/stack/index';
import { createJourneyWorker } from '../../worker/createWorker';
import { startJourney, uniqueLead, type JourneyHandle } from '../helpers/journeys';
import { installQuietRuntime } from '../helpers/temporal';
import { variant, walk } from '../helpers/walk';
import { expectMoneyInvariants } from './invariants';

const JOURNEYS = 20;
const dataDir = mkdtempSync(join(tmpdir(), 'l2c-chaos-'));
chmodSync(dataDir, 0o755);

let stack: Stack;
let db: Db;
let mailer: Mailer;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  installQuietRuntime();
  // A stack of our own: file-backed Temporal, its own PostgreSQL and SMTP sink, so restarting
  // them cannot disturb the other suites.
  const own = { ...readSettings(), DATABASE_URL: undefined, TEMPORAL_ADDRESS: undefined, SMTP_URL: undefined };
  stack = await startStack(own, { dataDir, persistent: true, ui: false, say: () => undefined });
  db = createDb(stack.databaseUrl);
  await migrateLatest(db);
  await seedDemo(db);
  await db('stock').update({ on_hand: 1_000_000 });
  mailer = createMailer(stack.smtpUrl);
  native = await NativeConnection.connect({ address: stack.temporalAddress });
  worker = await createJourneyWorker({
    connection: native,
    namespace: stack.temporalNamespace,
    db,
    mailer,
    taskQueue: 'chaos-restarts',
    bundlePath: inject('bundlePath'),
  });
  running = worker.run();
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection, namespace: stack.temporalNamespace });
});

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await connection?.close();
  await native?.close();
  mailer?.close();
  await db?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('chaos: Temporal and PostgreSQL restart mid-run', () => {
  it(`closes ${JOURNEYS} journeys across a Temporal restart and a PostgreSQL restart`, { timeout: 600_000 }, async () => {
    const def = variant((d) => {
      for (const name of ['lead', 'qualification', 'ordering'] as const) d.stages[name]!.checkpoint = { ...d.stages[name]!.checkpoint!, auto: true };
    });
    const leads = Array.from({ length: JOURNEYS }, () => uniqueLead());
    const handles: JourneyHandle[] = [];
    for (const lead of leads) handles.push(await startJourney(client, 'chaos-restarts', def, lead));

    const walks = Promise.all(handles.map((h) => walkThrough(h)));
    await new Promise((r) => setTimeout(r, 1_500));
    await stack.restartTemporal();
    await new Promise((r) => setTimeout(r, 2_500));
    await stack.restartPostgres();
    const finals = await walks;

    expect(finals.every((s) => s === 'closed')).toBe(true);
    const journeys = await Promise.all(handles.map(async (h, i) => ({ journeyId: (await h.result()).journeyId, email: leads[i]!.email })));
    await expectMoneyInvariants(db, journeys, stack.mailboxUrl);
  });
});

/** Walks on through refused or failed calls while a service is down. */
async function walkThrough(handle: JourneyHandle): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return (await walk(handle, 'closed', 60)).stage;
    } catch (error) {
      if (attempt === 19) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  throw new Error('unreachable');
}
