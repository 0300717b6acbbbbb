// Workers for benchmarks in processes of their own (so their RSS is theirs alone, and an API
// under measurement does not share an event loop with workflow execution). Resolves once the
// worker reports ready over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks `entry` (a file under bench/) with tsx; `args` and `env` go to the child. */
export async function forkWorker(entry: string, env: Record<string, string>, args: string[] = []): Promise<ChildProcess> {
  const main = fileURLToPath(new URL(entry, import.meta.url));
  const child = fork(main, args, { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the worker (${entry}) exited with ${code} before it was ready`)));
  });
  return child;
}
