import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectClient, installQuietRuntime, uniqueTaskQueue } from '../helpers/temporal';

describe('the Temporal dev server', () => {
  let temporal: Awaited<ReturnType<typeof connectClient>>;
  beforeAll(async () => {
    installQuietRuntime();
    temporal = await connectClient();
  });
  afterAll(async () => {
    await temporal.close();
  });

  it('runs a workflow whose activity runs on a real worker', async () => {
    const taskQueue = uniqueTaskQueue('greet');
    const connection = await NativeConnection.connect({ address: inject('stack').temporalAddress });
    const calls: string[] = [];
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../fixtures/workflows/greet.ts', import.meta.url)),
      activities: {
        greet: async (name: string) => {
          calls.push(name);
          return `Hello, ${name}`;
        },
      },
    });
    const result = await worker.runUntil(temporal.client.workflow.execute('greetWorkflow', { taskQueue, workflowId: `greet-${taskQueue}`, args: ['Ada'] }));
    await connection.close();
    expect(result).toBe('Hello, Ada');
    expect(calls).toEqual(['Ada']);
  });

  it('has the journey search attributes registered', async () => {
    const response = await temporal.connection.operatorService.listSearchAttributes({ namespace: inject('stack').temporalNamespace });
    const custom = response.customAttributes ?? {};
    expect(Object.keys(custom)).toEqual(expect.arrayContaining(['L2CStage', 'L2CStatus', 'L2CStageEnteredAt', 'L2COwner', 'L2CAmount']));
  });
});
