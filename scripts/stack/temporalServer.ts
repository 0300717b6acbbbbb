// The real Temporal server on our PostgreSQL (L2C_TEMPORAL=server): the production shape, here.
// Built once with Go from go.temporal.io/server at the version the pinned CLI embeds, together
// with its SQL schema tool, into the user's cache; started from the same configuration files as
// docker-compose.yml (deploy/temporal), with PostgreSQL persistence and SQL visibility.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userCacheDir } from './paths';
import { isPortFree, run, stopChild, waitFor } from './process';
import { findOrBuildTemporalCli, journeySearchAttributes, reachable, type TemporalServer } from './temporal';

export const SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const deployDir = fileURLToPath(new URL('../../deploy/temporal', import.meta.url));

interface ServerTools {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: the versioned schemas the SQL tool applies. */
  schemaDir: string;
}

function toolsDir(): string {
  return join(userCacheDir(), `temporal-server-${SERVER_VERSION}`);
}

/** The server and its SQL tool, built with Go into the cache the first time. */
export async function findOrBuildServer(say: (line: string) => void): Promise<ServerTools> {
  const dir = toolsDir();
  const tools = { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), schemaDir: join(dir, 'schema') };
  if (existsSync(tools.server) && existsSync(tools.sqlTool) && existsSync(tools.schemaDir)) return tools;

  const staging = `${dir}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  say(`Building the Temporal server ${SERVER_VERSION} and its SQL tool with Go into ${dir} (first run only; a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => say(`  still building the Temporal server (${Math.round((Date.now() - started) / 1000)} s)...`), 30_000);
  try {
    const env = { ...process.env, GOBIN: staging, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' };
    await run('go', ['install', `${MODULE}/cmd/server@${SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${SERVER_VERSION}`], { env });
    const module = JSON.parse(await run('go', ['mod', 'download', '-json', `${MODULE}@${SERVER_VERSION}`], { env })) as { Dir: string };
    cpSync(join(module.Dir, 'schema', 'postgresql', 'v12'), join(staging, 'schema'), { recursive: true });
    renameSync(join(staging, 'server'), join(staging, 'temporal-server'));
    renameSync(join(staging, 'sql'), join(staging, 'temporal-sql-tool'));
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`could not build the Temporal server with Go (L2C_TEMPORAL=server needs Go and the Go module proxy): ${(error as Error).message}`);
  } finally {
    clearInterval(ticker);
  }
  say(`  built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return tools;
}

/** Creates Temporal's two databases on `databaseUrl`'s server and brings them to the schema. */
async function setupSchemas(tools: ServerTools, databaseUrl: URL): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: databaseUrl.hostname,
    SQL_PORT: databaseUrl.port || '5432',
    SQL_USER: decodeURIComponent(databaseUrl.username),
    SQL_PASSWORD: decodeURIComponent(databaseUrl.password),
  };
  for (const [db, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    // Both fail harmlessly when done before; update-schema then says whether all is well.
    await run(tools.sqlTool, ['--db', db, 'create-database'], { env }).catch(() => undefined);
    await run(tools.sqlTool, ['--db', db, 'setup-schema', '-v', '0.0'], { env }).catch(() => undefined);
    await run(tools.sqlTool, ['--db', db, 'update-schema', '-d', join(tools.schemaDir, schema, 'versioned')], { env });
  }
}

/**
 * A free port below 32768: the server stores its services' ports in smallint columns (cluster
 * membership), so the kernel's ephemeral range is out.
 */
export async function freeLowPort(taken: Set<number> = new Set()): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await isPortFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000 for the Temporal server');
}

export type ServerPorts = Record<string, number>;

export interface TemporalServerOptions {
  /** The frontend's port (below 32768). */
  port: number;
  /** The other services' ports, from an earlier start of the same cluster. */
  ports?: ServerPorts;
  databaseUrl: string;
  logFile: string;
  say: (line: string) => void;
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer & { ports: ServerPorts }> {
  const tools = await findOrBuildServer(options.say);
  const cli = await findOrBuildTemporalCli(options.say);
  if (!cli) throw new Error('L2C_TEMPORAL=server needs the temporal CLI (built with Go) to register the namespace');
  const databaseUrl = new URL(options.databaseUrl);
  await setupSchemas(tools, databaseUrl);

  // Every port the server's four services bind: the frontend's is the caller's, the rest free ones,
  // chosen once so that a restart finds the same cluster members again.
  const taken = new Set([options.port]);
  const ports: ServerPorts = options.ports ?? {
    TEMPORAL_FRONTEND_PORT: options.port,
    TEMPORAL_FRONTEND_HTTP_PORT: await freeLowPort(taken),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: await freeLowPort(taken),
    TEMPORAL_HISTORY_PORT: await freeLowPort(taken),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: await freeLowPort(taken),
    TEMPORAL_MATCHING_PORT: await freeLowPort(taken),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: await freeLowPort(taken),
    TEMPORAL_WORKER_PORT: await freeLowPort(taken),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: await freeLowPort(taken),
    TEMPORAL_METRICS_PORT: await freeLowPort(taken),
  };
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    POSTGRES_HOST: databaseUrl.hostname,
    POSTGRES_PORT: databaseUrl.port || '5432',
    POSTGRES_USER: decodeURIComponent(databaseUrl.username),
    POSTGRES_PASSWORD: decodeURIComponent(databaseUrl.password),
    TEMPORAL_BIND_ADDRESS: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    TEMPORAL_DYNAMIC_CONFIG: join(deployDir, 'config', 'dynamicconfig', 'production.yaml'),
    LOG_LEVEL: 'warn',
  };
  const address = `127.0.0.1:${options.port}`;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(tools.server, ['--root', deployDir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () => stopChild(child, 15_000);
  try {
    await waitFor(
      `the Temporal server on ${address} (log: ${options.logFile})`,
      () => reachable(address),
      120_000,
      () => (exited ? `the Temporal server exited early; see ${options.logFile}` : null),
    );
    const cliArgs = ['--address', address, '--namespace', 'default'];
    await run(cli, ['operator', 'namespace', 'describe', ...cliArgs]).catch(() =>
      run(cli, ['operator', 'namespace', 'create', '--retention', '30d', ...cliArgs]),
    );
    // A namespace just made takes a moment to reach every service of the cluster.
    await waitFor('the default namespace', () => run(cli, ['operator', 'search-attribute', 'list', ...cliArgs]).then(() => true), 60_000);
    const existing = await run(cli, ['operator', 'search-attribute', 'list', ...cliArgs]);
    for (const [name, type] of Object.entries(journeySearchAttributes)) {
      if (!existing.includes(name)) await run(cli, ['operator', 'search-attribute', 'create', '--name', name, '--type', type, ...cliArgs]);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl: null, child, stop, ports };
}
