// `footprint`: worker memory per cached workflow, for workflows that load more and more of what a
// journey loaded once: the SDK alone, zod, all of machines/ with its schema layer, and the default
// process compiled with the runtime core alone (as the journey workflow does, without zod). Each variant runs on a worker process of its own; the figure is the growth of its RSS
// from one cached workflow to N (the SDK evaluates a bundle's modules once per cached workflow,
// so module-level state is paid per journey). Explains open-journeys' memory.
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { footprintReady } from './workflows/footprint/ready';
import type { BenchOptions } from './run';
import { report } from './report';
import { forkWorker } from './workerProcess';

const VARIANTS = [
  ['plain', 'the SDK alone'],
  ['zod', 'zod loaded'],
  ['machinesLoaded', 'machines/ and its schema layer loaded'],
  ['xstateLoaded', 'xstate loaded, a one-state machine started'],
  ['coreLoaded', 'the runtime core of machines/ loaded (xstate included)'],
  ['machineCompiled', 'the default process compiled (core only, no zod)'],
] as const;

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;
}

export async function run(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const count = options.quick ? 200 : 1_000;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.temporalNamespace });
  const perWorkflow: Record<string, number> = {};
  try {
    for (const [variant, label] of VARIANTS) {
      const taskQueue = `bench-footprint-${variant}-${Date.now()}`;
      const workflows = fileURLToPath(new URL(`./workflows/footprint/${variant}.ts`, import.meta.url));
      const worker = await forkWorker('./footprintWorker.ts', { TEMPORAL_ADDRESS: stack.temporalAddress, L2C_TASK_QUEUE: taskQueue }, [workflows]);
      try {
        const startAll = async (from: number, to: number) => {
          for (let i = from; i < to; i += 25) {
            const ids = Array.from({ length: Math.min(25, to - i) }, (_, k) => `${taskQueue}-${i + k}`);
            const handles = await Promise.all(ids.map((workflowId) => client.workflow.start('footprintWorkflow', { taskQueue, workflowId })));
            await Promise.all(handles.map((h) => h.query(footprintReady)));
          }
        };
        await startAll(0, 1);
        const one = rssMiB(worker.pid!);
        await startAll(1, count);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const all = rssMiB(worker.pid!);
        perWorkflow[variant] = (all - one) / (count - 1);
        report({ bench: 'footprint', metric: `worker RSS per cached workflow: ${label} (${count} cached)`, value: perWorkflow[variant], unit: 'MiB' });
      } finally {
        worker.kill('SIGKILL');
      }
    }
    const plain = perWorkflow.plain ?? Number.NaN;
    const compiled = perWorkflow.machineCompiled ?? Number.NaN;
    report({
      bench: 'footprint',
      metric: 'the default process compiled against the SDK alone, per cached workflow',
      value: compiled,
      unit: 'MiB',
      baseline: plain,
      ratio: compiled / plain,
    });
  } finally {
    await connection.close();
  }
}
