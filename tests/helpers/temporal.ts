// Temporal helpers for suites: a client on the run's dev server, a quiet runtime logger, and a
// worker that runs for the duration of a callback.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';
import { inject } from 'vitest';

export const workerLogs: LogEntry[] = [];
let runtimeInstalled = false;

/** Keeps SDK logs out of the console (tests fail on stray console output); warnings are kept for assertions. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => workerLogs.push(entry)),
    // Native (core) logs too, instead of straight to stderr.
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} } },
  });
}

export async function connectClient(): Promise<{ client: Client; connection: Connection; close: () => Promise<void> }> {
  const stack = inject('stack');
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.temporalNamespace });
  return { client, connection, close: () => connection.close() };
}

export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
