// A real journey worker inside the test process, on its own task queue, over a test database
// and the run's SMTP sink. Stopped (and awaited) by the suite's afterAll.
import { NativeConnection, type Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { createMailer } from '../../activities/mail/mailer';
import type { Db } from '../../db/connection';
import { createJourneyWorker } from '../../worker/createWorker';
import { installQuietRuntime, uniqueTaskQueue } from './temporal';

export interface TestWorker {
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/** A worker as its own OS process (worker/main.ts), so a test can SIGKILL it. */
export async function spawnWorkerProcess(databaseUrl: string, taskQueue: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const stack = inject('stack');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../worker/main.ts', import.meta.url))], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: stack.temporalNamespace,
      SMTP_URL: stack.smtpUrl,
      L2C_TASK_QUEUE: taskQueue,
      L2C_WORKFLOW_BUNDLE: inject('bundlePath'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  return child;
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startTestWorker(db: Db, options: { bundlePath?: string } = {}): Promise<TestWorker> {
  installQuietRuntime();
  const stack = inject('stack');
  const taskQueue = uniqueTaskQueue('journeys');
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const mailer = createMailer(stack.smtpUrl);
  const worker = await createJourneyWorker({
    connection,
    namespace: stack.temporalNamespace,
    db,
    mailer,
    taskQueue,
    bundlePath: options.bundlePath ?? inject('bundlePath'),
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      mailer.close();
    },
  };
}
