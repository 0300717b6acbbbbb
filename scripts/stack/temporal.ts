// The Temporal dev server (the `temporal` CLI): found at $TEMPORAL_CLI, on PATH or in the user's
// cache; built there with Go when missing; the SDK's own download is the last resort.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { userCacheDir } from './paths';
import { run, stopChild, waitFor } from './process';
import { journeySearchAttributeKeys } from '../../workflows/searchAttributes';

const CLI_VERSION = 'v1.5.1';

/** Search attributes every journey upserts, by name with the CLI's spelling of their type (`Keyword`). */
export const journeySearchAttributes: Record<string, string> = Object.fromEntries(
  journeySearchAttributeKeys.map((key) => [key.name, key.type.charAt(0) + key.type.slice(1).toLowerCase()]),
);

export interface TemporalOptions {
  port: number;
  /** The Web UI port; no UI when absent. */
  uiPort?: number;
  /** SQLite file for a persistent server; in memory when absent. */
  dbFile?: string;
  logFile: string;
  say: (line: string) => void;
}

export interface TemporalServer {
  address: string;
  uiUrl: string | null;
  /** The CLI process, when we own one (absent for the SDK-downloaded fallback). */
  child: ChildProcess | null;
  stop(): Promise<void>;
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function cachedCliPath(): string {
  return join(userCacheDir(), `temporal-${CLI_VERSION}`, 'temporal');
}

/** Returns the CLI's path, building it with Go when needed; null when neither is possible. */
export async function findOrBuildTemporalCli(say: (line: string) => void): Promise<string | null> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI is set to ${fromEnv}, but no file is there`);
    return fromEnv;
  }
  const found = onPath('temporal') ?? (existsSync(cachedCliPath()) ? cachedCliPath() : null);
  if (found) return found;
  const go = onPath('go');
  if (!go) return null;

  const target = cachedCliPath();
  const staging = `${target}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  say(`Building the Temporal CLI ${CLI_VERSION} with Go into ${target} (first run only; a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => say(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)...`), 30_000);
  try {
    await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${CLI_VERSION}`], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
    });
    renameSync(join(staging, 'temporal'), target);
  } finally {
    clearInterval(ticker);
    rmSync(staging, { recursive: true, force: true });
  }
  say(`  built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return target;
}

export async function reachable(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

export async function startTemporal(options: TemporalOptions): Promise<TemporalServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null;
  const cli = await findOrBuildTemporalCli(options.say);

  if (!cli) {
    options.say('No temporal CLI and no Go: using the Temporal SDK download of the dev server.');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: options.port,
        ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : {}),
        ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
        searchAttributes: Object.entries(journeySearchAttributes).map(([name, type]) => ({ name, type: type.toUpperCase() })) as never,
      },
    });
    return { address, uiUrl, child: null, stop: () => env.teardown() };
  }

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', 'default', '--log-level', 'warn'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [name, type] of Object.entries(journeySearchAttributes)) args.push('--search-attribute', `${name}=${type}`);

  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitFor(
    `the Temporal dev server on ${address} (log: ${options.logFile})`,
    () => reachable(address),
    120_000,
    () => (exited ? `the Temporal dev server exited early; see ${options.logFile}` : null),
  );
  return { address, uiUrl, child, stop: () => stopChild(child) };
}
