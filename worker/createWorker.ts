// Builds the journey worker: the prebuilt workflow bundle (or the workflow sources, in tests),
// the activities over PostgreSQL and SMTP, and a sized workflow cache.
import { type NativeConnection, Worker } from '@temporalio/worker';
import { DEFAULT_WORKFLOW_CACHE } from '../config/settings';
import { createActivities } from '../activities/index';
import type { Mailer } from '../activities/mail/mailer';
import type { Db } from '../db/connection';
import { TASK_QUEUE } from '../workflows/taskQueue';
import { workflowsPath } from './bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  db: Db;
  mailer: Mailer;
  /** Where customers reach the API, for links in emails. */
  publicUrl?: string;
  taskQueue?: string;
  /** Path of a bundle from buildWorkflowBundle; the sources are bundled on the fly when absent. */
  bundlePath?: string;
  /** Workflow sources to bundle on the fly instead of the journey workflows (benchmarks). */
  workflowsPath?: string;
  /** Journeys kept in memory between tasks; the rest are replayed from history when they wake. */
  maxCachedWorkflows?: number;
}

export { DEFAULT_WORKFLOW_CACHE };

export async function createJourneyWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(options.bundlePath ? { workflowBundle: { codePath: options.bundlePath } } : { workflowsPath: options.workflowsPath ?? workflowsPath }),
    activities: createActivities({ db: options.db, mailer: options.mailer, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) }),
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_WORKFLOW_CACHE,
    maxConcurrentActivityTaskExecutions: 50,
    shutdownGraceTime: '10 seconds',
  });
}
