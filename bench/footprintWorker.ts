// A worker for one footprint variant (bench/footprint.ts), in a process of its own so its RSS is
// that variant's alone. Argument: the variant's workflow file; env: TEMPORAL_ADDRESS, L2C_TASK_QUEUE.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
const workflowsPath = process.argv[2];
const { TEMPORAL_ADDRESS: address, L2C_TASK_QUEUE: taskQueue } = process.env;
if (!workflowsPath || !address || !taskQueue) throw new Error('bench/footprintWorker needs a workflow file, TEMPORAL_ADDRESS and L2C_TASK_QUEUE');
const connection = await NativeConnection.connect({ address });
// A cache larger than any run, so every started workflow stays in memory.
const worker = await Worker.create({ connection, taskQueue, workflowsPath, maxCachedWorkflows: 20_000 });
process.send?.({ ready: true });
await worker.run();
