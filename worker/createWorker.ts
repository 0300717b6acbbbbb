// Builds the journey worker: the prebuilt workflow bundle (or the workflow sources, in tests),
// the activities over PostgreSQL and SMTP, and a sized workflow cache.
import { type NativeConnection, Worker } from '@temporalio/worker';
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
  /**
   * Journeys kept in memory between tasks; the rest are replayed from history when they wake.
   * About 2 MiB each (every cached workflow evaluates the bundle's modules for itself), so 1,000
   * by default: twice that filled the workflow thread's heap and stalled it in garbage collection.
   */
  maxCachedWorkflows?: number;
}

/** Journeys a worker keeps in memory unless told otherwise (L2C_WORKFLOW_CACHE). */
export const DEFAULT_WORKFLOW_CACHE = 1_000;

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
