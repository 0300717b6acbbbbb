// Debian's chromium for the browser tests: found at /usr/bin/chromium (or $CHROMIUM_PATH), else
// installed once per run with apt-get. Never a downloaded browser build.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const DEFAULT_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const say = (line: string) => process.stderr.write(`[chromium] ${line}\n`);

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    say(`$ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    let tail = '';
    const keep = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
      // Progress on stderr, one line per line of apt output.
      for (const line of d.toString().split('\n')) if (line.trim()) say(line.trim());
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`))));
  });
}

const LOCK = join(tmpdir(), 'l2c-chromium-install.lock');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * The path of a chromium binary, installing Debian's package when none is there. One process
 * installs (a lock directory, created atomically); test files in other workers wait for it.
 */
export async function ensureChromium(): Promise<string> {
  const path = process.env.CHROMIUM_PATH ?? DEFAULT_PATH;
  if (existsSync(path)) return path;
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(path)) return path;
      if (Date.now() > deadline) throw new Error(`chromium is missing and another install (lock ${LOCK}) did not finish in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (existsSync(path)) return path;
    say(`${path} is missing; installing Debian's chromium with apt-get (once per run)`);
    await run('apt-get', ['update']);
    await run('apt-get', ['install', '-y', 'chromium']);
    if (!existsSync(path)) throw new Error(`apt-get installed chromium but ${path} is still missing`);
    say(`installed ${path}`);
    return path;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface BrowserSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium on a fresh profile (user-data-dir), closed and removed by close(). */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<BrowserSession> {
  const executablePath = await ensureChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'l2c-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
