// Builds the console (vite, with web/vite.config.ts) to web/dist, unless dist is newer than every
// source file. Called by `npm start` and by the e2e set-up; `npm run build:web` builds by hand.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'vite';

export const webRoot = fileURLToPath(new URL('.', import.meta.url));
export const consoleDist = join(webRoot, 'dist');

/** Newest modification time among the files a build reads (sources, entry page, config, lock file). */
function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  visit(join(webRoot, 'src'));
  for (const file of ['index.html', 'vite.config.ts', '../package-lock.json']) {
    const path = join(webRoot, file);
    if (existsSync(path)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(dist: string): number {
  const index = join(dist, 'index.html');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
}

/** Vite's messages on stderr (never console.*, which the test set-up refuses), info only when asked. */
function stderrLogger(verbose: boolean): Logger {
  const warned = new Set<string>();
  const write = (level: string, msg: string) => process.stderr.write(`[console build] ${level === 'info' ? '' : `${level}: `}${msg}\n`);
  return {
    hasWarned: false,
    info(msg) {
      if (verbose) write('info', msg);
    },
    warn(msg) {
      this.hasWarned = true;
      write('warn', msg);
    },
    warnOnce(msg) {
      if (warned.has(msg)) return;
      warned.add(msg);
      this.warn(msg);
    },
    error(msg) {
      write('error', msg);
    },
    clearScreen() {},
    hasErrorLogged: () => false,
  };
}

export interface BuildOptions {
  /** Build even when dist is up to date. */
  force?: boolean;
  /** Print vite's summary (file sizes) too. */
  verbose?: boolean;
}

/** Builds the console when its sources changed; answers the folder to serve (web/dist). */
export async function buildConsole(options: BuildOptions = {}): Promise<string> {
  const dist = consoleDist;
  if (!options.force && builtAt(dist) > newestSource()) return dist;
  mkdirSync(dist, { recursive: true });
  const release = await lock(join(dist, '.build-lock'));
  try {
    // Another process may have built it while this one waited.
    if (!options.force && builtAt(dist) > newestSource()) return dist;
    await buildInto(dist, options.verbose ?? false);
  } finally {
    release();
  }
  return dist;
}

/** One build at a time per folder (test files run in parallel processes); a lock older than 5 minutes is stale. */
async function lock(path: string): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(path);
      return () => rmSync(path, { recursive: true, force: true });
    } catch {
      const age = existsSync(path) ? Date.now() - statSync(path).mtimeMs : 0;
      if (age > 5 * 60_000) rmSync(path, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function buildInto(dist: string, verbose: boolean): Promise<void> {
  const { build } = await import('vite');
  // Build beside the live files, then swap them in: a server reading dist never sees half a build.
  const staging = join(dist, `.build-${process.pid}-${Date.now()}`);
  // React's JSX transform follows NODE_ENV; vitest sets it to `test`, which would mix dev JSX into
  // the production runtime. A console build is always a production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: verbose ? 'info' : 'warn',
      customLogger: stderrLogger(verbose),
      build: { outDir: staging, emptyOutDir: true },
    });
    for (const entry of readdirSync(dist)) if (!entry.startsWith('.build')) rmSync(join(dist, entry), { recursive: true, force: true });
    // index.html last, so its time stamp marks a complete build.
    const entries = readdirSync(staging).sort((a, b) => Number(a === 'index.html') - Number(b === 'index.html'));
    for (const entry of entries) renameSync(join(staging, entry), join(dist, entry));
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    rmSync(staging, { recursive: true, force: true });
  }
}
