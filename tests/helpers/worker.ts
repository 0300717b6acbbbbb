// A real journey worker inside the test process, on its own task queue, over a test database
// and the run's SMTP sink. Stopped (and awaited) by the suite's afterAll.
import { NativeConnection, type Worker } from '@temporalio/worker';
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

export async function startTestWorker(db: Db, options: { bundlePath?: string } = {}): Promise<TestWorker> {
  installQuietRuntime();
  const stack = inject('stack');
  const taskQueue = uniqueTaskQueue('journeys');
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const mailer = createMailer(stack.smtpUrl);
  const worker = await createJourneyWorker({ connection, namespace: stack.temporalNamespace, db, mailer, taskQueue, ...options });
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
