// Benchmark set-up: a fresh database, and a journey worker in the benchmark's own process with a
// client for the same server; close() stops and releases all of it.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createMailer } from '../activities/mail/mailer';
import { createDb, type Db } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { seedDemo } from '../db/seed/demo';
import type { StackInfo } from '../scripts/stack/index';
import { createJourneyWorker } from '../worker/createWorker';

/** A fresh database `name` in the stack's cluster: migrated, seeded, with stock to spare. */
export async function prepareDatabase(databaseUrl: string, name: string): Promise<{ db: Db; url: string }> {
  const admin = createDb(databaseUrl, { max: 1 });
  await admin.raw(`drop database if exists ${name} with (force)`);
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 30 });
  await migrateLatest(db);
  await seedDemo(db);
  await db('stock').update({ on_hand: 10_000_000 });
  return { db, url: url.toString() };
}

export interface InProcessWorker {
  db: Db;
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

/** `name` names the database and the task queue; `workflowsPath` replaces the journey workflows. */
export async function startInProcessWorker(stack: StackInfo, name: string, workflowsPath?: string): Promise<InProcessWorker> {
  const { db } = await prepareDatabase(stack.databaseUrl, `bench_${name}`);
  const taskQueue = `bench-${name}-${Date.now()}`;
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const mailer = createMailer(stack.smtpUrl);
  const worker = await createJourneyWorker({
    connection: native,
    namespace: stack.temporalNamespace,
    db,
    mailer,
    taskQueue,
    ...(workflowsPath ? { workflowsPath } : {}),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.temporalNamespace });
  return {
    db,
    client,
    taskQueue,
    close: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      mailer.close();
      await db.destroy();
    },
  };
}
