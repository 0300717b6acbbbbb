// The worker and the API as OS processes (worker/main.ts, api/main.ts) on a stack of a suite's
// own, so a test can SIGKILL them and start them again.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/stack/process';
import type { StackInfo } from '../../scripts/stack/index';

export interface ProcessTarget {
  stack: Pick<StackInfo, 'databaseUrl' | 'temporalAddress' | 'temporalNamespace' | 'smtpUrl'>;
  taskQueue: string;
  bundlePath: string;
}

function envOf(target: ProcessTarget, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: target.stack.databaseUrl,
    TEMPORAL_ADDRESS: target.stack.temporalAddress,
    TEMPORAL_NAMESPACE: target.stack.temporalNamespace,
    SMTP_URL: target.stack.smtpUrl,
    L2C_TASK_QUEUE: target.taskQueue,
    L2C_WORKFLOW_BUNDLE: target.bundlePath,
    ...extra,
  };
}

const entry = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** worker/main.ts, resolved once it says it is ready. */
export async function startWorkerProcess(target: ProcessTarget, extra: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry('worker/main.ts')], { env: envOf(target, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 90 s:\n${output}`)), 90_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  return child;
}

export interface ApiProcess {
  child: ChildProcess;
  base: string;
}

/** api/main.ts on a free port, resolved once /readyz answers 200. */
export async function startApiProcess(target: ProcessTarget, extra: NodeJS.ProcessEnv = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry('api/main.ts')], {
    env: envOf(target, { PORT: String(port), ...extra }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before it was ready:\n${stderr}`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      )
    )
      return { child, base };
    if (Date.now() > deadline) {
      await killHard(child);
      throw new Error(`the API was not ready in 90 s:\n${stderr}`);
    }
    await sleep(200);
  }
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
