// A private PostgreSQL cluster in the data dir: initdb once, pg_ctl start on a free port with its
// socket in the data dir. Never touches a system-wide cluster. Used when DATABASE_URL is not set.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import pg from 'pg';
import { run, waitFor } from './process';

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
  /** Stops and starts the server on the same port and data (chaos tests). */
  restart(): Promise<void>;
}

const BINARIES = ['initdb', 'pg_ctl'];

function findBinDir(): string | null {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    // Newest major version first.
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(debian, v, 'bin'));
  }
  return candidates.find((dir) => BINARIES.every((b) => existsSync(join(dir, b)))) ?? null;
}

async function ensureBinDir(say: (line: string) => void): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl) were not found. Install Debian\'s "postgresql" package, or set DATABASE_URL.');
  }
  say("PostgreSQL binaries not found: installing Debian's postgresql package with apt-get...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  // Debian's package creates and starts a default cluster; we leave it alone and use our own.
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { env });
  const installed = findBinDir();
  if (!installed) throw new Error('installed postgresql, but initdb and pg_ctl are still not found');
  return installed;
}

/** PostgreSQL refuses to run as root: when we are root, run it as `nobody`. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  return { uid, gid };
}

function canEnter(user: { uid: number; gid: number }, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/**
 * The server's user must be able to enter every folder on the way to `target` (mkdtemp makes a
 * 0700 folder, which `nobody` cannot enter). Folders of our data root get search permission for
 * others (x only: nothing can be listed); a folder above it is not ours to change, so we stop and
 * name the fixes.
 */
function letServerReach(user: { uid: number; gid: number }, target: string, dataRoot: string, say: (line: string) => void): void {
  const root = resolve(dataRoot);
  const path = resolve(target);
  const dirs: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  for (const dir of dirs) {
    if (!existsSync(dir) || canEnter(user, dir)) continue;
    const rel = relative(root, dir);
    const ours = rel.split(sep)[0] !== '..' && !isAbsolute(rel);
    if (!ours) {
      throw new Error(
        `PostgreSQL runs as "nobody" (it refuses to run as root), and nobody cannot enter ${dir}. ` +
          `Fix one of: run "chmod o+x ${dir}"; choose an L2C_DATA_DIR outside it (e.g. L2C_DATA_DIR=$(mktemp -d)); run npm start as a user other than root; or set DATABASE_URL.`,
      );
    }
    chmodSync(dir, (statSync(dir).mode & 0o7777) | 0o001);
    say(`Let PostgreSQL (running as nobody) enter ${dir} (chmod o+x).`);
  }
}

async function accepting(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `dataRoot`: the folder the data lives in (L2C_DATA_DIR), ours to open up; by default the cluster's parent. */
export async function startPostgres(options: {
  dataDir: string;
  port: number;
  logFile: string;
  dataRoot?: string;
  say: (line: string) => void;
}): Promise<PostgresServer> {
  const bin = await ensureBinDir(options.say);
  const user = serverUser();
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const { dataDir } = options;
  if (user) {
    const dataRoot = options.dataRoot ?? dirname(resolve(dataDir));
    mkdirSync(dataRoot, { recursive: true });
    mkdirSync(dirname(resolve(options.logFile)), { recursive: true });
    letServerReach(user, dirname(resolve(dataDir)), dataRoot, options.say);
    letServerReach(user, dirname(resolve(options.logFile)), dataRoot, options.say);
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(dataDir, user.uid, user.gid);
    await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], asUser);
  } else if (user && statSync(dataDir).uid !== user.uid) {
    throw new Error(`the PostgreSQL data dir ${dataDir} is not owned by nobody; remove it or fix its owner`);
  }
  if (user) {
    try {
      // The log file lives outside the data dir and must be writable by the server's user.
      execFileSync('touch', [options.logFile]);
      chownSync(options.logFile, user.uid, user.gid);
    } catch {
      /* the log stays owned by us; pg_ctl will say so */
    }
  }
  const serverOptions = `-p ${options.port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`;
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', dataDir, ...args], asUser);
  const start = () => pgCtl('-o', serverOptions, '-l', options.logFile, '-w', '-t', '60', 'start');
  const stop = () => pgCtl('-m', 'fast', '-w', 'stop');
  await start();

  const adminUrl = `postgres://postgres@127.0.0.1:${options.port}/postgres`;
  await waitFor(`PostgreSQL on port ${options.port}`, () => accepting(adminUrl), 30_000);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'l2c'");
  if (exists.rowCount === 0) await client.query('create database l2c');
  await client.end();

  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/l2c`,
    stop: async () => {
      await stop().catch(() => undefined);
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}
