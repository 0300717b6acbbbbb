// Builds the console (vite, with web/vite.config.ts) to web/dist, unless dist is newer than every
// source file. Called by `npm start` and by the e2e set-up; `npm run build:web` does the same by hand.
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
  /** Where to put the build; web/dist by default. */
  outDir?: string;
}

/** Builds the console when its sources changed; answers the folder to serve. */
export async function buildConsole(options: BuildOptions = {}): Promise<string> {
  const dist = options.outDir ?? consoleDist;
  if (!options.force && builtAt(dist) > newestSource()) return dist;
  const { build } = await import('vite');
  // Build beside the live files, then swap them in: a server reading dist never sees half a build.
  mkdirSync(dist, { recursive: true });
  const staging = join(dist, `.build-${process.pid}-${Date.now()}`);
  try {
    await build({
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: options.verbose ? 'info' : 'warn',
      customLogger: stderrLogger(options.verbose ?? false),
      build: { outDir: staging, emptyOutDir: true },
    });
    for (const entry of readdirSync(dist)) if (!entry.startsWith('.build-')) rmSync(join(dist, entry), { recursive: true, force: true });
    // index.html last, so its time stamp marks a complete build.
    const entries = readdirSync(staging).sort((a, b) => Number(a === 'index.html') - Number(b === 'index.html'));
    for (const entry of entries) renameSync(join(staging, entry), join(dist, entry));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dist;
}

// `tsx web/build.ts` (npm run build:web) builds once, always.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = await buildConsole({ force: true, verbose: true });
  process.stdout.write(`console built to ${dist}\n`);
}
